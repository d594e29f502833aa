/**
 * Exactly-once callbacks: a delivery applies a callback only if it creates the callback's claim at
 * `processedCallbacks/{eventId}/{dedupeKey}` (a create-if-absent transaction). The claim is marked
 * done in the same write that applies the callback, and given back when applying failed, so the
 * platform's retry is applied instead of skipped as a duplicate.
 */
import { db, removeChildrenUpTo } from "../platform/firebase";
import { BoundedCache } from "../platform/cache";
import { CALLBACK_MAX_AGE_SECONDS } from "./signature";

/**
 * Claims expire: a delivery older than this carries a token older than the signature's maximum age
 * (./signature), so it is refused before its claim would be looked at. Each instance deletes an
 * event's expired claims at most once a minute, when a callback of that event arrives, so an event's
 * claims are at most about this old (and all go with the event).
 */
export const CLAIM_TTL_MS = 2 * CALLBACK_MAX_AGE_SECONDS * 1000;
const lastPrune = new BoundedCache<string, number>({ max: 1000, ttlMs: 60_000 });

/** A claim older than this belongs to an instance that died mid-way: the next delivery takes over. */
const STALE_CLAIM_MS = 120_000;

interface Claim {
  state: "processing" | "done";
  event: string;
  claimedAt: number;
  doneAt?: number;
}

/** Create-if-absent: only the delivery that creates the claim applies the callback. */
export async function claimCallback(path: string, event: string, now: number): Promise<"claimed" | "duplicate" | "inProgress"> {
  const result = await db()
    .ref(path)
    .transaction(
      (current: Claim | null) => {
        if (current === null) return { state: "processing", event, claimedAt: now };
        if (current.state === "processing" && now - current.claimedAt > STALE_CLAIM_MS) return { ...current, claimedAt: now };
        return undefined;
      },
      undefined,
      false,
    );
  if (result.committed) return "claimed";
  return (result.snapshot.val() as Claim | null)?.state === "done" ? "duplicate" : "inProgress";
}

/** Deletes the expired claims under `processedCallbacks/{eventId}` (found by `claimedAt`). */
export async function pruneExpiredClaims(eventPath: string, now: number): Promise<number> {
  if (lastPrune.get(eventPath, now) !== undefined) return 0;
  lastPrune.set(eventPath, now, now);
  return removeChildrenUpTo(eventPath, "claimedAt", now - CLAIM_TTL_MS, 200);
}

/** Tests prune again at once. */
export function forgetPrunes(): void {
  lastPrune.clear();
}

/** The fields that mark a claim done, for the multi-path write that applies its callback. */
export function donePatch(claimPath: string, now: number): Record<string, unknown> {
  return { [`${claimPath}/state`]: "done", [`${claimPath}/doneAt`]: now };
}

export async function markDone(claimPath: string, now: number): Promise<void> {
  await db().ref().update(donePatch(claimPath, now));
}

export async function giveBack(claimPath: string): Promise<void> {
  await db()
    .ref(claimPath)
    .remove()
    .catch(() => undefined);
}
