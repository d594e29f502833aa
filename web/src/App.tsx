import { useEffect } from "preact/hooks";
import { useRoute, type Route } from "./lib/router";
import { Link } from "./ui/Link";
import { AdminsPage } from "./pages/admin/AdminsPage";
import { AnalyticsPage } from "./pages/console/AnalyticsPage";
import { ConsoleHeader } from "./pages/console/ConsoleHeader";
import { EventForm } from "./pages/console/EventForm";
import { EventsPage } from "./pages/console/EventsPage";
import { RunView } from "./pages/console/RunView";
import { SignedIn } from "./pages/console/session";
import { FanPage } from "./pages/show/FanPage";
import { StagePage } from "./pages/show/StagePage";

function Home() {
  return (
    <main class="narrow" id="main">
      <h1>Interactive live shows</h1>
      <ul class="home-links">
        <li>
          <Link href="/console">Producer console</Link>: sign in, create events, run a show, see who attended.
        </li>
        <li>
          <Link href="/admin">superAdmin page</Link>: admins and their Vonage credentials.
        </li>
        <li>Fans, hosts and celebrities open the links the producer gives them.</li>
      </ul>
    </main>
  );
}

function consolePage(route: Route) {
  switch (route.page) {
    case "events":
      return <EventsPage />;
    case "eventNew":
      return <EventForm />;
    case "eventEdit":
      return <EventForm id={route.id} />;
    case "run":
      return <RunView id={route.id} />;
    case "analytics":
      return <AnalyticsPage id={route.id} />;
    case "admins":
      return <AdminsPage />;
    default:
      return null;
  }
}

const TITLES: Partial<Record<Route["page"], string>> = {
  home: "Interactive live shows",
  events: "Events · Producer console",
  eventNew: "New event · Producer console",
  eventEdit: "Edit event · Producer console",
  run: "Run the show · Producer console",
  analytics: "Attendance · Producer console",
  admins: "Admins · superAdmin",
  stage: "On stage",
};

export function App() {
  const route = useRoute();
  useEffect(() => {
    const title = TITLES[route.page];
    if (title) document.title = title;
    window.scrollTo(0, 0);
  }, [route]);
  const page = consolePage(route);
  if (page) {
    const admins = route.page === "admins";
    return (
      <SignedIn title={admins ? "superAdmin" : "Producer console"} superAdmin={admins}>
        <ConsoleHeader />
        {page}
      </SignedIn>
    );
  }
  switch (route.page) {
    case "home":
      return <Home />;
    case "fan":
      return <FanPage key={`${route.adminId}/${route.slug}`} adminId={route.adminId} slug={route.slug} />;
    case "stage":
      return <StagePage key={route.secret} role={route.role} adminId={route.adminId} secret={route.secret} />;
    default:
      return (
        <main class="narrow" id="main">
          <h1>Page not found</h1>
          <p>
            Nothing lives at <code>{route.page === "notFound" ? route.path : location.pathname}</code>. <Link href="/">Home</Link>
          </p>
        </main>
      );
  }
}
