/**
 * The one writer of events and the nodes derived from them (eventKeys, stageGates' settings,
 * sessionIndex, currentEvents; the live record is ./liveRecord, the fan-slug entries ./fanKeys): creation, field changes, status
 * progress, deletion, an admin's deletion, and Vonage's archive/broadcast reports. `events/{id}` is
 * the source of truth and is changed in transactions; the derived nodes are written from a committed
 * event, and `syncDerived` re-checks after writing so two writers that interleave still leave the
 * derived nodes matching the newest event. Refusals are the callers' (nothing here throws an
 * HttpsError), so every domain may use it.
 */
import { db } from "../platform/firebase";
import { paths } from "../contract/paths";
import { eventKeyRecord, mostRecentEvent, type EventRecord } from "./model";
import { derivedPatch, eventIndexPatch } from "./derived";
import { liveRecordOwner } from "./liveRecord";
import { closeFanKey, fanSlugOwner } from "./fanKeys";

export async function readEvent(eventId: string): Promise<EventRecord | null> {
  return (await db().ref(paths.event(eventId)).once("value")).val() as EventRecord | null;
}

/** All events of one admin (indexed query on `adminId`). */
export async function eventsOfAdmin(adminId: string): Promise<EventRecord[]> {
  const snapshot = await db().ref(paths.events()).orderByChild("adminId").equalTo(adminId).once("value");
  const events: EventRecord[] = [];
  snapshot.forEach((child) => {
    events.push({ ...(child.val() as EventRecord), id: child.key });
  });
  return events;
}

/** The id of an admin's current show (`currentEvents/{adminId}`; older entries held the id alone). */
export async function currentEventId(adminId: string): Promise<string | undefined> {
  const current = (await db().ref(paths.currentEvent(adminId)).get()).val() as { eventId?: string } | string | null;
  return typeof current === "string" ? current : current?.eventId;
}

/** Events whose query field lies in [1, upTo] (set only while something is due: images, broadcast stops). */
export async function eventsDue(
  field: "imagesClosedAt" | "broadcast/stopAfter" | "lifecycle/unfinishedSince",
  upTo: number,
  limit: number,
): Promise<EventRecord[]> {
  const due = await db().ref(paths.events()).orderByChild(field).startAt(1).endAt(upTo).limitToFirst(limit).once("value");
  const events: EventRecord[] = [];
  due.forEach((child) => {
    events.push({ ...(child.val() as EventRecord), id: child.key });
  });
  return events;
}

export function newEventId(): string {
  return db().ref(paths.events()).push().key;
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

/**
 * Sets `a/b/c`-style fields of an event and its `updatedAt`; false when the event no longer exists.
 * A transaction, not update(): a field-level update after a concurrent deletion (deleteAdmin,
 * deleteEvent) would recreate a headless event record that nothing ever removes.
 */
export async function saveEventFields(eventId: string, set: Record<string, unknown>, now: number): Promise<boolean> {
  const result = await againAfterDisconnect(() =>
    db()
      .ref(paths.event(eventId))
      .transaction(
        (current: Record<string, unknown> | null) => {
          if (current === null) return null;
          for (const [key, value] of Object.entries(set)) setPath(current, key, value);
          current.updatedAt = now;
          return current;
        },
        undefined,
        false,
      ),
  );
  return result.snapshot.exists();
}

/**
 * Runs an idempotent transaction again when the connection dropped while it was in flight (the SDK
 * fails it with `disconnect`; a database restart or a network change): the next attempt waits for
 * the reconnect. Only for transactions whose second run is harmless (field sets, the lease release).
 */
async function againAfterDisconnect<T>(transaction: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (error) {
      if (attempt >= attempts || !/disconnect/.test(String((error as Error)?.message ?? error))) throw error;
    }
  }
}

/** Applies a `a/b/c`-style update to a plain object as the database would (null deletes). */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split("/");
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (typeof node[part] !== "object" || node[part] === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  const last = parts[parts.length - 1];
  if (value === null || value === undefined) delete node[last];
  else node[last] = value;
}

/** Drops the event's lease if `leaseId` still holds it (lifecycle/lease). */
export async function clearLease(eventId: string, leaseId: string): Promise<void> {
  await againAfterDisconnect(() =>
    db()
      .ref(`${paths.event(eventId)}/lifecycle/lease`)
      .transaction((lease: { id?: string } | null) => (lease === null ? null : lease.id === leaseId ? null : undefined), undefined, false),
  );
}

/**
 * Moves the event's `archive` or `broadcast` state with a transaction on that node alone (a Vonage
 * report): `next` returns the new state, or undefined to leave it. Answers the state as stored after.
 */
export async function updateVonageState<S extends { status?: string }>(
  eventId: string,
  field: "archive" | "broadcast",
  next: (current: S) => S | undefined,
): Promise<{ committed: boolean; state: S | null }> {
  const result = await db()
    .ref(`${paths.event(eventId)}/${field}`)
    .transaction(
      // null is also the SDK's first guess before it knows the server value: answer with a no-op write.
      (current: S | null) => (current === null ? null : next(current)),
      undefined,
      false,
    );
  return { committed: result.committed, state: result.snapshot.val() as S | null };
}

/** Writes a new event and its derived nodes; on failure gives back the fan slug it claimed. */
export async function insertEvent(event: EventRecord, hlsEnabled: boolean): Promise<void> {
  try {
    await db()
      .ref()
      .update(eventIndexPatch(event, null, hlsEnabled));
  } catch (error) {
    await db()
      .ref(paths.eventKey(event.adminId, "fan", event.fanUrl))
      .remove()
      .catch(() => undefined);
    throw error;
  }
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
    if (patch.releaseFanKey) await closeFanKey(event.adminId, event.fanUrl, event.id);
    const again = await readEvent(eventId);
    if (!again || JSON.stringify(derivedPatch(again, hlsEnabled)) === JSON.stringify(patch)) return again;
    event = again;
  }
  return event;
}

/** Recomputes `currentEvents/{adminId}` (read by the embed login functions). */
export async function refreshCurrentEvent(adminId: string): Promise<void> {
  const current = mostRecentEvent(await eventsOfAdmin(adminId));
  await db()
    .ref(paths.currentEvent(adminId))
    .set(current ? eventKeyRecord(current) : null);
}

/** One atomic multi-path update: the event's fields, and the other nodes (live record, derived) beside them. */
export async function updateEventWith(eventId: string, set: Record<string, unknown>, others: Record<string, unknown>): Promise<void> {
  const updates: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(set)) updates[`${paths.event(eventId)}/${key}`] = value;
  await db()
    .ref()
    .update({ ...updates, ...others });
}

/** Deletes an event and everything derived from it, keeping what a newer event with its fan slug owns. */
export async function removeEvent(event: EventRecord): Promise<void> {
  const updates: Record<string, unknown> = {
    [paths.event(event.id)]: null,
    [paths.eventKey(event.adminId, "host", event.hostUrl)]: null,
    [paths.eventKey(event.adminId, "celebrity", event.celebrityUrl)]: null,
    [paths.stageGate(event.id)]: null,
    [paths.sessionIndex(event.sessionId)]: null,
    [paths.sessionIndex(event.stageSessionId)]: null,
    [paths.attendance(event.id)]: null,
    [paths.auditLog(event.id)]: null,
    [paths.liveLine(event.id)]: null,
    [paths.liveBans(event.id)]: null,
    [paths.liveSignals(event.id)]: null,
    [paths.seatAsks(event.id)]: null,
    [paths.seatOffers(event.id)]: null,
    // Callback dedupe claims are grouped per event, so they go with it.
    [paths.processedCallbacks(event.id)]: null,
  };
  const [fanKeyOwner, recordOwner, current] = await Promise.all([
    fanSlugOwner(event.adminId, event.fanUrl),
    liveRecordOwner(event),
    db()
      .ref(`${paths.currentEvent(event.adminId)}/eventId`)
      .once("value"),
  ]);
  // The slug and the live record may already belong to a newer event with the same fan slug.
  if (fanKeyOwner === event.id) updates[paths.eventKey(event.adminId, "fan", event.fanUrl)] = null;
  if (recordOwner === event.id) updates[paths.liveRecord(event.adminId, event.fanUrl)] = null;
  await db().ref().update(updates);
  if (current.val() === event.id) await refreshCurrentEvent(event.adminId);
}

/**
 * An admin's deletion: one atomic update removes the admin's nodes (`extra`: profile, credentials),
 * the admin's lookups and live records, and every event with its derived nodes; repeated if an event
 * appeared meanwhile. Returns how many events went.
 */
export async function removeAdminEvents(adminId: string, events: EventRecord[], extra: Record<string, null>): Promise<number> {
  let removed = 0;
  let batch = events;
  // An event created while the admin was being deleted (their ID token lives up to an hour) is caught
  // by the next sweep; three rounds are plenty for a disabled account.
  for (let round = 0; round < 3; round++) {
    const patch: Record<string, null> = {
      ...extra,
      [paths.eventKeys(adminId)]: null,
      [paths.currentEvent(adminId)]: null,
      [paths.liveRecords(adminId)]: null,
    };
    for (const event of batch) {
      patch[paths.event(event.id)] = null;
      patch[paths.stageGate(event.id)] = null;
      patch[paths.attendance(event.id)] = null;
      patch[paths.auditLog(event.id)] = null;
      patch[paths.liveLine(event.id)] = null;
      patch[paths.liveBans(event.id)] = null;
      patch[paths.liveSignals(event.id)] = null;
      patch[paths.seatAsks(event.id)] = null;
      patch[paths.seatOffers(event.id)] = null;
      // Callback dedupe claims are grouped per event, so they go with it.
      patch[paths.processedCallbacks(event.id)] = null;
      if (event.sessionId) patch[paths.sessionIndex(event.sessionId)] = null;
      if (event.stageSessionId) patch[paths.sessionIndex(event.stageSessionId)] = null;
    }
    await db().ref().update(patch);
    removed += batch.length;
    batch = await eventsOfAdmin(adminId);
    if (batch.length === 0) break;
  }
  return removed;
}
