/**
 * The instance's live view of one event's seats: a standing listener on `stageGates/{eventId}` (its
 * settings, and every shard kept in the SDK's cache so a shard transaction's first attempt runs on
 * current data) plus child listeners on its shards that keep per-shard counts. The view decides which
 * shard to try and answers HLS when it says full, without a write; the shard transactions decide
 * seats. The view can only lag the server: a seat taken elsewhere shows up a moment later (a join then
 * tries another shard), a seat freed elsewhere a moment later (a fan may be sent to HLS just before).
 */
import type { DataSnapshot, Reference } from "firebase-admin/database";
import { db } from "../platform/firebase";
import { BoundedCache } from "../platform/cache";
import { paths } from "../contract/paths";
import type { EventStatus } from "../events/model";
import { asRecord, reclaimableAt, shardCapacity, shardCount, shardIndex, shardKey, type SeatClaim } from "./shards";

/** The gate's settings as the view last saw them (events/derived keeps them in sync with the event). */
export interface GateSettings {
  adminId?: string;
  status?: EventStatus;
  limit?: number;
  hlsEnabled?: boolean;
  hlsUrl?: string | null;
  /** At least the HLS viewers waiting for a seat (./offers); absent or 0: nobody asked. */
  asks?: number;
}

interface ShardView {
  uids: Set<string>;
  /** The earliest time one of its holders may be reclaimed (no confirmed connection), if any. */
  reclaimAt?: number;
}

export class SeatView {
  readonly ref: Reference;
  readonly ready: Promise<void>;
  /** False before the first value, and once the gate is gone. */
  exists = false;
  settings: GateSettings = {};
  /** Seats held, over every shard. */
  total = 0;
  private readonly shards = new Map<string, ShardView>();
  private readonly shardOf = new Map<string, string>();
  private confirmMs: number | null;
  private readonly detach: () => void;

  constructor(
    readonly eventId: string,
    confirmMs: number | null,
    private readonly onChange?: (view: SeatView) => void,
  ) {
    this.confirmMs = confirmMs;
    this.ref = db().ref(paths.stageGate(eventId));
    const shardsRef = this.ref.child("shards");
    let settle!: () => void;
    this.ready = new Promise<void>((resolve) => (settle = resolve));
    let seeded = false;
    const onValue = (snapshot: DataSnapshot) => {
      // Leaf reads only: val() of the whole gate would copy every holder on every change.
      const field = (name: string) => snapshot.child(name).val() as unknown;
      const status = field("status");
      this.exists = typeof status === "string";
      this.settings = {
        adminId: field("adminId") as string | undefined,
        status: status as EventStatus | undefined,
        limit: field("limit") as number | undefined,
        hlsEnabled: field("hlsEnabled") as boolean | undefined,
        hlsUrl: field("hlsUrl") as string | null | undefined,
        asks: field("asks") as number | undefined,
      };
      if (!snapshot.exists()) this.clearShards();
      if (!seeded) {
        // Once: the shards as of the first value, whatever order the SDK raises child events in.
        seeded = true;
        snapshot.child("shards").forEach((shard) => {
          this.recount(shard.key, shard.val());
        });
      }
      settle();
      this.onChange?.(this);
    };
    const onShard = (snapshot: DataSnapshot) => this.recount(snapshot.key as string, snapshot.val());
    const onShardRemoved = (snapshot: DataSnapshot) => this.recount(snapshot.key as string, null);
    const onError = () => settle();
    // The gate's listener first: the shard listeners below it then need no listen of their own.
    this.ref.on("value", onValue, onError);
    shardsRef.on("child_added", onShard, onError);
    shardsRef.on("child_changed", onShard, onError);
    shardsRef.on("child_removed", onShardRemoved, onError);
    this.detach = () => {
      this.ref.off("value", onValue);
      shardsRef.off("child_added", onShard);
      shardsRef.off("child_changed", onShard);
      shardsRef.off("child_removed", onShardRemoved);
    };
  }

  close(): void {
    this.detach();
  }

  setConfirmMs(confirmMs: number | null): void {
    this.confirmMs = confirmMs;
  }

  /** The shard holding the uid's seat, as far as this view knows. */
  shardOfUid(uid: string): string | undefined {
    return this.shardOf.get(uid);
  }

  held(shard: string): number {
    return this.shards.get(shard)?.uids.size ?? 0;
  }

  /**
   * Shards that may take a fan, a random one first (so concurrent joins spread over the shards):
   * room under the limit, or a holder whose claim is overdue for confirmation. Empty: the view says full.
   */
  candidates(limit: number, now: number, skip: ReadonlySet<string>): string[] {
    const count = shardCount(limit);
    if (count === 0) return [];
    const overdue: string[] = [];
    const roomy: string[] = [];
    const start = Math.floor(Math.random() * count);
    const underLimit = this.total < limit;
    for (let step = 0; step < count; step++) {
      const index = (start + step) % count;
      const key = shardKeyAt(index);
      if (skip.has(key)) continue;
      const shard = this.shards.get(key);
      const held = shard?.uids.size ?? 0;
      // Seats held above a lowered limit (in any shard) keep everyone out until they free up.
      if (underLimit && held < shardCapacity(index, limit)) roomy.push(key);
      else if (shard?.reclaimAt !== undefined && shard.reclaimAt <= now) overdue.push(key);
    }
    // A random one of those with room first: joins converging on the first roomy shard after a run
    // of full ones would only queue behind each other there.
    if (roomy.length > 1) {
      const pick = Math.floor(Math.random() * roomy.length);
      [roomy[0], roomy[pick]] = [roomy[pick], roomy[0]];
    }
    return [...roomy, ...overdue];
  }

  private clearShards(): void {
    this.shards.clear();
    this.shardOf.clear();
    this.total = 0;
  }

  private recount(key: string, value: unknown): void {
    if (shardIndex(key) < 0) return;
    const previous = this.shards.get(key);
    if (previous) {
      for (const uid of previous.uids) if (this.shardOf.get(uid) === key) this.shardOf.delete(uid);
      this.total -= previous.uids.size;
    }
    const holders = asRecord<Record<string, SeatClaim>>(value);
    const uids = new Set(Object.keys(holders));
    if (uids.size === 0) {
      this.shards.delete(key);
    } else {
      let reclaimAt: number | undefined;
      for (const [uid, claims] of Object.entries(holders)) {
        this.shardOf.set(uid, key);
        const at = reclaimableAt(claims, this.confirmMs);
        if (at !== undefined) reclaimAt = reclaimAt === undefined ? at : Math.min(reclaimAt, at);
      }
      this.shards.set(key, { uids, reclaimAt });
    }
    this.total += uids.size;
    this.onChange?.(this);
  }
}

/** Shard keys by index, built once: candidates() walks every shard of the limit on each join. */
const shardKeys: string[] = [];
function shardKeyAt(index: number): string {
  for (let next = shardKeys.length; next <= index; next++) shardKeys.push(shardKey(next));
  return shardKeys[index];
}

/** At most 200 events' views, each dropped (and its listeners detached) after 10 idle minutes. */
const views = new BoundedCache<string, SeatView>({
  max: 200,
  ttlMs: 10 * 60_000,
  sliding: true,
  onEvict: (_eventId, view) => view.close(),
});
let lastSweep = 0;

export function seatView(eventId: string, confirmMs: number | null, onChange?: (view: SeatView) => void): SeatView {
  const now = Date.now();
  let view = views.get(eventId, now);
  if (!view) view = views.set(eventId, new SeatView(eventId, confirmMs, onChange), now);
  else view.setConfirmMs(confirmMs);
  // Idle views hold listeners: detach them once a minute rather than at their next use.
  if (now - lastSweep > 60_000) {
    lastSweep = now;
    views.prune(now);
  }
  return view;
}

export function resetSeatViewsForTests(): void {
  views.clear();
}
