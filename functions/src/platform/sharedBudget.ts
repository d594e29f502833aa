/**
 * Call budgets shared by every instance, for what guards something scarce (a fresh fan identity is a
 * seat): a counter per key in the database, in one-minute buckets `budgets/{minute}/{name}/{key}`. A
 * bucket is never read again after its minute, and each instance deletes the buckets older than the
 * previous minute once a minute, so the node holds at most about two minutes of keys.
 *
 * Cheap budgets that only stop one client hammering an instance stay in memory (./rateLimit).
 */
import { createHash } from "node:crypto";
import { db } from "./firebase";
import { paths } from "../contract/paths";
import { resourceExhausted } from "./errors";

const WINDOW_MS = 60_000;
let prunedBefore = 0;

/** Database keys cannot hold every character an address or slug may: the key is a digest of `who`. */
function bucketKey(who: string): string {
  return createHash("sha256").update(who).digest("base64url").slice(0, 24);
}

/** Counts one call of `name` by `who`; resource-exhausted (with retryAfterSeconds) past `limit` a minute. */
export async function takeSharedBudget(name: string, who: string, limit: number, now = Date.now()): Promise<void> {
  if (limit <= 0) return;
  const window = Math.floor(now / WINDOW_MS);
  await pruneOldWindows(window);
  const result = await db()
    .ref(paths.budgetCount(window, name, bucketKey(who)))
    .transaction((count: number | null) => ((count ?? 0) >= limit ? undefined : (count ?? 0) + 1), undefined, false);
  if (!result.committed) {
    const retryAfterSeconds = Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
    throw resourceExhausted(`Too many ${name} calls from this network address; retry in ${retryAfterSeconds} s.`, retryAfterSeconds);
  }
}

/** Deletes every bucket before the previous minute, at most once a minute per instance. */
async function pruneOldWindows(window: number): Promise<void> {
  if (window - 1 <= prunedBefore) return;
  prunedBefore = window - 1;
  const old = await db()
    .ref(paths.budgets())
    .orderByKey()
    .endAt(String(window - 2))
    .limitToFirst(50)
    .once("value");
  const removals: Record<string, null> = {};
  old.forEach((bucket) => {
    if (Number(bucket.key) < window - 1) removals[`${paths.budgets()}/${bucket.key}`] = null;
  });
  if (Object.keys(removals).length) await db().ref().update(removals);
}

/** Tests start each case with a fresh prune state. */
export function resetSharedBudgetPruning(): void {
  prunedBefore = 0;
}
