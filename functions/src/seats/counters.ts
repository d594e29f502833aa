/**
 * The seat counters, batched per instance so the hot path writes nothing for them: `hlsAdmissions`
 * (HLS answers, a fan counted once per instance that answered them) and `peakInteractive` (the most
 * seats this instance's live view saw held) on the gate, for analytics; and the approximate live
 * counts in the public live record, `counts/seated` (seats held, from the view) and `counts/hls` (HLS
 * answers so far). Each instance flushes at most once every FLUSH_MS per event, so all of them are
 * approximate: a few seconds late, and an instance that stops before its flush loses its last batch.
 */
import { ServerValue } from "firebase-admin/database";
import { db } from "../platform/firebase";
import { paths } from "../contract/paths";
import { BoundedCache } from "../platform/cache";
import { warn } from "../platform/logs";

export const FLUSH_MS = 5_000;

interface Pending {
  eventId: string;
  hls: number;
  peak: number;
  flushedPeak: number;
  seated: number;
  flushedSeated: number;
  open: boolean;
}

const pending = new Map<string, Pending>();
/**
 * Fans this instance already counted in `hlsAdmissions` (a reload is not a new viewer): two
 * generations of at most HLS_GENERATION fans, the older dropped when the newer fills, so O(1) a call
 * whatever the crowd (an LRU map's eviction from the front slowed HLS answers ~40x past 100,000 viewers).
 */
const HLS_GENERATION = 50_000;
let hlsCounted = new Set<string>();
let hlsCountedBefore = new Set<string>();
/** Where each event's live record is, once a fan join knew it (the counts go there too). */
const liveRecords = new BoundedCache<string, { adminId: string; fanUrl: string }>({ max: 2_000 });
let timer: NodeJS.Timeout | undefined;

function entry(eventId: string): Pending {
  let found = pending.get(eventId);
  if (!found) {
    found = { eventId, hls: 0, peak: 0, flushedPeak: 0, seated: 0, flushedSeated: 0, open: true };
    pending.set(eventId, found);
  }
  if (!timer) {
    timer = setTimeout(() => {
      timer = undefined;
      flushSeatCounters().catch((error) => warn("seat counters not flushed", { error: String(error) }));
    }, FLUSH_MS);
    timer.unref();
  }
  return found;
}

/** An HLS answer to `uid`; counted once per fan per instance. */
export function countHls(eventId: string, uid: string): void {
  const key = `${eventId}/${uid}`;
  if (hlsCounted.has(key) || hlsCountedBefore.has(key)) return;
  if (hlsCounted.size >= HLS_GENERATION) {
    hlsCountedBefore = hlsCounted;
    hlsCounted = new Set();
  }
  hlsCounted.add(key);
  entry(eventId).hls++;
}

/** The seats this instance's view sees held (after a change, or an admission). */
export function noteSeated(eventId: string, held: number, open: boolean): void {
  const found = pending.get(eventId);
  if (!found && held === 0) return;
  const target = found ?? entry(eventId);
  target.open = open;
  target.seated = held;
  target.peak = Math.max(target.peak, held);
  if (found && (held !== found.flushedSeated || found.peak > found.flushedPeak)) entry(eventId);
}

/** Where the event's live record is (the counts go there too). */
export function noteLiveRecord(eventId: string, adminId: string, fanUrl: string): void {
  if (!liveRecords.has(eventId)) liveRecords.set(eventId, { adminId, fanUrl });
}

async function flushOne(item: Pending): Promise<void> {
  const gate = paths.stageGate(item.eventId);
  const hls = item.hls;
  item.hls = 0;
  const writes: Promise<unknown>[] = [];
  if (hls > 0) writes.push(db().ref(`${gate}/hlsAdmissions`).set(ServerValue.increment(hls)));
  if (item.peak > item.flushedPeak) {
    const peak = item.peak;
    item.flushedPeak = peak;
    writes.push(
      db()
        .ref(`${gate}/peakInteractive`)
        .transaction((current: unknown) => (typeof current === "number" && current >= peak ? undefined : peak), undefined, false),
    );
  }
  const seatedChanged = item.seated !== item.flushedSeated;
  const place = liveRecords.get(item.eventId);
  if (place && item.open && (hls > 0 || seatedChanged)) {
    const live = paths.liveRecord(place.adminId, place.fanUrl);
    const seated = item.seated;
    item.flushedSeated = seated;
    // Only into this event's own record: a closed show's slug may already belong to a newer event,
    // and a record removed at close must not come back as a bare `counts`.
    writes.push(
      db()
        .ref(`${live}/eventId`)
        .once("value")
        .then((owner) => {
          if (owner.val() !== item.eventId) return;
          const counts: Record<string, unknown> = { "counts/seated": seated };
          if (hls > 0) counts["counts/hls"] = ServerValue.increment(hls);
          return db().ref(live).update(counts);
        }),
    );
  }
  await Promise.all(writes);
}

/** Writes every pending batch now (the timer does it every FLUSH_MS; tests and shutdown call it). */
export async function flushSeatCounters(): Promise<void> {
  const items = [...pending.values()];
  for (const item of items)
    if (item.hls === 0 && item.peak <= item.flushedPeak && item.seated === item.flushedSeated) pending.delete(item.eventId);
  await Promise.all(items.map(flushOne));
}

export function resetSeatCountersForTests(): void {
  pending.clear();
  hlsCounted.clear();
  hlsCountedBefore.clear();
  liveRecords.clear();
  if (timer) clearTimeout(timer);
  timer = undefined;
}
