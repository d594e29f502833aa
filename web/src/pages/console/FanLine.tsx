/** The line of fans, as the producer sees it, with the actions the current backend supports. */
import { ref, set } from "firebase/database";
import type { Database } from "firebase/database";
import { OutcomeLine, useOutcome } from "../../ui/outcome";
import { FAN_STATE_LABEL, fanState, type FanEntry } from "./liveRecord";

function FanRow({ db, recordPath, entry, position }: { db: Database; recordPath: string; entry: FanEntry; position: number }) {
  const { outcome, run, busy } = useOutcome();
  const name = entry.name || "A fan";
  const state = fanState(entry);
  const flag = (field: "isBackstage" | "isOnStage", value: boolean, done: string) =>
    void run("Saving…", async () => {
      await set(ref(db, `${recordPath}/activeFans/${entry.id}/${field}`), value);
      return `${name} ${done}.`;
    });
  return (
    <li class={`fan fan-${state}`} data-testid="fan-row" data-fan={entry.id}>
      <span class="position" aria-label={`Position ${position}`}>
        {position}
      </span>
      {entry.snapshot ? (
        <img class="snapshot" src={entry.snapshot} alt={`Snapshot of ${name}`} width={80} height={60} />
      ) : (
        <span class="snapshot snapshot-none">no snapshot</span>
      )}
      <div class="fan-info">
        <strong>{name}</strong>
        <span class="muted">{[entry.browser, entry.os, entry.mobile ? "mobile" : null].filter(Boolean).join(" · ")}</span>
        <span class={`badge state-${state}`} data-testid="fan-state">
          {FAN_STATE_LABEL[state]}
        </span>
      </div>
      <div class="fan-actions">
        {state === "inLine" ? (
          <button
            type="button"
            disabled={busy}
            onClick={() => flag("isBackstage", true, "is backstage")}
            aria-label={`Move ${name} backstage`}
          >
            Backstage
          </button>
        ) : null}
        {state === "backstage" ? (
          <>
            <button
              type="button"
              disabled={busy}
              onClick={() => flag("isOnStage", true, "is on stage")}
              aria-label={`Put ${name} on stage`}
            >
              On stage
            </button>
            <button
              type="button"
              class="secondary"
              disabled={busy}
              onClick={() => flag("isBackstage", false, "is back in line")}
              aria-label={`Send ${name} back to the line`}
            >
              Back to line
            </button>
          </>
        ) : null}
        {state === "onStage" ? (
          <button
            type="button"
            class="secondary"
            disabled={busy}
            onClick={() => flag("isOnStage", false, "is off stage (backstage)")}
            aria-label={`Take ${name} off stage`}
          >
            Off stage
          </button>
        ) : null}
        <OutcomeLine outcome={outcome} testId="fan-outcome" />
      </div>
    </li>
  );
}

export function FanLine({ db, recordPath, entries }: { db: Database; recordPath: string; entries: FanEntry[] }) {
  return (
    <section class="panel" aria-labelledby="line-heading">
      <h2 id="line-heading">Line of fans ({entries.length})</h2>
      <p class="hint">
        In the order you saw them get in line. Private calls, removal, muting and messages wait for the backend (issue #17).
      </p>
      {entries.length === 0 ? (
        <p class="muted">Nobody in line yet. Fans with a seat can get in line from the fan page.</p>
      ) : (
        <ol class="line" aria-label="Fans in line">
          {entries.map((entry, index) => (
            <FanRow key={entry.id} db={db} recordPath={recordPath} entry={entry} position={index + 1} />
          ))}
        </ol>
      )}
    </section>
  );
}
