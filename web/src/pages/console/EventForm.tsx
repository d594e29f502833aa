/** Create or edit an event: what the backend lets change at the event's status (see docs/lifecycle.md). */
import { useEffect, useState } from "preact/hooks";
import type { CallableInput } from "@interactive-broadcast/client";
import { errorText } from "../../lib/errors";
import { fromLocalInput, toLocalInput } from "../../lib/format";
import { navigate } from "../../lib/router";
import { CheckField, Form, TextField } from "../../ui/fields";
import { Link } from "../../ui/Link";
import { OutcomeLine, useOutcome } from "../../ui/outcome";
import type { FullEvent } from "./events";
import { ImageField, type EventImage } from "./ImageField";
import { useProducer } from "./session";

interface Draft {
  name: string;
  fanUrl: string;
  interactiveLimit: string;
  archiveEvent: boolean;
  uncomposed: boolean;
  redirectUrl: string;
  dateTimeStart: string;
  dateTimeEnd: string;
  startImage: EventImage | null;
  endImage: EventImage | null;
}

function draftOf(event: FullEvent | null): Draft {
  return {
    name: event?.name ?? "",
    fanUrl: event?.fanUrl ?? "",
    interactiveLimit: String(event?.interactiveLimit ?? 50),
    archiveEvent: event?.archiveEvent ?? false,
    uncomposed: event?.uncomposed ?? false,
    redirectUrl: event?.redirectUrl ?? "",
    dateTimeStart: toLocalInput(event?.dateTimeStart),
    dateTimeEnd: toLocalInput(event?.dateTimeEnd),
    startImage: event?.startImage ?? null,
    endImage: event?.endImage ?? null,
  };
}

type CreateInput = CallableInput<"createEvent">;
type UpdateInput = CallableInput<"updateEvent">;

function createInput(draft: Draft): CreateInput {
  const input: CreateInput = {
    name: draft.name.trim(),
    interactiveLimit: Number(draft.interactiveLimit),
    archiveEvent: draft.archiveEvent,
    uncomposed: draft.uncomposed,
  };
  if (draft.fanUrl.trim()) input.fanUrl = draft.fanUrl.trim();
  if (draft.redirectUrl.trim()) input.redirectUrl = draft.redirectUrl.trim();
  const start = fromLocalInput(draft.dateTimeStart);
  const end = fromLocalInput(draft.dateTimeEnd);
  if (start) input.dateTimeStart = start;
  if (end) input.dateTimeEnd = end;
  if (draft.startImage) input.startImage = draft.startImage;
  if (draft.endImage) input.endImage = draft.endImage;
  return input;
}

/** Only what changed: the slug and the archive settings may not change at every status. */
function updateInput(event: FullEvent, draft: Draft): UpdateInput {
  const before = draftOf(event);
  const input: UpdateInput = { id: event.id };
  if (draft.name.trim() !== before.name) input.name = draft.name.trim();
  if (draft.fanUrl.trim() !== before.fanUrl) input.fanUrl = draft.fanUrl.trim();
  if (draft.interactiveLimit !== before.interactiveLimit) input.interactiveLimit = Number(draft.interactiveLimit);
  if (draft.archiveEvent !== before.archiveEvent) input.archiveEvent = draft.archiveEvent;
  if (draft.uncomposed !== before.uncomposed) input.uncomposed = draft.uncomposed;
  if (draft.redirectUrl.trim() !== before.redirectUrl) input.redirectUrl = draft.redirectUrl.trim() || null;
  if (draft.dateTimeStart !== before.dateTimeStart) input.dateTimeStart = fromLocalInput(draft.dateTimeStart);
  if (draft.dateTimeEnd !== before.dateTimeEnd) input.dateTimeEnd = fromLocalInput(draft.dateTimeEnd);
  if (JSON.stringify(draft.startImage) !== JSON.stringify(before.startImage)) input.startImage = draft.startImage;
  if (JSON.stringify(draft.endImage) !== JSON.stringify(before.endImage)) input.endImage = draft.endImage;
  return input;
}

export function EventForm({ id }: { id?: string }) {
  const { backend, admin } = useProducer();
  const [event, setEvent] = useState<FullEvent | null>(null);
  const [draft, setDraft] = useState<Draft>(draftOf(null));
  const [loadError, setLoadError] = useState<string | null>(null);
  const { outcome, run, busy } = useOutcome();
  useEffect(() => {
    if (!id) return;
    backend.api.getEvent({ id }).then(
      (loaded) => {
        setEvent(loaded);
        setDraft(draftOf(loaded));
      },
      (failure: unknown) => setLoadError(errorText(failure)),
    );
  }, [backend, id]);
  const set =
    <K extends keyof Draft>(key: K) =>
    (value: Draft[K]) =>
      setDraft((current) => ({ ...current, [key]: value }));
  if (loadError) return <p role="alert">{loadError}</p>;
  if (id && !event) return <p class="muted">Loading…</p>;
  const beforeLive = !event || event.status === "notStarted" || event.status === "preshow";
  const slugEditable = !event || event.status === "notStarted";
  const save = () =>
    void run(event ? "Saving…" : "Creating…", async () => {
      const saved = event ? await backend.api.updateEvent(updateInput(event, draft)) : await backend.api.createEvent(createInput(draft));
      navigate(`/console/events/${saved.id}`);
      return event ? `Saved “${saved.name}”.` : `Created “${saved.name}”.`;
    });
  return (
    <main class="narrow" id="main">
      <p>
        <Link href="/console">← Events</Link>
      </p>
      <h1>{event ? `Edit “${event.name}”` : "New event"}</h1>
      <Form label={event ? "Edit event" : "New event"} onSubmit={save}>
        <TextField label="Name" value={draft.name} onValue={set("name")} required maxLength={100} />
        <TextField
          label="Fan link slug"
          value={draft.fanUrl}
          onValue={set("fanUrl")}
          disabled={!slugEditable}
          pattern="[a-z0-9]+(-[a-z0-9]+)*"
          maxLength={80}
          hint={
            slugEditable ? "Lower-case letters, digits and dashes; left empty, it is made from the name." : "Fixed once the show opened."
          }
        />
        <TextField
          label="Interactive seats"
          type="number"
          min={1}
          max={3000}
          value={draft.interactiveLimit}
          onValue={set("interactiveLimit")}
          required
          hint="Fans beyond these seats watch the HLS stream (when HLS is on for you) or are told the show is full."
        />
        <CheckField
          label="Record an archive when the show goes live"
          checked={draft.archiveEvent}
          onValue={set("archiveEvent")}
          disabled={!beforeLive}
        />
        <CheckField
          label="Archive each stream separately (uncomposed)"
          checked={draft.uncomposed}
          onValue={set("uncomposed")}
          disabled={!beforeLive}
        />
        <TextField label="Send fans here after the show (https URL)" type="url" value={draft.redirectUrl} onValue={set("redirectUrl")} />
        <TextField label="Starts at" type="datetime-local" value={draft.dateTimeStart} onValue={set("dateTimeStart")} />
        <TextField label="Ends at" type="datetime-local" value={draft.dateTimeEnd} onValue={set("dateTimeEnd")} />
        <ImageField
          label="Start image"
          adminId={event?.adminId ?? admin.id}
          app={backend.app}
          value={draft.startImage}
          onValue={set("startImage")}
          sample="/images/show-start.svg"
        />
        <ImageField
          label="End image"
          adminId={event?.adminId ?? admin.id}
          app={backend.app}
          value={draft.endImage}
          onValue={set("endImage")}
          sample="/images/show-end.svg"
        />
        <div class="row">
          <button type="submit" disabled={busy}>
            {event ? "Save changes" : "Create event"}
          </button>
          <Link href={event ? `/console/events/${event.id}` : "/console"} class="button secondary">
            Cancel
          </Link>
        </div>
        <OutcomeLine outcome={outcome} testId="event-form-outcome" />
      </Form>
    </main>
  );
}
