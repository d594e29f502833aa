/**
 * Removal that sticks: `liveBans/{eventId}/{uid}` (server-only) marks a participant the producer
 * removed from the show. Every token function refuses them for this show (seats/ calls
 * `refuseRemoved`), so a reload or a new login of the same uid gets nothing. A ban is never lifted
 * while the event exists; it goes with the event.
 *
 * A fresh anonymous account is a new uid: it is not refused here (nothing ties it to the removed
 * person) and can join again like any new fan, a seat permitting.
 */
import type { DataSnapshot, Reference } from "firebase-admin/database";
import { db } from "../platform/firebase";
import { BoundedCache } from "../platform/cache";
import { paths } from "../contract/paths";
import { permissionDenied } from "../platform/errors";

export interface Removal {
  at: number;
  by: string;
}

/**
 * Each show's removals are kept in this instance's SDK cache by a listener on `liveBans/{eventId}`, as
 * the seat code keeps its gate: the token paths then check a removal without a database round trip
 * (a warm fan join stays one write), and a removal made by any instance reaches every listening
 * instance within moments. A show's removals are few (a producer removes people one by one).
 */
interface BanWatch {
  ref: Reference;
  ready: Promise<void>;
  listener: (snapshot: DataSnapshot) => void;
  removed: Record<string, Removal> | null;
  failed: boolean;
}

const watches = new BoundedCache<string, BanWatch>({
  max: 500,
  ttlMs: 10 * 60_000,
  sliding: true,
  onEvict: (_eventId, watch) => watch.ref.off("value", watch.listener),
});

function watchBans(eventId: string): BanWatch {
  const hit = watches.get(eventId);
  if (hit && !hit.failed) return hit;
  const ref = db().ref(paths.liveBans(eventId));
  let settle!: () => void;
  const watch: BanWatch = {
    ref,
    ready: new Promise<void>((resolve) => (settle = resolve)),
    listener: () => undefined,
    removed: null,
    failed: false,
  };
  watch.listener = (snapshot) => {
    watch.removed = (snapshot.val() as Record<string, Removal> | null) ?? null;
    settle();
  };
  ref.on("value", watch.listener, () => {
    watch.failed = true;
    settle();
  });
  return watches.set(eventId, watch);
}

export async function isRemoved(eventId: string, uid: string): Promise<boolean> {
  const watch = watchBans(eventId);
  await watch.ready;
  if (!watch.failed) return Boolean(watch.removed?.[uid]);
  // The listener was refused or dropped: read once.
  return (await db().ref(paths.liveBan(eventId, uid)).once("value")).exists();
}

/** permission-denied for a participant the producer removed from this show. */
export async function refuseRemoved(eventId: string, uid: string): Promise<void> {
  if (await isRemoved(eventId, uid)) {
    throw permissionDenied("The producer removed you from this show: no tokens are issued to you for it.");
  }
}

/** Records the removal once (a repeat keeps the first); returns the stored one and whether it is new. */
export async function recordRemoval(
  eventId: string,
  uid: string,
  by: string,
  now = Date.now(),
): Promise<{ removal: Removal; first: boolean }> {
  const result = await db()
    .ref(paths.liveBan(eventId, uid))
    .transaction((current: Removal | null) => (current ? undefined : { at: now, by }), undefined, false);
  const removal = result.snapshot.val() as Removal;
  return { removal, first: result.committed };
}

/** Tests detach every listener so a case starts cold (as a new instance would). */
export function resetRemovalsForTests(): void {
  watches.clear();
}
