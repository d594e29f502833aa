/**
 * The producer's show-wide controls: mute everyone but the stage, a message to one fan or to everyone
 * (a Vonage signal the fan page shows), and the show's audit trail a page at a time.
 */
import { useId, useState } from "preact/hooks";
import type { CallableOutput } from "@interactive-broadcast/client";
import { clock } from "../../lib/format";
import type { Backend } from "../../lib/firebase";
import { Form } from "../../ui/fields";
import { OutcomeLine, useOutcome } from "../../ui/outcome";
import type { LineFan } from "./FanLine";

/** The signal type the fan page shows as a message (pages/show/FanSeated.tsx, MESSAGE_SIGNAL). */
const MESSAGE_SIGNAL = "message";

function MuteControls({ backend, eventId }: { backend: Backend; eventId: string }) {
  const { outcome, run, busy } = useOutcome();
  const mute = (active: boolean) =>
    void run(active ? "Muting…" : "Lifting the mute…", async () => {
      const answer = await backend.api.muteAll({ eventId, session: "stage", active });
      return active
        ? `Muted everyone but the stage (${answer.excluded ?? 0} stage streams left on).`
        : "New streams are no longer muted (muted ones unmute from their own page).";
    });
  return (
    <div>
      <h3>Audio</h3>
      <div class="row">
        <button type="button" class="secondary" disabled={busy} onClick={() => mute(true)}>
          Mute all but the stage
        </button>
        <button type="button" class="secondary" disabled={busy} onClick={() => mute(false)}>
          Stop muting new streams
        </button>
      </div>
      <OutcomeLine outcome={outcome} testId="mute-outcome" />
    </div>
  );
}

function MessageForm({ backend, eventId, fans }: { backend: Backend; eventId: string; fans: LineFan[] }) {
  const id = useId();
  const [to, setTo] = useState("");
  const [text, setText] = useState("");
  const { outcome, run, busy } = useOutcome();
  const recipients = [...new Map(fans.map((fan) => [fan.participantId, fan.name || "A fan"])).entries()];
  const send = () =>
    void run("Sending…", async () => {
      const target = recipients.find(([participantId]) => participantId === to);
      // One request id per click: a retried call is not sent twice.
      const requestId = `msg-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
      await backend.api.sendSignal({
        eventId,
        type: MESSAGE_SIGNAL,
        data: text.trim(),
        requestId,
        ...(target ? { participantId: to } : {}),
      });
      setText("");
      return target ? `Sent to ${target[1]}.` : "Sent to everyone.";
    });
  return (
    <div>
      <h3>Message</h3>
      <Form label="Send a message" onSubmit={send}>
        <div class="field">
          <label for={`${id}-to`}>To</label>
          <select id={`${id}-to`} value={to} onChange={(event) => setTo(event.currentTarget.value)}>
            <option value="">Everyone</option>
            {recipients.map(([participantId, name]) => (
              <option key={participantId} value={participantId}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={`${id}-text`}>Message</label>
          <input
            id={`${id}-text`}
            value={text}
            maxLength={2000}
            required
            autoComplete="off"
            onInput={(event) => setText(event.currentTarget.value)}
          />
        </div>
        <button type="submit" disabled={busy || !text.trim()}>
          Send message
        </button>
        <OutcomeLine outcome={outcome} testId="message-outcome" />
      </Form>
    </div>
  );
}

type AuditEntry = CallableOutput<"getAuditLog">["entries"][number];

const PAGE_SIZE = 20;

function facts(entry: AuditEntry): string {
  const values = { ...(entry.target ?? {}), ...(entry.details ?? {}) };
  return Object.entries(values)
    .map(([key, value]) => `${key}: ${String(value)}`)
    .join(", ");
}

function AuditLog({ backend, eventId }: { backend: Backend; eventId: string }) {
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const { outcome, run, busy } = useOutcome();
  const load = (more: boolean) =>
    void run("Loading the audit log…", async () => {
      const page = await backend.api.getAuditLog({ eventId, pageSize: PAGE_SIZE, ...(more && next ? { after: next } : {}) });
      setEntries((shown) => (more && shown ? [...shown, ...page.entries] : page.entries));
      setNext(page.next);
    });
  return (
    <section class="panel" aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit log</h2>
      <p class="hint">Every producer action and what the backend did on its own, oldest first.</p>
      <div class="row">
        <button type="button" class="secondary" disabled={busy} onClick={() => load(false)}>
          {entries ? "Reload the audit log" : "Show the audit log"}
        </button>
        {next ? (
          <button type="button" class="secondary" disabled={busy} onClick={() => load(true)}>
            Older entries… (next {PAGE_SIZE})
          </button>
        ) : null}
      </div>
      <OutcomeLine outcome={outcome} testId="audit-outcome" />
      {entries ? (
        entries.length ? (
          <table class="table audit" data-testid="audit-table">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Outcome</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td>{clock(entry.at)}</td>
                  <td>{entry.actor.role}</td>
                  <td>{entry.action}</td>
                  <td>{entry.outcome === "ok" ? "ok" : `failed: ${entry.error?.code ?? ""} ${entry.error?.message ?? ""}`}</td>
                  <td>{facts(entry)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p class="muted">Nothing recorded yet.</p>
        )
      ) : null}
    </section>
  );
}

export function ShowControls({ backend, eventId, fans, open }: { backend: Backend; eventId: string; fans: LineFan[]; open: boolean }) {
  return (
    <>
      {open ? (
        <section class="panel" aria-labelledby="controls-heading">
          <h2 id="controls-heading">Show controls</h2>
          <div class="two">
            <MuteControls backend={backend} eventId={eventId} />
            <MessageForm backend={backend} eventId={eventId} fans={fans} />
          </div>
        </section>
      ) : null}
      <AuditLog backend={backend} eventId={eventId} />
    </>
  );
}
