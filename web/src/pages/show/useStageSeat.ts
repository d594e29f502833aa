/**
 * The seated fan on the stage session: a subscriber (watching) with the join's token; once the producer
 * set `isOnStage`, a publisher with the token createTokenStageFan gives, and back when it is cleared.
 * `tokens` holds the freshest tokens (the page refreshes them): each connect reads it then.
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
  const [stage, setStage] = useState<MediaSession | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    let session: MediaSession | null = null;
    setError(null);
    void (async () => {
      try {
        const join = tokens.current;
        const token = onStage ? (await backend.api.createTokenStageFan({ fanId })).stageToken : join.stageToken;
        if (!current) return;
        session = openMedia({ apiKey: join.apiKey, sessionId: join.stageSessionId, token });
        await session.connect();
        if (onStage) await session.publish(name, selfView.current);
        if (current) setStage(session);
      } catch (failure) {
        if (current) setError(errorText(failure));
      }
    })();
    return () => {
      current = false;
      setStage(null);
      void session?.disconnect().catch(() => undefined);
    };
  }, [backend, tokens, fanId, name, onStage, selfView]);
  return { stage, error };
}
