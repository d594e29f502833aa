/**
 * The seat shards (pure). The interactive limit is split into shards of at most SHARD_SIZE seats, each
 * its own small node `stageGates/{eventId}/shards/{shardKey}/{uid}/{claimId}`; a join runs its
 * transaction on one shard only, so its cost and the bytes it writes stay flat whatever the seats held.
 * Shard `s<k>` has room for `clamp(limit - k * SHARD_SIZE, 0, SHARD_SIZE)` holders: the capacities sum
 * to the limit, and each shard's transaction (the server's hash check) keeps its own count exact, so N
 * concurrent joins on L seats admit exactly min(N, L) across instances.
 */
import { randomBytes } from "node:crypto";

/** Seats per shard: 20 holders of ~130 bytes keep a shard write under 4 KiB. */
export const SHARD_SIZE = 20;
/** Vonage's participant limit per session (the stage session holds every seated fan). */
export const MAX_SEATS = 15_000;

export interface SeatClaim {
  /** When the claim was made (ms). */
  at: number;
  /** The fan's presence key in the live record, when the client gave it. */
  fanId?: string;
  /** The Vonage connection that confirmed the claim (set by the connectionCreated callback). */
  conn?: string;
  /**
   * A seat held for an HLS viewer it was offered to (./offers): when the hold ends (ms). The fan's
   * createTokensFan replaces it with a normal claim; untaken, it is reclaimable from then on.
   */
  hold?: number;
}

/** One shard as stored: holders by uid, one claim per page load. */
export type ShardData = Record<string, Record<string, SeatClaim>>;

export const shardKey = (index: number): string => `s${index}`;
export const shardIndex = (key: string): number => (/^s\d{1,5}$/.test(key) ? Number(key.slice(1)) : -1);

/** How many shards a limit uses. */
export const shardCount = (limit: number): number => Math.ceil(Math.max(0, limit) / SHARD_SIZE);

/** The seats shard `index` offers under `limit` (0 for shards above a lowered limit). */
export function shardCapacity(index: number, limit: number): number {
  return Math.max(0, Math.min(SHARD_SIZE, limit - index * SHARD_SIZE));
}

/** Record-shaped children (the database turns integer-like keys into arrays). */
export function asRecord<T>(value: unknown): Record<string, T> {
  if (!value || typeof value !== "object") return {};
  if (Array.isArray(value)) {
    const record: Record<string, T> = {};
    value.forEach((item, index) => {
      if (item !== null && item !== undefined) record[String(index)] = item as T;
    });
    return record;
  }
  return value as Record<string, T>;
}

/** Whether every claim of a holder is an offer's hold (the fan has not taken the seat yet). */
export function holdOnly(claims: unknown): boolean {
  const values = Object.values(asRecord<SeatClaim>(claims));
  return values.length > 0 && values.every((claim) => !!claim && typeof claim.hold === "number" && typeof claim.conn !== "string");
}

/**
 * When a holder's seat may be reclaimed: none of their claims confirmed by a Vonage connection, and
 * every claim past its end: an offer's hold at `hold`, any other claim `confirmMs` after it was made.
 * Undefined: never (a confirmed claim, or an unheld claim while confirmation is off).
 */
export function reclaimableAt(claims: Record<string, SeatClaim>, confirmMs: number | null): number | undefined {
  let latest: number | undefined;
  for (const claim of Object.values(asRecord<SeatClaim>(claims))) {
    if (!claim || typeof claim !== "object") continue;
    if (typeof claim.conn === "string") return undefined;
    let end: number;
    if (typeof claim.hold === "number") end = claim.hold;
    else if (confirmMs === null) return undefined;
    else end = (typeof claim.at === "number" ? claim.at : 0) + confirmMs;
    latest = latest === undefined ? end : Math.max(latest, end);
  }
  return latest ?? (confirmMs === null ? undefined : confirmMs);
}

export interface ShardRequest {
  uid: string;
  claimId: string;
  claim: SeatClaim;
  /** This shard's seats under the current limit. */
  capacity: number;
  now: number;
  /** SEAT_CONFIRM_SECONDS in ms, or null when confirmation is off. */
  confirmMs: number | null;
  /** A hold for an asker (./offers): never added to a seat the uid already holds. */
  hold?: boolean;
  /** HLS viewers wait for a seat (./offers): a newcomer takes none (their holds may still be taken). */
  asksWaiting?: boolean;
}

/** kept: a seat the uid held; taken: the uid's offered hold, now theirs; admitted: a new seat. */
export type ShardOutcome = "kept" | "taken" | "admitted" | "full";

export interface ShardDecision {
  outcome: ShardOutcome;
  next?: ShardData;
  /** Holders dropped whose seat was an offer's hold that ended untaken (their offers expire). */
  expiredHolds: string[];
}

/**
 * The decision on one shard as read; the transaction reruns it on fresher data. A holder adds a claim
 * (a reload or second tab: one seat); a fan with an offered hold replaces it with a claim (takes the
 * seat). Otherwise a fan is admitted while the shard has room, after dropping holders whose claims no
 * Vonage connection confirmed in time and holds that ended; a full shard is left unchanged (`next`
 * undefined: the transaction aborts and writes nothing).
 */
export function decideShard(shard: ShardData | null, request: ShardRequest): ShardDecision {
  const holders = { ...asRecord<Record<string, SeatClaim>>(shard) };
  const expiredHolds: string[] = [];
  const own = holders[request.uid];
  if (own) {
    const ownEnd = reclaimableAt(own, request.confirmMs);
    if (holdOnly(own) && ownEnd !== undefined && ownEnd <= request.now) {
      // The fan's own offer ended untaken: the seat is no longer theirs (below, they are a newcomer).
      delete holders[request.uid];
      expiredHolds.push(request.uid);
    } else if (request.hold) {
      return { outcome: "kept", expiredHolds };
    } else if (holdOnly(own)) {
      holders[request.uid] = { [request.claimId]: request.claim };
      return { outcome: "taken", next: holders, expiredHolds };
    } else {
      holders[request.uid] = { ...asRecord<SeatClaim>(own), [request.claimId]: request.claim };
      return { outcome: "kept", next: holders, expiredHolds };
    }
  }
  if (request.asksWaiting && !request.hold) return { outcome: "full", expiredHolds: [] };
  let held = Object.keys(holders).length;
  if (held >= request.capacity) {
    for (const [uid, claims] of Object.entries(holders)) {
      const at = reclaimableAt(claims, request.confirmMs);
      if (at !== undefined && at <= request.now) {
        if (holdOnly(claims)) expiredHolds.push(uid);
        delete holders[uid];
        held--;
      }
    }
  }
  // A lowered limit never evicts a connected fan; it only stops admissions until seats free up.
  if (held >= request.capacity) return { outcome: "full", expiredHolds: [] };
  holders[request.uid] = { [request.claimId]: request.claim };
  return { outcome: "admitted", next: holders, expiredHolds };
}

/** A claim id that never looks like an array index. */
export function newClaimId(): string {
  return `c${randomBytes(12).toString("base64url")}`;
}
