/** The admin's events: open one's run view, edit, delete, or create a new one. */
import { useEffect, useState } from "preact/hooks";
import { errorText } from "../../lib/errors";
import { dateTime } from "../../lib/format";
import { navigate } from "../../lib/router";
import { Link } from "../../ui/Link";
import { OutcomeLine, useOutcome } from "../../ui/outcome";
import { fanPath, STATUS_LABEL, type FullEvent } from "./events";
import { useProducer } from "./session";

function DeleteButton({ event, onDeleted }: { event: FullEvent; onDeleted: () => void }) {
  const { backend } = useProducer();
  const [confirming, setConfirming] = useState(false);
  const { outcome, run, busy } = useOutcome();
  if (!confirming) {
    return (
      <button type="button" class="danger secondary" onClick={() => setConfirming(true)} aria-label={`Delete ${event.name}`}>
        Delete
      </button>
    );
  }
  return (
    <span class="confirm">
      <span>Delete “{event.name}” for good?</span>
      <button
        type="button"
        class="danger"
        disabled={busy}
        onClick={() =>
          void run("Deleting…", async () => {
            await backend.api.deleteEvent({ id: event.id });
            onDeleted();
            return `Deleted “${event.name}”.`;
          })
        }
      >
        Yes, delete
      </button>
      <button type="button" class="secondary" onClick={() => setConfirming(false)}>
        Keep it
      </button>
      <OutcomeLine outcome={outcome} />
    </span>
  );
}

export function EventsPage() {
  const { backend, admin } = useProducer();
  const [events, setEvents] = useState<FullEvent[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const { outcome } = useOutcome();
  useEffect(() => {
    let current = true;
    backend.api.getEvents({}).then(
      (map) => current && setEvents(Object.values(map).sort((a, b) => b.createdAt - a.createdAt)),
      (failure: unknown) => current && setError(errorText(failure)),
    );
    return () => {
      current = false;
    };
  }, [backend, version]);
  return (
    <main id="main">
      <div class="heading-row">
        <h1>Your events</h1>
        <button type="button" onClick={() => navigate("/console/events/new")}>
          New event
        </button>
      </div>
      <p class="muted">
        Signed in as {admin.displayName}. {admin.hls ? "HLS is on for your shows (fans beyond the seats watch the stream)." : ""}
      </p>
      <OutcomeLine outcome={outcome} />
      {error ? <p role="alert">{error}</p> : null}
      {events === null && !error ? <p class="muted">Loading events…</p> : null}
      {events?.length === 0 ? <p>No events yet: create one.</p> : null}
      {events && events.length > 0 ? (
        <table class="table">
          <caption class="visually-hidden">Your events</caption>
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col">Seats</th>
              <th scope="col">Fan page</th>
              <th scope="col">Created</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {events.map((event) => (
              <tr key={event.id}>
                <th scope="row">
                  <Link href={`/console/events/${event.id}`}>{event.name}</Link>
                </th>
                <td>
                  <span class={`status status-${event.status}`}>{STATUS_LABEL[event.status]}</span>
                </td>
                <td>{event.interactiveLimit}</td>
                <td>
                  <code>{fanPath(event)}</code>
                </td>
                <td>{dateTime(event.createdAt)}</td>
                <td class="actions">
                  <Link href={`/console/events/${event.id}`} class="button">
                    {event.status === "closed" ? "Results" : "Run"}
                  </Link>
                  {event.status !== "closed" ? (
                    <Link href={`/console/events/${event.id}/edit`} class="button secondary">
                      Edit
                    </Link>
                  ) : null}
                  <DeleteButton event={event} onDeleted={() => setVersion((v) => v + 1)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </main>
  );
}
