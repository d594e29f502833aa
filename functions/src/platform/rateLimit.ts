/**
 * Per-user call budget for login and token functions. Kept in instance memory on purpose: the fan-join
 * path must not pay a database round trip for it. The budget is therefore per instance (a caller spread
 * over N instances gets at most N times the budget), which still stops a client hammering a function.
 */
import { rateLimitPerMinute } from "./config";
import { resourceExhausted } from "./errors";

const WINDOW_MS = 60_000;
const windows = new Map<string, { start: number; count: number }>();

export function checkRateLimit(fn: string, who: string, now = Date.now()): void {
  const limit = rateLimitPerMinute.value();
  if (limit <= 0) return;
  const key = `${fn}\u0000${who}`;
  let entry = windows.get(key);
  if (!entry || now - entry.start >= WINDOW_MS) {
    entry = { start: now, count: 0 };
    windows.set(key, entry);
    if (windows.size > 50_000) pruneWindows(now);
  }
  entry.count += 1;
  if (entry.count > limit) {
    const retryAfterSeconds = Math.ceil((entry.start + WINDOW_MS - now) / 1000);
    throw resourceExhausted(`Too many ${fn} calls; retry in ${retryAfterSeconds} s.`, retryAfterSeconds);
  }
}

function pruneWindows(now: number): void {
  for (const [key, entry] of windows) if (now - entry.start >= WINDOW_MS) windows.delete(key);
}

/** Tests reset the budget between cases. */
export function resetRateLimits(): void {
  windows.clear();
}
