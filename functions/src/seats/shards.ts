/**
 * The seat shards (pure). The interactive limit is split into shards of at most SHARD_SIZE seats, each
 * its own small node `stageGates/{eventId}/shards/{shardKey}/{uid}/{claimId}`; a join runs its
 * transaction on one shard only, so its cost and the bytes it writes stay flat whatever the seats held.
 * Shard `s<k>` has room for `clamp(limit - k * SHARD_SIZE, 0, SHARD_SIZE)` holders: the capacities sum
 * to the limit, and each shard's transaction (the server's hash check) keeps its own count exact, so N
 * concurrent joins on L seats admit exactly min(N, L) across instances.
 */
import { randomBytes } from "node:crypto";
import type { SeatClaim } from "../contract/records";
// The stored shapes are the contract's (contract/records.ts)
export type { SeatClaim } from "../contract/records";

/** Seats per shard: 20 holders of ~130 bytes keep a shard write under 4 KiB. */
export const SHARD_SIZE = 20;
/** Vonage's participant limit per session (the stage session holds every seated fan). */
export const MAX_SEATS = 15_000;

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

/**
 * When a holder's seat may be reclaimed: none of their claims confirmed by a Vonage connection, and the
 * newest made more than `confirmMs` ago. Undefined: never (a confirmed claim, or confirmation is off).
 */
export function reclaimableAt(claims: Record<string, SeatClaim>, confirmMs: number | null): number | undefined {
  if (confirmMs === null) return undefined;
  let newest = 0;
  for (const claim of Object.values(asRecord<SeatClaim>(claims))) {
    if (!claim || typeof claim !== "object") continue;
    if (typeof claim.conn === "string") return undefined;
    newest = Math.max(newest, typeof claim.at === "number" ? claim.at : 0);
  }
  return newest + confirmMs;
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
}

export type ShardOutcome = "kept" | "admitted" | "full";

/**
 * The decision on one shard as read; the transaction reruns it on fresher data. A holder adds a claim
 * (a reload or second tab: one seat). Otherwise a fan is admitted while the shard has room, after
 * dropping holders whose claims no Vonage connection confirmed in time; a full shard is left unchanged
 * (`next` undefined: the transaction aborts and writes nothing).
 */
export function decideShard(shard: ShardData | null, request: ShardRequest): { outcome: ShardOutcome; next?: ShardData } {
  const holders = { ...asRecord<Record<string, SeatClaim>>(shard) };
  if (holders[request.uid]) {
    holders[request.uid] = { ...asRecord<SeatClaim>(holders[request.uid]), [request.claimId]: request.claim };
    return { outcome: "kept", next: holders };
  }
  let held = Object.keys(holders).length;
  if (held >= request.capacity && request.confirmMs !== null) {
    for (const [uid, claims] of Object.entries(holders)) {
      const at = reclaimableAt(claims, request.confirmMs);
      if (at !== undefined && at <= request.now) {
        delete holders[uid];
        held--;
      }
    }
  }
  // A lowered limit never evicts a connected fan; it only stops admissions until seats free up.
  if (held >= request.capacity) return { outcome: "full" };
  holders[request.uid] = { [request.claimId]: request.claim };
  return { outcome: "admitted", next: holders };
}

/** A claim id that never looks like an array index. */
export function newClaimId(): string {
  return `c${randomBytes(12).toString("base64url")}`;
}
