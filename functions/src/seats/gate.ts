/**
 * The interactive seat cap (docs/access.md#the-seat-decision-createtokensfan), sharded (./shards): the settings the decision needs live in
 * `stageGates/{eventId}` (kept in sync by events/derived `eventIndexPatch`), the seats in its
 * `shards/{shardKey}/{uid}/{claimId}`. A join reads the settings and picks a shard with room from the
 * instance's live view (./liveView), then runs ONE transaction on that shard only: the server's hash
 * check keeps each shard's count exact, so N concurrent joins on L seats admit exactly min(N, L),
 * across instances. When the view says full, the fan is sent to HLS with no write at all.
 *
 * One seat per uid, one claim per page load. The fan client registers `onDisconnect().remove()` on its
 * claim, so a dropped connection frees the seat with no trigger; a reload adds a claim under the same
 * uid (one seat, not two), and the old page's disconnect removes only its own claim. When the last
 * claim goes, the database drops the empty `{uid}` and the seat is free.
 */
import { defaultInteractiveLimit } from "../platform/config";
import { unavailable } from "../platform/errors";
import { warn } from "../platform/logs";
import type { EventStatus } from "../events/model";
import type { Caller } from "../platform/roles";
import { loginEvent } from "./showTokens";
import { db } from "../platform/firebase";
import { paths } from "../contract/paths";
import { decideShard, holdOnly, MAX_SEATS, newClaimId, shardCapacity, shardIndex, type SeatClaim, type ShardData } from "./shards";
import { resetSeatViewsForTests, seatView, type SeatView } from "./liveView";
import { countHls, noteSeated, resetSeatCountersForTests } from "./counters";
import { confirmWindowMs } from "./confirm";
import { asksWaiting, expireOffers, passFreeSeats, resetOffersForTests, seatsFreed } from "./offers";

export { newClaimId };

export type HlsReason = "seatsFull" | "noInteractiveSeats";

export type SeatDecision =
  | { kind: "missing" }
  | { kind: "otherAdmin" }
  | { kind: "notOpen"; status: EventStatus }
  | { kind: "interactive"; claimId: string; kept: boolean; status: EventStatus }
  | { kind: "hls"; reason: HlsReason; hlsUrl: string | null; status: EventStatus }
  | { kind: "full"; reason: HlsReason; status: EventStatus };

export interface Admission {
  decision: SeatDecision;
  /** The seat was the fan's offered hold (./offers): their offer is used up. */
  taken?: boolean;
  /** The seat's claim path, for the client's `onDisconnect().remove()` and explicit leaving. */
  seatPath?: string;
  /** The shard the seat is in. */
  shard?: string;
}

/**
 * Shard transactions one join may run, each on another shard after a lost race (a lost race within an
 * instance costs no round trip: the SDK queues its transactions on a shard and aborts locally).
 */
const MAX_SHARD_ATTEMPTS = 40;

/** Seats held and the limit each view last saw: fewer held or a raised limit while fans ask means seats to pass on (./offers). */
const lastSeen = new WeakMap<SeatView, { total: number; limit: number }>();

function onViewChange(view: SeatView): void {
  const status = view.settings.status;
  const open = status === "preshow" || status === "live";
  noteSeated(view.eventId, view.total, open);
  const before = lastSeen.get(view);
  const now = { total: view.total, limit: currentLimit(view) };
  lastSeen.set(view, now);
  const freed = before !== undefined && (now.total < before.total || now.limit > before.limit);
  if (open && freed && (view.settings.asks ?? 0) > 0) seatsFreed(view.eventId);
}

export function viewOf(eventId: string): SeatView {
  return seatView(eventId, confirmWindowMs(), onViewChange);
}

export function currentLimit(view: SeatView): number {
  const limit = view.settings.limit;
  return Math.min(MAX_SEATS, typeof limit === "number" && limit >= 0 ? limit : defaultInteractiveLimit.value());
}

/** The refusals the settings alone decide (no seat involved). */
function refusal(view: SeatView, adminId: string): SeatDecision | null {
  if (!view.exists) return { kind: "missing" };
  if (view.settings.adminId !== adminId) return { kind: "otherAdmin" };
  const status = view.settings.status as EventStatus;
  if (status !== "preshow" && status !== "live") return { kind: "notOpen", status };
  return null;
}

/** The HLS (or full) answer, from the view: no transaction, no write. */
function noSeat(view: SeatView, eventId: string, uid: string, limit: number): SeatDecision {
  const status = view.settings.status as EventStatus;
  const reason: HlsReason = limit <= 0 ? "noInteractiveSeats" : "seatsFull";
  if (view.settings.hlsEnabled !== true) return { kind: "full", reason, status };
  countHls(eventId, uid);
  const hlsUrl = typeof view.settings.hlsUrl === "string" && view.settings.hlsUrl ? view.settings.hlsUrl : null;
  return { kind: "hls", reason, hlsUrl, status };
}

export type ShardResult = "kept" | "taken" | "admitted" | "full";

export interface ShardAttempt {
  uid: string;
  claimId: string;
  claim: SeatClaim;
  hold?: boolean;
  asksWaiting?: boolean;
}

/** One join's (or one offer's) transaction on one shard. Offers whose holds it dropped expire. */
export async function tryShard(view: SeatView, shard: string, request: ShardAttempt, limit: number): Promise<ShardResult> {
  const capacity = shardCapacity(shardIndex(shard), limit);
  let outcome: ShardResult = "full";
  let expired: string[] = [];
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await view.ref.child(`shards/${shard}`).transaction(
        (current: ShardData | null) => {
          const decided = decideShard(current, { ...request, capacity, now: Date.now(), confirmMs: confirmWindowMs() });
          outcome = decided.outcome;
          expired = decided.next ? decided.expiredHolds : [];
          return decided.next;
        },
        undefined,
        false,
      );
      if (result.committed && expired.length) await expireOffers(view.eventId, expired);
      // A hold for a uid already seated writes nothing: still "kept", so no second seat is tried.
      if (!result.committed) return (outcome as ShardResult) === "kept" ? "kept" : "full";
      return outcome;
    } catch (error) {
      // 'maxretry': too many instances wrote this shard at once ('disconnect': the connection dropped
      // mid-write); start over after a short, jittered pause. Anything else is a real failure.
      if (!/maxretry|disconnect/.test(String((error as Error)?.message ?? error))) throw error;
      if (attempt >= 3)
        throw unavailable("Too many fans are joining at this moment; try again in a few seconds.", { retryAfterSeconds: 2 });
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt * (0.5 + Math.random())));
    }
  }
}

/** The seat decision: the view's settings, then transactions on the shards it says have room. */
export async function admitFan(eventId: string, input: { uid: string; adminId: string; fanId?: string }): Promise<Admission> {
  const view = viewOf(eventId);
  await view.ready;
  const refused = refusal(view, input.adminId);
  if (refused) return { decision: refused };
  const status = view.settings.status as EventStatus;
  const claimId = newClaimId();
  const claim: SeatClaim = input.fanId ? { at: Date.now(), fanId: input.fanId } : { at: Date.now() };
  const request = { uid: input.uid, claimId, claim };
  const seated = (shard: string, outcome: ShardResult): Admission => {
    noteSeated(eventId, view.total, true);
    return {
      decision: { kind: "interactive", claimId, kept: outcome === "kept", status },
      ...(outcome === "taken" ? { taken: true } : {}),
      seatPath: `${paths.seat(eventId, shard, input.uid)}/${claimId}`,
      shard,
    };
  };
  const tried = new Set<string>();
  // HLS viewers asked for a seat (./offers): seats free now go to them first, and while some still
  // wait, a newcomer takes none. Only when the view has room (or the fan a seat): HLS answers stay free.
  let asking: boolean | undefined;
  if ((view.settings.asks ?? 0) > 0 && (view.shardOfUid(input.uid) || view.candidates(currentLimit(view), Date.now(), tried).length)) {
    await passFreeSeats(eventId);
    asking = await asksWaiting(eventId);
  }
  for (let attempt = 0; attempt < MAX_SHARD_ATTEMPTS; attempt++) {
    const limit = currentLimit(view);
    // A reload or second tab: the fan's own shard, where the transaction adds a claim (no new seat);
    // or the seat offered to them, which it takes.
    const held = view.shardOfUid(input.uid);
    const own = held && !tried.has(held) ? held : undefined;
    const shard = own ?? (asking ? undefined : view.candidates(limit, Date.now(), tried)[0]);
    if (shard === undefined) return { decision: noSeat(view, eventId, input.uid, limit) };
    const outcome = await tryShard(view, shard, { ...request, asksWaiting: asking }, limit);
    if (outcome !== "full") return seated(shard, outcome);
    // Lost the race for this shard (the view lagged): the failed attempt refreshed the view.
    tried.add(shard);
    const again = refusal(view, input.adminId);
    if (again) return { decision: again };
  }
  throw unavailable("Too many fans are joining at this moment; try again in a few seconds.", { retryAfterSeconds: 2 });
}

/** Frees the fan's seat (every claim: all their tabs leave the interactive session). Idempotent. */
export async function releaseSeatOf(eventId: string, uid: string): Promise<void> {
  const view = viewOf(eventId);
  await view.ready;
  const shard = view.shardOfUid(uid);
  if (shard) await view.ref.child(`shards/${shard}/${uid}`).remove();
  // The release stands whatever the pass does: a pass that fails now (shards contended) leaves the
  // seat free, and the seat view passes free seats on at its next change.
  if (shard && (view.settings.asks ?? 0) > 0)
    await passFreeSeats(eventId).catch((error) => warn("seat offers not passed", { eventId, error: String(error) }));
}

/** Whether the fan holds a seat: the instance's view names the shard, one read of it confirms. */
export async function holdsSeat(eventId: string, uid: string): Promise<boolean> {
  const view = viewOf(eventId);
  await view.ready;
  const shard = view.shardOfUid(uid);
  if (!shard) return false;
  // A seat offered to the fan and not taken yet is not theirs (./offers).
  const claims = (await view.ref.child(`shards/${shard}/${uid}`).once("value")).val() as unknown;
  return !!claims && !holdOnly(claims);
}

/** The fan leaves the interactive session of the event in their login. */
export async function leaveSeat(caller: Caller): Promise<void> {
  await releaseSeatOf(loginEvent(caller).eventId, caller.uid);
}

/** Removes one claim, e.g. when tokens could not be minted after the seat was taken. */
export async function releaseClaim(seatPath: string): Promise<void> {
  await db().ref(seatPath).remove();
}

/** Tests detach every listener so each case starts cold and mocha can exit. */
export function resetSeatWatchesForTests(): void {
  resetSeatViewsForTests();
  resetSeatCountersForTests();
  resetOffersForTests();
}
