/**
 * The fan's own place in line: the fan writes its own entry (name, device, snapshot) under the live
 * record, publishes its camera backstage so the producer can screen it, and removes both to leave.
 * `onDisconnect` removes the entry when the tab closes, as the seat frees itself.
 */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { onDisconnect, ref, remove, set, type Database } from "firebase/database";
import { openMedia, type MediaSession, type SessionTokens } from "../../media";
import { simulatedSnapshot } from "../../media/snapshot";
import { browserName, isMobile, osName } from "./device";

export function useLineEntry(db: Database, entryPath: string, backstageTokens: SessionTokens) {
  const [backstage, setBackstage] = useState<MediaSession | null>(null);
  const media = useRef<MediaSession | null>(null);
  const leave = useCallback(async () => {
    const session = media.current;
    media.current = null;
    setBackstage(null);
    const entry = ref(db, entryPath);
    await onDisconnect(entry).cancel();
    await remove(entry);
    await session?.disconnect();
  }, [db, entryPath]);
  const join = useCallback(
    async (name: string, selfView: HTMLElement | null) => {
      const session = openMedia(backstageTokens);
      media.current = session;
      await session.connect();
      await session.publish(name, selfView);
      setBackstage(session);
      const entry = ref(db, entryPath);
      await onDisconnect(entry).remove();
      const id = entryPath.split("/").pop()!;
      await set(entry, {
        id,
        name,
        browser: browserName(),
        os: osName(),
        mobile: isMobile(),
        snapshot: session.snapshot() ?? simulatedSnapshot(name),
      });
    },
    [db, entryPath, backstageTokens],
  );
  useEffect(
    () => () => {
      void media.current?.disconnect().catch(() => undefined);
    },
    [],
  );
  return { backstage, join, leave };
}
