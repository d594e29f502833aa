/**
 * The seated fan on the stage session. The seat's connection (the join's subscriber token, which
 * carries the seat's claim) stays up for as long as the page holds the seat: its end is how the
 * server learns that a seat freed (Vonage's connectionDestroyed, docs/seats.md), so dropping it to go
 * on stage would give the seat away. Once the producer set `isOnStage`, the page opens a second
 * connection with the publisher token createTokenStageFan gives and publishes there, and closes only
 * that one when the flag is cleared. `tokens` holds the freshest tokens (the page refreshes them):
 * each connect reads it then.
 */
import { useEffect, useState } from "preact/hooks";
import type { RefObject } from "preact";
import { errorText } from "../../lib/errors";
import type { Backend } from "../../lib/firebase";
import { openMedia, type MediaSession } from "../../media";

export interface JoinTokens {
  apiKey: string;
  stageSessionId: string;
  stageToken: string;
}

export function useStageSeat(
  backend: Backend,
  tokens: { readonly current: JoinTokens },
  fanId: string,
  name: string,
  onStage: boolean,
  selfView: RefObject<HTMLDivElement | null>,
) {
  const [seat, setSeat] = useState<MediaSession | null>(null);
  const [publishing, setPublishing] = useState<MediaSession | null>(null);
  const [seatError, setSeatError] = useState<string | null>(null);
  const [stageError, setStageError] = useState<string | null>(null);
  // The seat's own connection: watching the stage, and holding the seat.
  useEffect(() => {
    let current = true;
    const join = tokens.current;
    const session = openMedia({ apiKey: join.apiKey, sessionId: join.stageSessionId, token: join.stageToken });
    setSeatError(null);
    void session.connect().then(
      () => current && setSeat(session),
      (failure) => current && setSeatError(errorText(failure)),
    );
    return () => {
      current = false;
      setSeat(null);
      void session.disconnect().catch(() => undefined);
    };
  }, [backend, tokens, fanId]);
  // On stage: a publisher connection beside the seat's.
  useEffect(() => {
    if (!onStage) return;
    let current = true;
    let session: MediaSession | null = null;
    setStageError(null);
    void (async () => {
      try {
        const join = tokens.current;
        const { stageToken } = await backend.api.createTokenStageFan({ fanId });
        if (!current) return;
        session = openMedia({ apiKey: join.apiKey, sessionId: join.stageSessionId, token: stageToken });
        await session.connect();
        await session.publish(name, selfView.current);
        if (current) setPublishing(session);
      } catch (failure) {
        if (current) setStageError(errorText(failure));
      }
    })();
    return () => {
      current = false;
      setPublishing(null);
      void session?.disconnect().catch(() => undefined);
    };
  }, [backend, tokens, fanId, name, onStage, selfView]);
  // What the page shows: the stage as the publishing connection sees it (with the fan's own tile)
  // while on stage, else as the seat's connection sees it.
  const stage = onStage ? publishing : seat;
  return { stage, seat, publishing, error: seatError ?? stageError };
}
