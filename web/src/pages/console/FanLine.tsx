/**
 * The line of fans as the server keeps it (`getLine`: waiting fans by ticket, then the ones moved
 * backstage or on stage), asked again every few seconds and whenever `counts/inLine` moves, with the
 * producer's actions on each fan. Snapshots and devices come from the fans' own presence records.
 */
import { useCallback, useEffect, useState } from "preact/hooks";
import type { CallableOutput } from "@interactive-broadcast/client";
import { errorText } from "../../lib/errors";
import type { Backend } from "../../lib/firebase";
import { usePolling } from "../../lib/live";
import { OutcomeLine, useOutcome } from "../../ui/outcome";
import { FAN_STATE_LABEL, type FanEntry } from "./liveRecord";

export type Line = CallableOutput<"getLine">;
export type LineFan = Line["fans"][number];

const LINE_POLL_MS = 4000;

/** The server's line, refreshed on a timer, on `trigger` changing and after each action (`reload`). */
export function useLine(backend: Backend, eventId: string, active: boolean, trigger: unknown) {
  const [line, setLine] = useState<Line | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      setLine(await backend.api.getLine({ eventId }));
      setError(null);
    } catch (failure) {
      setError(errorText(failure));
    }
  }, [backend, eventId]);
  usePolling(active, LINE_POLL_MS, reload, [reload]);
  useEffect(() => {
    if (active) void reload();
  }, [trigger]);
  return { line, error, reload };
}

function FanRow({
  backend,
  eventId,
  fan,
  record,
  onChanged,
}: {
  backend: Backend;
  eventId: string;
  fan: LineFan;
  record: FanEntry | undefined;
  onChanged: () => Promise<void>;
}) {
  const { outcome, run, busy } = useOutcome();
  const [confirmRemove, setConfirmRemove] = useState(false);
  const name = fan.name || record?.name || "A fan";
  const state = fan.state;
  const act = (busyText: string, action: () => Promise<unknown>, done: string) =>
    void run(busyText, async () => {
      await action();
      await onChanged();
      return `${name} ${done}.`;
    });
  const ids = { eventId, fanId: fan.fanId };
  return (
    <li class={`fan fan-${state}`} data-testid="fan-row" data-fan={fan.fanId}>
      <span class="position" aria-label={state === "inLine" && fan.position ? `Position ${fan.position}` : FAN_STATE_LABEL[state]}>
        {state === "inLine" ? (fan.position ?? "·") : "★"}
      </span>
      {record?.snapshot ? (
        <img class="snapshot" src={record.snapshot} alt={`Snapshot of ${name}`} width={80} height={60} />
      ) : (
        <span class="snapshot snapshot-none">no snapshot</span>
      )}
      <div class="fan-info">
        <strong>{name}</strong>
        <span class="muted">{[record?.browser, record?.os, record?.mobile ? "mobile" : null].filter(Boolean).join(" · ")}</span>
        <span class={`badge state-${state}`} data-testid="fan-state">
          {FAN_STATE_LABEL[state]}
        </span>
        {fan.inPrivateCall ? (
          <span class="badge" data-testid="fan-private">
            In a private call
          </span>
        ) : null}
      </div>
      <div class="fan-actions">
        {state === "inLine" ? (
          <button
            type="button"
            disabled={busy}
            onClick={() => act("Bringing backstage…", () => backend.api.bringBackstage(ids), "is backstage")}
            aria-label={`Move ${name} backstage`}
          >
            Backstage
          </button>
        ) : null}
        {state === "backstage" ? (
          <button
            type="button"
            disabled={busy}
            onClick={() => act("Bringing on stage…", () => backend.api.bringOnStage(ids), "is on stage")}
            aria-label={`Put ${name} on stage`}
          >
            On stage
          </button>
        ) : null}
        {state === "onStage" ? (
          <button
            type="button"
            class="secondary"
            disabled={busy}
            onClick={() => act("Taking off stage…", () => backend.api.takeOffStage(ids), "is off stage (backstage)")}
            aria-label={`Take ${name} off stage`}
          >
            Off stage
          </button>
        ) : null}
        {fan.inPrivateCall ? (
          <button
            type="button"
            class="secondary"
            disabled={busy}
            onClick={() => act("Ending the call…", () => backend.api.endPrivateCall({ eventId }), "is out of the private call")}
            aria-label={`End the private call with ${name}`}
          >
            End call
          </button>
        ) : (
          <button
            type="button"
            class="secondary"
            disabled={busy}
            onClick={() =>
              act(
                "Starting a private call…",
                () => backend.api.startPrivateCall({ eventId, with: "fan", fanId: fan.fanId }),
                "is in a private call",
              )
            }
            aria-label={`Private call with ${name}`}
          >
            Private call
          </button>
        )}
        {!confirmRemove ? (
          <button type="button" class="danger" disabled={busy} onClick={() => setConfirmRemove(true)} aria-label={`Remove ${name}`}>
            Remove
          </button>
        ) : (
          <span class="confirm">
            <span>Remove {name} from the show? They cannot come back with this login.</span>
            <button
              type="button"
              class="danger"
              disabled={busy}
              onClick={() =>
                act(
                  "Removing…",
                  async () => {
                    await backend.api.removeParticipant({ eventId, participantId: fan.participantId });
                    setConfirmRemove(false);
                  },
                  "was removed",
                )
              }
            >
              Yes, remove {name}
            </button>
            <button type="button" class="secondary" onClick={() => setConfirmRemove(false)}>
              Keep {name}
            </button>
          </span>
        )}
        <OutcomeLine outcome={outcome} testId="fan-outcome" />
      </div>
    </li>
  );
}

export function FanLine({
  backend,
  eventId,
  line,
  error,
  records,
  onChanged,
}: {
  backend: Backend;
  eventId: string;
  line: Line | null;
  error: string | null;
  records: Record<string, FanEntry>;
  onChanged: () => Promise<void>;
}) {
  const fans = line?.fans ?? [];
  return (
    <section class="panel" aria-labelledby="line-heading">
      <h2 id="line-heading">Line of fans ({line ? `${line.waiting} waiting, ${line.size} of ${line.max}` : "…"})</h2>
      <p class="hint">In the server's order: waiting fans by when they got in line, then the fans you moved.</p>
      {error ? <p role="alert">The line: {error}</p> : null}
      {line && fans.length === 0 ? <p class="muted">Nobody in line yet. Fans with a seat can get in line from the fan page.</p> : null}
      {fans.length ? (
        <ol class="line" aria-label="Fans in line">
          {fans.map((fan) => (
            <FanRow key={fan.fanId} backend={backend} eventId={eventId} fan={fan} record={records[fan.fanId]} onChanged={onChanged} />
          ))}
        </ol>
      ) : null}
    </section>
  );
}
