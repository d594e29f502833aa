import { Link } from "../../ui/Link";
import { useProducer } from "./session";

export function ConsoleHeader() {
  const { admin, signOut } = useProducer();
  return (
    <header class="topbar">
      <nav aria-label="Console">
        <Link href="/console" class="brand">
          Producer console
        </Link>
        <Link href="/console">Events</Link>
        {admin.superAdmin ? <Link href="/admin">Admins</Link> : null}
      </nav>
      <div class="who">
        <span>
          {admin.displayName} ({admin.email})
        </span>
        <button type="button" class="secondary" onClick={() => void signOut()}>
          Sign out
        </button>
      </div>
    </header>
  );
}
