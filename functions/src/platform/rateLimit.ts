/**
 * Per-user call budget for login and token functions. Kept in instance memory on purpose: the fan-join
 * path must not pay a database round trip for it. The budget is therefore per instance (a caller spread
 * over N instances gets at most N times the budget), which still stops a client hammering a function.
 */
import { rateLimitPerMinute } from "./config";
import { resourceExhausted } from "./errors";
import { BoundedCache } from "./cache";

const WINDOW_MS = 60_000;
/** Per function and caller: the current window's start and count; a window expires after WINDOW_MS. */
const windows = new BoundedCache<string, { start: number; count: number }>({ max: 50_000, ttlMs: WINDOW_MS });

export function checkRateLimit(fn: string, who: string, now = Date.now()): void {
  const limit = rateLimitPerMinute.value();
  if (limit <= 0) return;
  const key = `${fn}\u0000${who}`;
  const entry = windows.get(key, now) ?? windows.set(key, { start: now, count: 0 }, now);
  entry.count += 1;
  if (entry.count > limit) {
    const retryAfterSeconds = Math.ceil((entry.start + WINDOW_MS - now) / 1000);
    throw resourceExhausted(`Too many ${fn} calls; retry in ${retryAfterSeconds} s.`, retryAfterSeconds);
  }
}

/** Tests reset the budget between cases. */
export function resetRateLimits(): void {
  windows.clear();
}
