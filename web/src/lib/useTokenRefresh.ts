/**
 * Keeps a page's Vonage tokens fresh: asks `refresh` (refreshTokens for fans, hosts and celebrities)
 * before `expiresAt` (lib/refreshSchedule.ts), again with a backoff when it failed for a transient
 * reason, and hands a final refusal to `onRefused`. No reload, no reconnect: connected sessions stay
 * as they are, and the next connect uses the fresh tokens.
 */
import { useEffect, useRef } from "preact/hooks";
import { errorCode } from "./errors";
import { refreshDueAt, refreshGivesUp, retryDelay, waitUntil } from "./refreshSchedule";

/** A timer this close to its end counts as due (timers fire a little early or late). */
const DUE_WITHIN_MS = 1_000;

/**
 * `expiresAt: null` refreshes nothing. `refresh` returns the new tokens' expiry. The latest `refresh`
 * and `onRefused` are used.
 */
export function useTokenRefresh(expiresAt: number | null, refresh: () => Promise<number>, onRefused: (error: unknown) => void): void {
  const latest = useRef({ refresh, onRefused });
  latest.current = { refresh, onRefused };
  useEffect(() => {
    if (expiresAt === null) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The moment is fixed when tokens arrive (refreshDueAt), so a timer firing early or a look on
    // coming back to the tab finds the same moment.
    let dueAt = refreshDueAt(expiresAt, Date.now());
    let attempt = 0;
    let running = false;
    const arm = (ms: number) => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void check(), ms);
    };
    const check = async () => {
      if (stopped || running) return;
      const wait = waitUntil(dueAt, Date.now());
      if (wait > DUE_WITHIN_MS) return arm(wait);
      running = true;
      try {
        const expiry = await latest.current.refresh();
        dueAt = refreshDueAt(expiry, Date.now());
        attempt = 0;
        if (!stopped) arm(waitUntil(dueAt, Date.now()));
      } catch (error) {
        if (stopped) return;
        if (refreshGivesUp(errorCode(error))) latest.current.onRefused(error);
        else arm(retryDelay((attempt += 1)));
      } finally {
        running = false;
      }
    };
    // A tab in the background or a sleeping laptop delays timers: look again when it comes back.
    const onVisible = () => {
      if (document.visibilityState === "visible" && attempt === 0) void check();
    };
    document.addEventListener("visibilitychange", onVisible);
    arm(waitUntil(dueAt, Date.now()));
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [expiresAt]);
}
