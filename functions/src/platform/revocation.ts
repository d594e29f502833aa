/**
 * Revoked sessions of admins. Demoting or removing an admin revokes their refresh tokens (no new ID
 * token), but an ID token already issued keeps its claims until it expires (up to an hour). So the
 * revocation time is also written to `tokenRevocations/{uid}` (seconds), and the callable wrapper
 * refuses an admin's ID token issued before it. Read once per uid and instance every
 * REVOCATION_CACHE_MS: a demoted admin's old token works for at most that long on a warm instance.
 */
import { db } from "./firebase";
import { paths } from "../contract/paths";
import { BoundedCache } from "./cache";
import { unauthenticated } from "./errors";

export const REVOCATION_CACHE_MS = 10_000;
/** ID tokens live an hour: a revocation older than that (plus clock slack) can refuse nothing. */
const ID_TOKEN_LIFETIME_SECONDS = 3600 + 300;

const revokedAt = new BoundedCache<string, number>({ max: 10_000, ttlMs: REVOCATION_CACHE_MS });

/** Records a revocation (after `revokeRefreshTokens`); this instance sees it at once. */
export async function recordRevocation(uid: string, now = Date.now()): Promise<void> {
  const seconds = Math.ceil(now / 1000);
  await db().ref(paths.tokenRevocation(uid)).set(seconds);
  revokedAt.set(uid, seconds);
  // Entries past every ID token's lifetime refuse nothing: drop them (the node stays small).
  const expired = await db()
    .ref(paths.tokenRevocations())
    .orderByValue()
    .endAt(seconds - ID_TOKEN_LIFETIME_SECONDS)
    .limitToFirst(100)
    .once("value");
  const removals: Record<string, null> = {};
  expired.forEach((entry) => {
    removals[paths.tokenRevocation(entry.key)] = null;
  });
  if (Object.keys(removals).length) await db().ref().update(removals);
}

/** Refuses an ID token issued before the uid's last revocation. */
export async function refuseRevokedToken(uid: string, token: Record<string, unknown>, now = Date.now()): Promise<void> {
  let revoked = revokedAt.get(uid, now);
  if (revoked === undefined) {
    revoked = ((await db().ref(paths.tokenRevocation(uid)).get()).val() as number | null) ?? 0;
    revokedAt.set(uid, revoked, now);
  }
  if (!revoked || now / 1000 - revoked > ID_TOKEN_LIFETIME_SECONDS) return;
  const issuedAt = typeof token.iat === "number" ? token.iat : 0;
  if (issuedAt < revoked) throw unauthenticated("This session was revoked (your admin rights changed): sign in again.");
}

/** Tests start with an empty cache. */
export function forgetRevocations(): void {
  revokedAt.clear();
}
