/**
 * A fan with an interactive seat: watches the stage, may get in line (their place is the server's),
 * may be brought backstage and on stage, hears the producer's messages. When their line entry or a
 * connection disappears without them leaving, the page asks `refreshTokens`: a `permission-denied`
 * means the producer removed them (docs/live-show.md, "What removal does").
 */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { CallableOutput } from "@interactive-broadcast/client";
import { errorCode, errorText } from "../../lib/errors";
import type { Backend } from "../../lib/firebase";
import { useLive } from "../../lib/live";
import { useTokenRefresh } from "../../lib/useTokenRefresh";
import type { MediaEvent, MediaSession } from "../../media";
import { OutcomeLine, useOutcome } from "../../ui/outcome";
import { Tiles } from "../../ui/Tiles";
import type { FanEntry } from "../console/liveRecord";
import { useLineEntry, type LineSpot } from "./useLineEntry";
import { useStageSeat } from "./useStageSeat";

export type Interactive = Extract<CallableOutput<"createTokensFan">, { mode: "interactive" }>;

/** The signal type the producer console sends its messages with. */
export const MESSAGE_SIGNAL = "message";

export interface LiveCounts {
  seated?: number;
  hls?: number;
  inLine?: number;
}

function lineText(spot: LineSpot | null, entry: FanEntry | null, inLine: boolean): string {
  if (entry?.isOnStage || spot?.state === "onStage") return "You're on stage! Everyone watching sees and hears you.";
  if (entry?.isBackstage || spot?.state === "backstage")
    return "You're backstage: the producer can see and hear you. Get ready to go on stage.";
  if (inLine) return "You're in line. The producer sees your snapshot and will bring you backstage.";
  return "You have a seat: you watch the show live and can get in line to be on stage.";
}

/** The show's live counts, where the backend has written them. */
export function CountsLine({ counts }: { counts: LiveCounts | null }) {
  const parts: string[] = [];
  if (typeof counts?.seated === "number") parts.push(`${counts.seated} with a seat`);
  if (typeof counts?.hls === "number") parts.push(`${counts.hls} watching the stream`);
  if (typeof counts?.inLine === "number") parts.push(`${counts.inLine} in line`);
  if (!parts.length) return null;
  return (
    <p class="muted" data-testid="live-counts">
      Now: {parts.join(" · ")}
    </p>
  );
}

/** Signals and dropped connections of the page's sessions. */
function useMediaEvents(sessions: Array<MediaSession | null>, listener: (event: MediaEvent) => void) {
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => {
    const stops = sessions.filter((s): s is MediaSession => s !== null).map((s) => s.onEvent((event) => latest.current(event)));
    return () => stops.forEach((stop) => stop());
  }, sessions);
}

export function FanSeated(props: {
  backend: Backend;
  join: Interactive;
  fanId: string;
  name: string;
  recordPath: string;
  onLeave: () => void;
  onRemoved: () => void;
}) {
  const { backend, join, fanId, name, recordPath } = props;
  const entryPath = `${recordPath}/activeFans/${fanId}`;
  const own = useLive<FanEntry>(backend.db, entryPath);
  const entry = own.value;
  const counts = useLive<LiveCounts>(backend.db, `${recordPath}/counts`).value;
  const self = useRef<HTMLDivElement>(null);
  const [inLine, setInLine] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [renewal, setRenewal] = useState<string | null>(null);
  // The freshest tokens: refreshed before they expire, read by the next connect (no reconnect now).
  const tokens = useRef(join);
  if (tokens.current.eventId !== join.eventId || tokens.current.seatPath !== join.seatPath) tokens.current = join;
  const backstageTokens = useCallback(
    () => ({ apiKey: tokens.current.apiKey, sessionId: tokens.current.sessionId, token: tokens.current.backstageToken }),
    [],
  );
  const line = useLineEntry(backend, fanId, entryPath, backstageTokens);
  const spotLive = useLive<LineSpot>(line.linePath ? backend.db : null, line.linePath);
  const spot = spotLive.value;
  const onStage = Boolean(entry?.isOnStage);
  const seat = useStageSeat(backend, tokens, fanId, name, onStage, self);
  const { outcome, run, busy, clear } = useOutcome();
  const checking = useRef(false);
  /** Something of ours vanished: still welcome, or removed? */
  const checkStanding = async () => {
    if (checking.current) return;
    checking.current = true;
    try {
      await backend.api.refreshTokens({ fanId });
    } catch (error) {
      if (errorCode(error) === "permission-denied") {
        line.drop();
        props.onRemoved();
      }
    } finally {
      checking.current = false;
    }
  };
  useTokenRefresh(
    join.expiresAt,
    async () => {
      // Without fanId: the subscriber stage token of the seat (on stage, createTokenStageFan gives the
      // publisher one at each connect) and the backstage publisher token.
      const fresh = await backend.api.refreshTokens({});
      tokens.current = {
        ...tokens.current,
        apiKey: fresh.apiKey,
        stageSessionId: fresh.stageSessionId,
        stageToken: fresh.stageToken,
        sessionId: fresh.sessionId ?? tokens.current.sessionId,
        backstageToken: fresh.backstageToken ?? tokens.current.backstageToken,
        expiresAt: fresh.expiresAt,
      };
      setRenewal(null);
      return fresh.expiresAt;
    },
    (error) => {
      if (errorCode(error) === "permission-denied") {
        line.drop();
        props.onRemoved();
      } else setRenewal(errorText(error));
    },
  );
  useMediaEvents([seat.seat, seat.publishing, line.backstage], (event) => {
    if (event.kind === "signal" && event.type === MESSAGE_SIGNAL) setMessage(event.data);
    if (event.kind === "disconnected") void checkStanding();
  });
  // The entry at linePath went away while this page did not leave: dropped out, or removed.
  const hadSpot = useRef(false);
  useEffect(() => {
    if (spot) hadSpot.current = true;
    else if (hadSpot.current && spotLive.loaded && line.linePath) {
      hadSpot.current = false;
      void checkStanding();
    }
  }, [spot, spotLive.loaded, line.linePath]);
  // On stage the fan publishes there; backstage again, the camera is back for the producer.
  useEffect(() => {
    clear();
    if (!line.backstage) return;
    if (onStage) void line.backstage.unpublish().catch(() => undefined);
    else void line.backstage.publish(name, self.current).catch(() => undefined);
  }, [onStage, line.backstage, entry?.isBackstage]);
  const wasInLine = inLine && Boolean(line.linePath) && spotLive.loaded && !spot;
  const position = spot?.state === "inLine" ? spot.position : undefined;
  return (
    <section aria-labelledby="seat-heading" class="panel">
      <h2 id="seat-heading">You're in the show</h2>
      <p data-testid="fan-state" class="lead" data-state={spot?.state ?? (onStage ? "onStage" : inLine ? "joining" : "seated")}>
        {wasInLine ? "You're no longer in line." : lineText(spot, entry, inLine)}
      </p>
      {position ? (
        <p data-testid="line-position">
          Your place in line: <strong>{position}</strong>
        </p>
      ) : null}
      {spot?.inPrivateCall || entry?.inPrivateCall ? <p data-testid="private-call">You're in a private call with the producer.</p> : null}
      {message ? (
        <p class="note" role="status" data-testid="producer-message">
          Message from the producer: {message}
        </p>
      ) : null}
      <CountsLine counts={counts} />
      {seat.error ? <p role="alert">Stage: {seat.error}</p> : null}
      {renewal ? (
        <p role="alert" data-testid="token-renewal">
          Your access could not be renewed ({renewal}). Reload the page to join again.
        </p>
      ) : null}
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
      {inLine && !onStage ? <Tiles media={line.backstage} label="Backstage (you)" empty="Connecting backstage…" ownOnly /> : null}
    </section>
  );
}
