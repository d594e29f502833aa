/**
 * Reading and writing events and the nodes derived from them. `events/{id}` is the source of truth and
 * is changed in transactions; the derived nodes (eventKeys, stageGates, sessionIndex, currentEvents,
 * the live record) are written from a committed event, and `syncDerived` re-checks after writing so
 * two writers that interleave still leave the derived nodes matching the newest event.
 */
import { db } from "../platform/firebase";
import { paths } from "../platform/paths";
import { eventIndexPatch, eventKeyRecord, type EventRecord, type EventStatus } from "./model";
import { notFound, permissionDenied } from "../platform/errors";
import { canManageAdmin, type Caller } from "../platform/roles";
import type { AdminRecord } from "../admins/records";

export async function readEvent(eventId: string): Promise<EventRecord | null> {
  return (await db().ref(paths.event(eventId)).once("value")).val() as EventRecord | null;
}

export async function readAdmin(adminId: string): Promise<AdminRecord | null> {
  return (await db().ref(paths.admin(adminId)).once("value")).val() as AdminRecord | null;
}

/** The event, if the caller owns it (or is a superAdmin). */
export async function loadOwnedEvent(eventId: string, caller: Caller): Promise<EventRecord> {
  const event = await readEvent(eventId);
  if (!event) throw notFound(`No event ${eventId}.`);
  assertOwner(event, caller);
  return event;
}

export function assertOwner(event: Pick<EventRecord, "adminId" | "id">, caller: Caller): void {
  if (!canManageAdmin(caller, event.adminId)) throw permissionDenied(`Event ${event.id} belongs to another admin.`);
}

/**
 * Runs a transaction on `events/{id}`. `decide` sees the current event and returns the new one
 * (or undefined to leave it as is) plus an outcome; the outcome of the attempt that settled is returned.
 * The first attempt may see null before the server's value arrives: writing null there only makes the
 * server answer with the real value, so decisions are always taken on committed data.
 */
export async function mutateEvent<T>(
  eventId: string,
  decide: (current: EventRecord | null) => { next?: EventRecord; outcome: T },
): Promise<{ outcome: T; committed: boolean; event: EventRecord | null }> {
  let outcome!: T;
  const result = await db()
    .ref(paths.event(eventId))
    .transaction(
      (current: EventRecord | null) => {
        const decision = decide(current);
        outcome = decision.outcome;
        if (current === null) return null;
        return decision.next === undefined ? undefined : decision.next;
      },
      undefined,
      false,
    );
  return { outcome, committed: result.committed, event: (result.snapshot.val() as EventRecord | null) ?? null };
}

/** Lease still held by someone (a status change or a manual archive operation in progress). */
export function leaseActive(event: EventRecord, now = Date.now()): boolean {
  const lease = event.lifecycle?.lease;
  return Boolean(lease && lease.until > now);
}

interface DerivedPatch {
  updates: Record<string, unknown>;
  /** A closed event's fan slug is released only if it still points to this event. */
  releaseFanKey: boolean;
}

function derivedPatch(event: EventRecord, hlsEnabled?: boolean): DerivedPatch {
  const updates = eventIndexPatch(event, null, hlsEnabled);
  delete updates[paths.event(event.id)];
  const fanKey = paths.eventKey(event.adminId, "fan", event.fanUrl);
  const releaseFanKey = event.status === "closed";
  // A new event may already have claimed the slug a closed event freed: never null it blindly.
  if (releaseFanKey) delete updates[fanKey];
  return { updates, releaseFanKey };
}

/** Claims `eventKeys/{adminId}/fan/{slug}` for an event; false when another open event holds it. */
export async function claimFanSlug(event: EventRecord, slug: string): Promise<boolean> {
  const key = eventKeyRecord({ ...event, fanUrl: slug });
  const result = await db()
    .ref(paths.eventKey(event.adminId, "fan", slug))
    .transaction(
      (current: { eventId?: string } | null) => (current === null ? key : current.eventId === event.id ? current : undefined),
      undefined,
      false,
    );
  return result.committed ? (result.snapshot.val() as { eventId?: string } | null)?.eventId === event.id : false;
}

export async function releaseFanKey(adminId: string, slug: string, eventId: string): Promise<void> {
  await db()
    .ref(paths.eventKey(adminId, "fan", slug))
    .transaction(
      (current: { eventId?: string } | null) => {
        if (current === null) return null;
        return current.eventId === eventId ? null : undefined;
      },
      undefined,
      false,
    );
}

/** The derived nodes as a multi-path patch, for writers that commit them together with other paths. */
export function derivedUpdates(event: EventRecord, hlsEnabled?: boolean): Record<string, unknown> {
  return derivedPatch(event, hlsEnabled).updates;
}

/**
 * Writes the derived nodes from the stored event, then reads the event again: if it changed meanwhile
 * (another writer committed and may have written its derived nodes before ours), write again.
 */
export async function syncDerived(eventId: string, hlsEnabled?: boolean): Promise<EventRecord | null> {
  let event = await readEvent(eventId);
  for (let attempt = 0; event && attempt < 5; attempt++) {
    const patch = derivedPatch(event, hlsEnabled);
    await db().ref().update(patch.updates);
    if (patch.releaseFanKey) await releaseFanKey(event.adminId, event.fanUrl, event.id);
    const again = await readEvent(eventId);
    if (!again || JSON.stringify(derivedPatch(again, hlsEnabled)) === JSON.stringify(patch)) return again;
    event = again;
  }
  return event;
}

/** All events of one admin (indexed query on `adminId`). */
export async function eventsOfAdmin(adminId: string): Promise<EventRecord[]> {
  const snapshot = await db().ref(paths.events()).orderByChild("adminId").equalTo(adminId).once("value");
  const events: EventRecord[] = [];
  snapshot.forEach((child) => {
    events.push(child.val() as EventRecord);
  });
  return events;
}

const byCreatedAt = (a: EventRecord, b: EventRecord) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function oldestFirst(events: EventRecord[]): EventRecord[] {
  return [...events].sort(byCreatedAt);
}

/** The newest live event, else the newest preshow event (IBS returned the oldest: flaw 19). */
export function mostRecentEvent(events: EventRecord[]): EventRecord | null {
  const newest = (status: EventStatus) =>
    events
      .filter((event) => event.status === status)
      .sort(byCreatedAt)
      .pop() ?? null;
  return newest("live") ?? newest("preshow");
}

/** Recomputes `currentEvents/{adminId}` (read by the embed login functions). */
export async function refreshCurrentEvent(adminId: string): Promise<void> {
  const current = mostRecentEvent(await eventsOfAdmin(adminId));
  await db()
    .ref(paths.currentEvent(adminId))
    .set(current ? eventKeyRecord(current) : null);
}

/** The eventId a live record at `activeBroadcasts/{adminId}/{fanUrl}` belongs to, if any. */
export async function liveRecordOwner(event: Pick<EventRecord, "adminId" | "fanUrl">): Promise<string | null> {
  return (
    await db()
      .ref(`${paths.liveRecord(event.adminId, event.fanUrl)}/eventId`)
      .once("value")
  ).val() as string | null;
}

/** The fields of the live record the server writes (fans, producer flags and presence are the clients'). */
export function liveRecordFields(event: EventRecord, status: EventStatus, hlsEnabled: boolean): Record<string, unknown> {
  const broadcast = event.broadcast;
  return {
    eventId: event.id,
    name: event.name,
    status,
    interactiveLimit: event.interactiveLimit,
    hlsEnabled,
    hlsUrl: status === "live" && broadcast?.status === "started" && broadcast.hlsUrl ? broadcast.hlsUrl : null,
    startImage: event.startImage ?? null,
    endImage: event.endImage ?? null,
    archiving: status === "live" && event.archive?.status === "started",
  };
}
