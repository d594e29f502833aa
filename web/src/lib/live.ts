/** Live values from the Realtime Database, as the rules let this user read them. */
import { useEffect, useState } from "preact/hooks";
import { onValue, ref, type Database } from "firebase/database";
import { errorText } from "./errors";

export interface Live<T> {
  value: T | null;
  loaded: boolean;
  error: string | null;
}

/** `path: null` listens to nothing (not signed in yet, no record yet). */
export function useLive<T>(db: Database | null, path: string | null): Live<T> {
  const [state, setState] = useState<Live<T>>({ value: null, loaded: false, error: null });
  useEffect(() => {
    setState({ value: null, loaded: false, error: null });
    if (!db || !path) return;
    return onValue(
      ref(db, path),
      (snapshot) => setState({ value: snapshot.val() as T | null, loaded: true, error: null }),
      (error) => setState({ value: null, loaded: true, error: errorText(error) }),
    );
  }, [db, path]);
  return state;
}

/** Calls `tick` now and every `ms` while `active`; the latest `tick` is used. */
export function usePolling(active: boolean, ms: number, tick: () => Promise<void> | void, deps: unknown[] = []): void {
  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const loop = async () => {
      try {
        await tick();
      } finally {
        if (!stopped) timer = setTimeout(() => void loop(), ms);
      }
    };
    void loop();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [active, ms, ...deps]);
}
