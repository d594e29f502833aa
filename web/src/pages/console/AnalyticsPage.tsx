import { Link } from "../../ui/Link";
import { Attendance } from "./Attendance";

export function AnalyticsPage({ id }: { id: string }) {
  return (
    <main id="main">
      <p>
        <Link href={`/console/events/${id}`}>← Run view</Link>
      </p>
      <h1>Attendance</h1>
      <Attendance eventId={id} />
    </main>
  );
}
