/** The producer's connections to the show's two sessions (moderator tokens), while it is open. */
import { useEffect, useState } from "preact/hooks";
import { errorText } from "../../lib/errors";
import { openMedia, type MediaSession } from "../../media";
import type { Backend } from "../../lib/firebase";

export interface ProducerMedia {
  stage: MediaSession | null;
  backstage: MediaSession | null;
  error: string | null;
}

export function useProducerMedia(backend: Backend, eventId: string, open: boolean): ProducerMedia {
  const [media, setMedia] = useState<ProducerMedia>({ stage: null, backstage: null, error: null });
  useEffect(() => {
    if (!open) return;
    let current = true;
    const sessions: MediaSession[] = [];
    void (async () => {
      try {
        const tokens = await backend.api.createTokenProducer({ eventId });
        const stage = openMedia({ apiKey: tokens.apiKey, sessionId: tokens.stageSessionId, token: tokens.stageToken });
        const backstage = openMedia({ apiKey: tokens.apiKey, sessionId: tokens.sessionId, token: tokens.backstageToken });
        sessions.push(stage, backstage);
        await Promise.all([stage.connect(), backstage.connect()]);
        if (current) setMedia({ stage, backstage, error: null });
        else await Promise.all(sessions.map((session) => session.disconnect()));
      } catch (error) {
        if (current) setMedia({ stage: null, backstage: null, error: errorText(error) });
      }
    })();
    return () => {
      current = false;
      setMedia({ stage: null, backstage: null, error: null });
      for (const session of sessions) void session.disconnect().catch(() => undefined);
    };
  }, [backend, eventId, open]);
  return media;
}
