/**
 * Upgrade from HLS (docs/seats.md#upgrade-from-hls): HLS viewers who asked (./asks) wait in
 * `seatAsks/{eventId}` (`{uid}: askedAt`, read in order by value, `limitToFirst`, never whole); a seat
 * that frees while some wait is held for the first of them (a claim in its shard carrying `hold`, the
 * end of the hold window) and their `seatOffers/{eventId}/{uid}` says `offered`; their createTokensFan
 * takes it (./shards decideShard). A hold not taken in time is reclaimed like an unconfirmed seat and
 * passed to the next asker; the offer says `expired`.
 *
 * Nothing here runs for a show nobody asked in: `stageGates/{eventId}/asks` (at least the askers
 * waiting; the gate's live view reads it with the settings) stays absent, and the join and HLS paths
 * check it in memory.
 *
 * Races: an asker leaves the queue by a transaction that removes their entry (one passer owns them);
 * their seat is held by the shard transaction (the count stays exact); the offer is written by a
 * transaction that needs their ask still standing (a cancel meanwhile gives the hold back).
 */
import { ServerValue } from "firebase-admin/database";
import { db } from "../platform/firebase";
import { paths } from "../platform/paths";
import { seatOfferHoldSeconds } from "../platform/config";
import { warn } from "../platform/logs";
import { appendAudit, SYSTEM_ACTOR } from "../live/audit";
import { isRemoved } from "../live/bans";
import { currentLimit, tryShard, viewOf } from "./gate";
import { holdOnly, newClaimId, reclaimableAt, type SeatClaim } from "./shards";
import type { SeatView } from "./liveView";

/** The most HLS viewers one show's queue holds (askForSeat answers resource-exhausted beyond). */
export const MAX_SEAT_ASKS = 200_000;
/** Askers one pass serves before it yields (another pass, or the next join, serves the rest). */
const MAX_OFFERS_PER_PASS = 100;

export type SeatOffer =
  | { status: "waiting"; askedAt: number }
  | { status: "offered"; askedAt: number; offeredAt: number; expiresAt: number }
  | { status: "expired"; askedAt: number; expiredAt: number };

/** The hold window in ms (an unset int param reads as 0 outside a deployment: the default). */
export function holdWindowMs(): number {
  const seconds = seatOfferHoldSeconds.value();
  return (seconds > 0 ? seconds : 30) * 1000;
}

export const offerRef = (eventId: string, uid: string) => db().ref(paths.seatOffer(eventId, uid));
const askRef = (eventId: string, uid: string) => db().ref(paths.seatAsk(eventId, uid));
const asksCount = (eventId: string) => db().ref(`${paths.stageGate(eventId)}/asks`);

/** Whether an offer still stands at `now` (waiting, or offered within its window). */
export function standing(offer: SeatOffer | null | undefined, now: number): boolean {
  if (!offer || typeof offer !== "object") return false;
  return offer.status === "waiting" || (offer.status === "offered" && offer.expiresAt > now);
}

/** Puts the uid in the queue at `askedAt` (their first place): the count first, so it never undercounts. */
export async function enqueueAsk(eventId: string, uid: string, askedAt: number): Promise<void> {
  await asksCount(eventId).set(ServerValue.increment(1));
  await askRef(eventId, uid).set(askedAt);
}

/*
 * The transactions below write null where they find nothing rather than abort: a transaction's first
 * run sees this instance's cache (null when it has none), and only a write makes it check the server.
 */

/** Takes the uid out of the queue; true for the one caller that removed the entry. */
export async function dequeueAsk(eventId: string, uid: string): Promise<boolean> {
  let removed = false;
  const result = await askRef(eventId, uid).transaction(
    (current: unknown) => {
      removed = current !== null && current !== undefined;
      return null;
    },
    undefined,
    false,
  );
  if (!result.committed || !removed) return false;
  await asksCount(eventId).set(ServerValue.increment(-1));
  return true;
}

/** The first asker still waiting, if any: one child read, whatever the queue's length. */
async function firstAsker(eventId: string): Promise<{ uid: string; askedAt: number } | undefined> {
  const head = await db().ref(paths.seatAsks(eventId)).orderByValue().limitToFirst(1).once("value");
  let first: { uid: string; askedAt: number } | undefined;
  head.forEach((child) => {
    first = { uid: child.key, askedAt: Number(child.val()) };
    return true;
  });
  return first;
}

/** Whether some HLS viewer waits for a seat (the join's check, only while the gate counts asks). */
export async function asksWaiting(eventId: string): Promise<boolean> {
  return (await firstAsker(eventId)) !== undefined;
}

/** Offers whose holds ended untaken say `expired` (the fan may ask again, at the back). Idempotent. */
export async function expireOffers(eventId: string, uids: string[], now = Date.now()): Promise<void> {
  await Promise.all(
    uids.map(async (uid) => {
      let expired = false;
      const result = await offerRef(eventId, uid).transaction(
        (current: SeatOffer | null) => {
          expired = current?.status === "offered" && current.expiresAt <= now;
          if (expired) return { status: "expired", askedAt: (current as SeatOffer).askedAt, expiredAt: now };
          return current === null ? null : undefined;
        },
        undefined,
        false,
      );
      if (result.committed && expired)
        await appendAudit(eventId, { actor: SYSTEM_ACTOR, action: "seatOfferExpired", target: { uid }, outcome: "ok" }).catch(() => null);
    }),
  );
}

/** Drops the uid's hold (their seat if they have not taken it), e.g. when their offer is cancelled. */
export async function dropHold(view: SeatView, uid: string): Promise<boolean> {
  const shard = view.shardOfUid(uid);
  if (!shard) return false;
  let dropped = false;
  await view.ref.child(`shards/${shard}/${uid}`).transaction(
    (current: Record<string, SeatClaim> | null) => {
      dropped = holdOnly(current);
      return dropped || current === null ? null : undefined;
    },
    undefined,
    false,
  );
  return dropped;
}

/** The uid's hold ended untaken: reclaim it, the offer says expired, the seat goes to the next asker. */
export async function endHoldNow(eventId: string, uid: string): Promise<void> {
  const view = viewOf(eventId);
  await view.ready;
  const shard = view.shardOfUid(uid);
  if (shard) {
    const now = Date.now();
    await view.ref
      .child(`shards/${shard}/${uid}`)
      .transaction(
        (current: Record<string, SeatClaim> | null) =>
          current === null || (holdOnly(current) && (reclaimableAt(current, null) ?? Infinity) <= now) ? null : undefined,
        undefined,
        false,
      );
  }
  await expireOffers(eventId, [uid]);
  await passFreeSeats(eventId);
}

type HoldResult = "offered" | "gone" | "noRoom";

const holdTimers = new Set<NodeJS.Timeout>();

/** Tests drop the pending hold ends (their events are gone with the database). */
export function resetOffersForTests(): void {
  for (const timer of holdTimers) clearTimeout(timer);
  holdTimers.clear();
}

/** Holds a seat for one asker taken from the queue and offers it to them. */
async function offerTo(view: SeatView, asker: { uid: string; askedAt: number }, tried: Set<string>): Promise<HoldResult> {
  const { eventId } = view;
  if (await isRemoved(eventId, asker.uid)) {
    await offerRef(eventId, asker.uid).remove();
    return "gone";
  }
  for (let attempt = 0; attempt < 40; attempt++) {
    const limit = currentLimit(view);
    const now = Date.now();
    // A seat the asker holds already (the view may know it): the transaction there finds it, never a second.
    const held = view.shardOfUid(asker.uid);
    const shard = held && !tried.has(held) ? held : view.candidates(limit, now, tried)[0];
    if (shard === undefined) return "noRoom";
    const expiresAt = now + holdWindowMs();
    const claimId = newClaimId();
    const outcome = await tryShard(view, shard, { uid: asker.uid, claimId, claim: { at: now, hold: expiresAt }, hold: true }, limit);
    if (outcome === "full") {
      tried.add(shard);
      continue;
    }
    if (outcome !== "admitted") {
      // Seated meanwhile (a reload joined them): nothing to offer.
      await offerRef(eventId, asker.uid).remove();
      return "gone";
    }
    const offer: SeatOffer = { status: "offered", askedAt: asker.askedAt, offeredAt: now, expiresAt };
    let wrote = false;
    const written = await offerRef(eventId, asker.uid).transaction(
      (current: SeatOffer | null) => {
        wrote = current?.status === "waiting";
        if (wrote) return { ...offer, askedAt: (current as SeatOffer).askedAt };
        return current === null ? null : undefined;
      },
      undefined,
      false,
    );
    if (!written.committed || !wrote) {
      // Cancelled meanwhile: the seat goes back.
      await view.ref.child(`shards/${shard}/${asker.uid}/${claimId}`).remove();
      return "gone";
    }
    // The instance that offered ends the hold on time (the sweep and the next join or ask are the backstop).
    const timer = setTimeout(
      () => {
        holdTimers.delete(timer);
        endHoldNow(eventId, asker.uid).catch((error) => warn("seat hold not ended", { eventId, error: String(error) }));
      },
      expiresAt - Date.now() + 250,
    );
    timer.unref();
    holdTimers.add(timer);
    await appendAudit(eventId, {
      actor: SYSTEM_ACTOR,
      action: "seatOffered",
      target: { uid: asker.uid },
      outcome: "ok",
      details: { expiresAt },
    }).catch(() => null);
    return "offered";
  }
  return "noRoom";
}

async function passOnce(eventId: string): Promise<number> {
  const view = viewOf(eventId);
  await view.ready;
  const status = view.settings.status;
  if (!view.exists || (status !== "preshow" && status !== "live") || !((view.settings.asks ?? 0) > 0)) return 0;
  let offered = 0;
  const tried = new Set<string>();
  while (offered < MAX_OFFERS_PER_PASS) {
    if (!view.candidates(currentLimit(view), Date.now(), tried).length) break;
    const asker = await firstAsker(eventId);
    if (!asker) break;
    // Another pass (on any instance) took this asker first: theirs to serve.
    if (!(await dequeueAsk(eventId, asker.uid))) continue;
    const result = await offerTo(view, asker, tried);
    if (result === "noRoom") {
      // Lost every seat to a race: back in their own place.
      await enqueueAsk(eventId, asker.uid, asker.askedAt);
      break;
    }
    if (result === "offered") offered++;
  }
  return offered;
}

const passes = new Map<string, { run: Promise<number>; again: boolean }>();

/**
 * Offers the seats free now (and those reclaimable) to the askers, in the order they asked. One pass
 * per event per instance at a time; a call during a pass runs one more after it. Returns the offers made.
 */
export function passFreeSeats(eventId: string): Promise<number> {
  const running = passes.get(eventId);
  if (running) {
    running.again = true;
    return running.run;
  }
  const entry = { run: Promise.resolve(0), again: false };
  entry.run = (async () => {
    let total = 0;
    try {
      do {
        entry.again = false;
        total += await passOnce(eventId);
      } while (entry.again);
    } finally {
      passes.delete(eventId);
    }
    return total;
  })();
  passes.set(eventId, entry);
  return entry.run;
}

/** The live view saw seats free (a client's onDisconnect or remove): pass them on, in the background. */
export function seatsFreed(eventId: string): void {
  passFreeSeats(eventId).catch((error) => warn("seat offers not passed", { eventId, error: String(error) }));
}
