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
    let retry: ReturnType<typeof setTimeout> | undefined;
    // A failed attempt (the network, a function instance that did not start) is tried again.
    const attempt = async (failures: number) => {
      try {
        const tokens = await backend.api.createTokenProducer({ eventId });
        const stage = openMedia({ apiKey: tokens.apiKey, sessionId: tokens.stageSessionId, token: tokens.stageToken });
        const backstage = openMedia({ apiKey: tokens.apiKey, sessionId: tokens.sessionId, token: tokens.backstageToken });
        sessions.push(stage, backstage);
        await Promise.all([stage.connect(), backstage.connect()]);
        if (current) setMedia({ stage, backstage, error: null });
        else await Promise.all(sessions.map((session) => session.disconnect()));
      } catch (error) {
        for (const session of sessions.splice(0)) void session.disconnect().catch(() => undefined);
        if (!current) return;
        setMedia({ stage: null, backstage: null, error: `${errorText(error)} (trying again)` });
        retry = setTimeout(() => void attempt(failures + 1), Math.min(30_000, 2_000 * 2 ** Math.min(failures, 4)));
      }
    };
    void attempt(0);
    return () => {
      current = false;
      if (retry) clearTimeout(retry);
      setMedia({ stage: null, backstage: null, error: null });
      for (const session of sessions) void session.disconnect().catch(() => undefined);
    };
  }, [backend, eventId, open]);
  return media;
}
