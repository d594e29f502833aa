/**
 * The fan's place in line (docs/live-show.md, "Protocol for a fan client"): the fan publishes its
 * camera backstage so the producer can screen it, writes its presence record (name, device,
 * snapshot), then asks the server for a place with `joinLine` and at once registers the
 * `onDisconnect` that takes it out of the line when the tab goes. The server keeps the order; the fan
 * only listens to its own entry (`linePath`: position and state) and may delete it.
 */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { onDisconnect, ref, remove, set } from "firebase/database";
import type { Backend } from "../../lib/firebase";
import { openMedia, type MediaSession, type SessionTokens } from "../../media";
import { simulatedSnapshot } from "../../media/snapshot";
import { browserName, isMobile, osName } from "./device";

/** The fan's own entry at `linePath` (written by the server only). */
export interface LineSpot {
  participantId: string;
  name?: string;
  state: "inLine" | "backstage" | "onStage";
  /** 1-based among the waiting fans; absent once the producer moved the fan. */
  position?: number;
  inPrivateCall?: boolean;
}

/** `backstageTokens` gives the freshest backstage tokens (the page refreshes them) when the fan gets in line. */
export function useLineEntry(backend: Backend, fanId: string, entryPath: string, backstageTokens: () => SessionTokens) {
  const { db, api } = backend;
  const [backstage, setBackstage] = useState<MediaSession | null>(null);
  const [linePath, setLinePath] = useState<string | null>(null);
  const media = useRef<MediaSession | null>(null);
  const spotPath = useRef<string | null>(null);
  const leave = useCallback(async () => {
    const session = media.current;
    media.current = null;
    setBackstage(null);
    const path = spotPath.current;
    spotPath.current = null;
    setLinePath(null);
    if (path) await onDisconnect(ref(db, path)).cancel();
    await api.leaveLine({ fanId });
    const entry = ref(db, entryPath);
    await onDisconnect(entry).cancel();
    await remove(entry);
    await session?.disconnect();
  }, [db, api, fanId, entryPath]);
  const join = useCallback(
    async (name: string, selfView: HTMLElement | null) => {
      const session = media.current ?? openMedia(backstageTokens());
      media.current = session;
      await session.connect();
      await session.publish(name, selfView);
      setBackstage(session);
      const entry = ref(db, entryPath);
      await onDisconnect(entry).remove();
      await set(entry, {
        id: fanId,
        name,
        browser: browserName(),
        os: osName(),
        mobile: isMobile(),
        snapshot: session.snapshot() ?? simulatedSnapshot(name),
      });
      const spot = await api.joinLine({ fanId, name });
      await onDisconnect(ref(db, spot.linePath)).remove();
      spotPath.current = spot.linePath;
      setLinePath(spot.linePath);
    },
    [db, api, fanId, entryPath, backstageTokens],
  );
  /** The page gave up the line without leaving it (removed, or the show ended): media only. */
  const drop = useCallback(() => {
    const session = media.current;
    media.current = null;
    setBackstage(null);
    spotPath.current = null;
    setLinePath(null);
    void session?.disconnect().catch(() => undefined);
  }, []);
  useEffect(
    () => () => {
      void media.current?.disconnect().catch(() => undefined);
    },
    [],
  );
  return { backstage, linePath, join, leave, drop };
}
