/** A fan with an interactive seat: watches the stage, may get in line, may be brought on stage. */
import { useEffect, useRef, useState } from "preact/hooks";
import type { CallableOutput } from "@interactive-broadcast/client";
import type { Backend } from "../../lib/firebase";
import { useLive } from "../../lib/live";
import { OutcomeLine, useOutcome } from "../../ui/outcome";
import { Tiles } from "../../ui/Tiles";
import type { FanEntry } from "../console/liveRecord";
import { useLineEntry } from "./useLineEntry";
import { useStageSeat } from "./useStageSeat";

export type Interactive = Extract<CallableOutput<"createTokensFan">, { mode: "interactive" }>;

function lineText(entry: FanEntry | null, inLine: boolean): string {
  if (entry?.isOnStage) return "You're on stage! Everyone watching sees and hears you.";
  if (entry?.isBackstage) return "You're backstage: the producer can see and hear you. Get ready to go on stage.";
  if (inLine) return "You're in line. The producer sees your snapshot and will bring you backstage.";
  return "You have a seat: you watch the show live and can get in line to be on stage.";
}

export function FanSeated(props: {
  backend: Backend;
  join: Interactive;
  fanId: string;
  name: string;
  recordPath: string;
  onLeave: () => void;
}) {
  const { backend, join, fanId, name, recordPath } = props;
  const entryPath = `${recordPath}/activeFans/${fanId}`;
  const own = useLive<FanEntry>(backend.db, entryPath);
  const entry = own.value;
  const self = useRef<HTMLDivElement>(null);
  const [inLine, setInLine] = useState(false);
  const line = useLineEntry(backend.db, entryPath, { apiKey: join.apiKey, sessionId: join.sessionId, token: join.backstageToken });
  const seat = useStageSeat(backend, join, fanId, name, Boolean(entry?.isOnStage), self);
  const { outcome, run, busy, clear } = useOutcome();
  const onStage = Boolean(entry?.isOnStage);
  // On stage the fan publishes there; backstage again, the camera is back for the producer.
  useEffect(() => {
    clear();
    if (!line.backstage) return;
    if (onStage) void line.backstage.unpublish().catch(() => undefined);
    else void line.backstage.publish(name, self.current).catch(() => undefined);
  }, [onStage, line.backstage, entry?.isBackstage]);
  const wasInLine = inLine && own.loaded && !entry;
  return (
    <section aria-labelledby="seat-heading" class="panel">
      <h2 id="seat-heading">You're in the show</h2>
      <p data-testid="fan-state" class="lead">
        {wasInLine ? "You're no longer in line." : lineText(entry, inLine)}
      </p>
      {seat.error ? <p role="alert">Stage: {seat.error}</p> : null}
      <Tiles media={seat.stage} label="On stage" empty="Nobody is on stage yet." />
      <div ref={self} class="self-view" aria-hidden="true" />
      <div class="row">
        {!inLine ? (
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              void run("Getting in line…", async () => {
                await line.join(name, self.current);
                setInLine(true);
                return "You're in line.";
              })
            }
          >
            Get in line
          </button>
        ) : (
          <button
            type="button"
            class="secondary"
            disabled={busy}
            onClick={() =>
              void run("Leaving the line…", async () => {
                await line.leave();
                setInLine(false);
                return "You left the line.";
              })
            }
          >
            Leave the line
          </button>
        )}
        <button
          type="button"
          class="secondary"
          disabled={busy}
          onClick={() =>
            void run("Leaving…", async () => {
              if (inLine) await line.leave();
              props.onLeave();
            })
          }
        >
          Leave the show
        </button>
      </div>
      <OutcomeLine outcome={outcome} testId="fan-outcome" />
      {inLine && !onStage ? <Tiles media={line.backstage} label="Backstage (you)" empty="Connecting backstage…" /> : null}
    </section>
  );
}
