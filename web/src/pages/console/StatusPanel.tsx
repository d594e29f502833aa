/** Status, the next allowed transitions, the show's links, archive and broadcast state. */
import { useState } from "preact/hooks";
import { dateTime } from "../../lib/format";
import { pageUrl } from "../../lib/router";
import { OutcomeLine, useOutcome } from "../../ui/outcome";
import { celebrityPath, fanPath, hostPath, STATUS_LABEL, type EventStatus, type FullEvent } from "./events";
import { useProducer } from "./session";

const NEXT: Record<EventStatus, EventStatus[]> = {
  notStarted: ["preshow", "closed"],
  preshow: ["live", "closed"],
  live: ["closed"],
  closed: [],
};

function CopyLink({ label, path }: { label: string; path: string }) {
  const url = pageUrl(path);
  const [copied, setCopied] = useState(false);
  return (
    <li>
      <span class="link-label">{label}</span>{" "}
      <a href={url} target="_blank" rel="noopener" data-testid={`link-${label.toLowerCase()}`}>
        {url}
      </a>{" "}
      <button
        type="button"
        class="secondary small"
        aria-label={`Copy the ${label.toLowerCase()} link`}
        onClick={() =>
          void navigator.clipboard?.writeText(url).then(
            () => setCopied(true),
            () => setCopied(false),
          )
        }
      >
        {copied ? "Copied" : "Copy"}
      </button>
    </li>
  );
}

function Transitions({ event }: { event: FullEvent }) {
  const { backend } = useProducer();
  const { outcome, run, busy } = useOutcome();
  const [confirmEnd, setConfirmEnd] = useState(false);
  const next = NEXT[event.status];
  const go = (label: string, action: () => Promise<{ status: EventStatus }>) =>
    void run(`${label}…`, async () => {
      const answer = await action();
      setConfirmEnd(false);
      return `${label}: the show is now ${STATUS_LABEL[answer.status].toLowerCase()}.`;
    });
  return (
    <div class="transitions">
      <p>Next allowed: {next.length ? next.map((status) => STATUS_LABEL[status]).join(", ") : "nothing (closed is final)"}</p>
      <div class="row">
        {next.includes("preshow") ? (
          <button
            type="button"
            disabled={busy}
            onClick={() => go("Open preshow", () => backend.api.changeStatus({ id: event.id, status: "preshow" }))}
          >
            Open preshow
          </button>
        ) : null}
        {next.includes("live") ? (
          <button type="button" disabled={busy} onClick={() => go("Go live", () => backend.api.eventGoLive({ id: event.id }))}>
            Go live
          </button>
        ) : null}
        {next.includes("closed") && !confirmEnd ? (
          <button type="button" class="danger" disabled={busy} onClick={() => setConfirmEnd(true)}>
            {event.status === "notStarted" ? "Close without a show" : "End show"}
          </button>
        ) : null}
        {confirmEnd ? (
          <span class="confirm">
            <span>End “{event.name}” for everyone? This cannot be undone.</span>
            <button
              type="button"
              class="danger"
              disabled={busy}
              onClick={() => go("End show", () => backend.api.endBroadcast({ id: event.id }))}
            >
              Yes, end it
            </button>
            <button type="button" class="secondary" onClick={() => setConfirmEnd(false)}>
              Keep it running
            </button>
          </span>
        ) : null}
      </div>
      <OutcomeLine outcome={outcome} testId="transition-outcome" />
    </div>
  );
}

function ArchiveState({ event }: { event: FullEvent }) {
  const { backend } = useProducer();
  const { outcome, run, busy } = useOutcome();
  const archive = event.archive;
  const running = archive?.status === "started" || archive?.status === "starting";
  return (
    <div>
      <h3>Archive</h3>
      <p data-testid="archive-state">
        {archive
          ? `${archive.status}${archive.outputMode ? ` (${archive.outputMode})` : ""}`
          : event.archiveEvent
            ? "starts when the show goes live"
            : "off"}
        {archive?.startedAt ? `, started ${dateTime(archive.startedAt)}` : ""}
        {archive?.error ? ` — error: ${archive.error}` : ""}
      </p>
      {archive?.url ? (
        <p>
          <a href={archive.url}>Download the archive</a>
        </p>
      ) : null}
      {event.status === "live" ? (
        <button
          type="button"
          class="secondary"
          disabled={busy}
          onClick={() =>
            void run(running ? "Stopping the archive…" : "Starting the archive…", async () => {
              const answer = running ? await backend.api.stopArchive({ id: event.id }) : await backend.api.startArchive({ id: event.id });
              return `Archive ${answer.archive?.status ?? "unchanged"}.`;
            })
          }
        >
          {running ? "Stop archive" : "Start archive"}
        </button>
      ) : null}
      <OutcomeLine outcome={outcome} />
    </div>
  );
}

function BroadcastState({ event }: { event: FullEvent }) {
  const broadcast = event.broadcast;
  return (
    <div>
      <h3>Broadcast</h3>
      <p data-testid="broadcast-state">
        {broadcast ? broadcast.status : "starts when the show goes live (HLS on for the admin, or RTMP outputs)"}
        {broadcast?.error ? ` — error: ${broadcast.error}` : ""}
        {broadcast?.stopAfter && broadcast.status !== "stopped" ? `, stops after the HLS drain (${dateTime(broadcast.stopAfter)})` : ""}
      </p>
      {broadcast?.hlsUrl ? (
        <p>
          HLS: <code>{broadcast.hlsUrl}</code>
        </p>
      ) : null}
      {broadcast?.rtmp?.length ? <p>RTMP: {broadcast.rtmp.map((out) => out.serverUrl).join(", ")}</p> : null}
    </div>
  );
}

export function StatusPanel({ event }: { event: FullEvent }) {
  const errors = Object.entries(event.lifecycle?.errors ?? {});
  return (
    <section class="panel" aria-labelledby="status-heading">
      <h2 id="status-heading">
        Status:{" "}
        <span class={`status status-${event.status}`} data-testid="event-status">
          {STATUS_LABEL[event.status]}
        </span>
      </h2>
      <Transitions event={event} />
      {errors.length ? (
        <div role="alert" class="errors">
          {errors.map(([step, text]) => (
            <p key={step}>
              {step}: {text}
            </p>
          ))}
        </div>
      ) : null}
      <h3>Links</h3>
      <ul class="links">
        <CopyLink label="Fan" path={fanPath(event)} />
        <CopyLink label="Host" path={hostPath(event)} />
        <CopyLink label="Celebrity" path={celebrityPath(event)} />
      </ul>
      <div class="two">
        <ArchiveState event={event} />
        <BroadcastState event={event} />
      </div>
    </section>
  );
}
