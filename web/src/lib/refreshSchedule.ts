/**
 * When a page asks for fresh Vonage tokens (pure, so it is unit-tested in test/web/): a while before
 * `expiresAt`, so a later connect (getting in line, going back from the stage, rejoining the stage)
 * never uses an expired token. No imports: Node runs this file as it is in the unit test.
 */

/** setTimeout fires at once for anything longer (about 24.8 days); tokens may live 30 days. */
export const MAX_TIMER_MS = 2_147_483_647;
/** Ask this long before expiry (or a quarter of the remaining life, for short-lived tokens). */
export const REFRESH_MARGIN_MS = 5 * 60_000;
/** A failed refresh is asked again after 5 s, 10 s, 20 s… up to a minute. */
export const RETRY_FIRST_MS = 5_000;
export const RETRY_MAX_MS = 60_000;

/** Milliseconds from `now` until the refresh of tokens that arrive `now` is due (0: due now), never beyond what a timer can wait. */
export function refreshDelay(expiresAt: number, now: number): number {
  return waitUntil(refreshDueAt(expiresAt, now), now);
}

/**
 * When to refresh tokens expiring at `expiresAt` that arrived at `receivedAt`: the margin is fixed then
 * (from the life the tokens had), so looking again later, when a timer fires, finds the same moment.
 * (Recomputing the delay at each look shrank a short-lived token's margin to a quarter of what was
 * left each time: the refresh crept to a second before expiry.) Past due: `receivedAt`.
 */
export function refreshDueAt(expiresAt: number, receivedAt: number): number {
  const remaining = expiresAt - receivedAt;
  if (!Number.isFinite(remaining) || remaining <= 0) return receivedAt;
  return receivedAt + Math.floor(remaining - Math.min(REFRESH_MARGIN_MS, remaining / 4));
}

/** Milliseconds a timer should wait from `now` for the refresh due at `dueAt` (0: due now), never beyond what a timer can. */
export function waitUntil(dueAt: number, now: number): number {
  const wait = dueAt - now;
  if (!Number.isFinite(wait) || wait <= 0) return 0;
  return Math.min(Math.floor(wait), MAX_TIMER_MS);
}

/** The wait before retry number `attempt` (1, 2, …) after a refresh failed for a transient reason. */
export function retryDelay(attempt: number): number {
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  return Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** Math.min(exponent, 16));
}

/**
 * The backend's codes after which asking again cannot help: removed (`permission-denied`), the seat
 * is gone or the show closed (`failed-precondition`), no longer signed in (`unauthenticated`).
 */
export function refreshGivesUp(code: string | undefined): boolean {
  return code === "permission-denied" || code === "failed-precondition" || code === "unauthenticated";
}
