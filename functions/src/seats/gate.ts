/**
 * The interactive seat cap (docs/access.md#the-seat-decision-createtokensfan). Everything the decision needs lives in `stageGates/{eventId}`
 * (kept in sync by events/derived `eventIndexPatch`), so a fan join is ONE transaction on that node: the
 * server's hash check makes N concurrent joins on L seats admit exactly min(N, L), across instances.
 *
 * Seats are `holders/{uid}/{claimId}`: one seat per uid, one claim per page load. The fan client
 * registers `onDisconnect().remove()` on its claim, so a dropped connection frees the seat with no
 * trigger; a reload adds a claim under the same uid (one seat, not two), and the old page's
 * disconnect removes only its own claim, never the seat the new page uses. When the last claim goes,
 * the database drops the empty `holders/{uid}` and the seat is free.
 */
import { randomBytes } from "node:crypto";
import type { Reference } from "firebase-admin/database";
import { db } from "../platform/firebase";
import { BoundedCache } from "../platform/cache";
import { paths } from "../platform/paths";
import { defaultInteractiveLimit } from "../platform/config";
import { unavailable } from "../platform/errors";
import type { EventStatus } from "../events/model";
import type { Caller } from "../platform/roles";
import { loginEvent } from "./showTokens";

export interface SeatClaim {
  /** When the claim was made (ms). */
  at: number;
  /** The fan's presence key in the live record, when the client gave it. */
  fanId?: string;
}

/** `stageGates/{eventId}` as stored. */
export interface GateData {
  adminId?: string;
  status?: EventStatus;
  limit?: number;
  hlsEnabled?: boolean;
  hlsUrl?: string | null;
  holders?: Record<string, Record<string, SeatClaim>>;
  /** HLS-mode answers (a fan counted once per instance that answered them). */
  hlsAdmissions?: number;
  /** Most seats held at once. */
  peakInteractive?: number;
}

export type HlsReason = "seatsFull" | "noInteractiveSeats";

export type SeatDecision =
  | { kind: "missing" }
  | { kind: "otherAdmin" }
  | { kind: "notOpen"; status: EventStatus }
  | { kind: "interactive"; claimId: string; kept: boolean; status: EventStatus }
  | { kind: "hls"; reason: HlsReason; hlsUrl: string | null; status: EventStatus }
  | { kind: "full"; reason: HlsReason; status: EventStatus };

export interface SeatRequest {
  uid: string;
  adminId: string;
  claimId: string;
  fanId?: string;
  now: number;
  /** Count this HLS answer in `hlsAdmissions` (false when this instance already counted the fan). */
  countHls: boolean;
  defaultLimit: number;
}

/** Record-shaped children (the database turns integer-like keys into arrays). */
function asRecord<T>(value: unknown): Record<string, T> {
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
 * The seat decision on the gate as read; pure, so the transaction can rerun it on fresher data.
 * `next` is what to write back: refusals write the gate unchanged, so the commit still proves the
 * decision was made on current data (a stale "full" must not send a fan to HLS while a seat is free).
 */
export function decideSeat(gate: GateData | null, request: SeatRequest): { decision: SeatDecision; next: GateData | null } {
  if (!gate || typeof gate !== "object" || typeof gate.status !== "string") return { decision: { kind: "missing" }, next: gate ?? null };
  if (gate.adminId !== request.adminId) return { decision: { kind: "otherAdmin" }, next: gate };
  const status = gate.status;
  if (status !== "preshow" && status !== "live") return { decision: { kind: "notOpen", status }, next: gate };

  const holders = asRecord<Record<string, SeatClaim>>(gate.holders);
  const limit = typeof gate.limit === "number" && gate.limit >= 0 ? gate.limit : request.defaultLimit;
  const claim: SeatClaim = request.fanId ? { at: request.now, fanId: request.fanId } : { at: request.now };
  const held = Object.keys(holders).length;

  if (holders[request.uid]) {
    // A reload (or a second tab) keeps the fan's seat: one more claim, no second seat.
    const mine = { ...asRecord<SeatClaim>(holders[request.uid]), [request.claimId]: claim };
    return {
      decision: { kind: "interactive", claimId: request.claimId, kept: true, status },
      next: { ...gate, holders: { ...holders, [request.uid]: mine } },
    };
  }
  // A lowered limit never evicts anyone; it only stops admissions until enough seats free up.
  if (held < limit) {
    return {
      decision: { kind: "interactive", claimId: request.claimId, kept: false, status },
      next: {
        ...gate,
        holders: { ...holders, [request.uid]: { [request.claimId]: claim } },
        peakInteractive: Math.max(gate.peakInteractive ?? 0, held + 1),
      },
    };
  }
  const reason: HlsReason = limit <= 0 ? "noInteractiveSeats" : "seatsFull";
  if (gate.hlsEnabled === true) {
    const hlsUrl = typeof gate.hlsUrl === "string" && gate.hlsUrl ? gate.hlsUrl : null;
    return {
      decision: { kind: "hls", reason, hlsUrl, status },
      next: request.countHls ? { ...gate, hlsAdmissions: (gate.hlsAdmissions ?? 0) + 1 } : gate,
    };
  }
  return { decision: { kind: "full", reason, status }, next: gate };
}

/** A claim id that never looks like an array index. */
export function newClaimId(): string {
  return `c${randomBytes(12).toString("base64url")}`;
}

/**
 * Gates this instance keeps a listener on. With the gate in the SDK's cache, the transaction's first
 * attempt runs on current data and a warm join is a single write; without it, every join would pay a
 * listen plus a write that fails on the empty cache. The cached copy is only the transaction's first
 * guess: the server's hash check decides, so a stale copy costs a retry, never a wrong seat count.
 */
interface Watch {
  ref: Reference;
  /** Settles with the first value: a cold transaction then starts on real data, not an empty cache. */
  ready: Promise<void>;
  listener: () => void;
}
/** At most 200 gates, each dropped (and its listener detached) after 10 idle minutes. */
const watched = new BoundedCache<string, Watch>({
  max: 200,
  ttlMs: 10 * 60_000,
  sliding: true,
  onEvict: (_eventId, watch) => watch.ref.off("value", watch.listener),
});
let lastSweep = 0;

function watchGate(eventId: string, now: number): Watch {
  const entry = watched.get(eventId, now) ?? watched.set(eventId, listenToGate(eventId), now);
  // Idle gates hold a listener each: detach them once a minute rather than at their next use.
  if (now - lastSweep > 60_000) {
    lastSweep = now;
    watched.prune(now);
  }
  return entry;
}

function listenToGate(eventId: string): Watch {
  const ref = db().ref(paths.stageGate(eventId));
  let settle!: () => void;
  const ready = new Promise<void>((resolve) => (settle = resolve));
  // The listener only keeps the gate in the SDK cache (and says when the first value is in).
  const listener = () => settle();
  ref.on("value", listener, () => {
    watched.delete(eventId);
    settle();
  });
  return { ref, ready, listener };
}

/** Tests detach every listener so each case starts cold and mocha can exit. */
export function resetSeatWatchesForTests(): void {
  watched.clear();
  hlsCounted.clear();
}

/** Fans this instance already counted in `hlsAdmissions` (a reload is not a new viewer). */
const hlsCounted = new BoundedCache<string, true>({ max: 100_000 });

const TRANSACTION_ATTEMPTS = 4;

export interface Admission {
  decision: SeatDecision;
  /** The seat's claim path, for the client's `onDisconnect().remove()` and explicit leaving. */
  seatPath?: string;
}

/** Runs the seat decision as one transaction on the gate. */
export async function admitFan(eventId: string, input: { uid: string; adminId: string; fanId?: string }): Promise<Admission> {
  const now = Date.now();
  const watch = watchGate(eventId, now);
  await watch.ready;
  const ref = watch.ref;
  const hlsKey = `${eventId}/${input.uid}`;
  const request: SeatRequest = {
    uid: input.uid,
    adminId: input.adminId,
    fanId: input.fanId,
    claimId: newClaimId(),
    now,
    countHls: !hlsCounted.has(hlsKey),
    defaultLimit: defaultInteractiveLimit.value(),
  };
  let decision: SeatDecision = { kind: "missing" };
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await ref.transaction(
        (current: GateData | null) => {
          const outcome = decideSeat(current, request);
          decision = outcome.decision;
          return outcome.next;
        },
        undefined,
        false,
      );
      if (!result.committed) throw new Error("seat transaction not committed");
      break;
    } catch (error) {
      // 'maxretry': too many instances wrote the gate at once ('disconnect': the connection dropped
      // mid-write); start over after a short, jittered pause. Anything else is a real failure.
      if (!/maxretry|disconnect|not committed/.test(String((error as Error)?.message ?? error))) throw error;
      if (attempt >= TRANSACTION_ATTEMPTS) {
        throw unavailable("Too many fans are joining at this moment; try again in a few seconds.", { retryAfterSeconds: 2 });
      }
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt * (0.5 + Math.random())));
    }
  }
  const final = decision as SeatDecision;
  if (final.kind === "hls" && request.countHls) hlsCounted.set(hlsKey, true);
  if (final.kind === "interactive") {
    return { decision: final, seatPath: `${paths.seat(eventId, input.uid)}/${final.claimId}` };
  }
  return { decision: final };
}

/** Frees the fan's seat (every claim: all their tabs leave the interactive session). Idempotent. */
export async function releaseSeatOf(eventId: string, uid: string): Promise<void> {
  await db().ref(paths.seat(eventId, uid)).remove();
}

/** The fan leaves the interactive session of the event in their login. */
export async function leaveSeat(caller: Caller): Promise<void> {
  await releaseSeatOf(loginEvent(caller).eventId, caller.uid);
}

/** Removes one claim, e.g. when tokens could not be minted after the seat was taken. */
export async function releaseClaim(seatPath: string): Promise<void> {
  await db().ref(seatPath).remove();
}
