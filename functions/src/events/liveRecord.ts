/**
 * The live record (`activeBroadcasts/{adminId}/{fanUrl}`, IBS's shape), the one derived node clients
 * write too: the server writes only the fields of `liveRecordFields`, never fans, producer flags or
 * presence. A fan slug is freed when a show closes, so a record at an event's path may belong to a
 * newer event: every write here checks the record's `eventId` first.
 */
import { db } from "../platform/firebase";
import { paths } from "../contract/paths";
import type { EventRecord, EventStatus } from "./model";
import { liveRecordFields } from "./derived";

/** The eventId a live record at `activeBroadcasts/{adminId}/{fanUrl}` belongs to, if any. */
export async function liveRecordOwner(event: Pick<EventRecord, "adminId" | "fanUrl">): Promise<string | null> {
  return (
    await db()
      .ref(`${paths.liveRecord(event.adminId, event.fanUrl)}/eventId`)
      .once("value")
  ).val() as string | null;
}

/** The record's server fields as a multi-path patch. */
export async function liveRecordUpdates(event: EventRecord, status: EventStatus, hls: boolean): Promise<Record<string, unknown>> {
  const base = paths.liveRecord(event.adminId, event.fanUrl);
  const fields = liveRecordFields(event, status, hls);
  const owner = await liveRecordOwner(event);
  // A record left by another (closed, still draining) event with the same slug is replaced, not merged.
  if (owner && owner !== event.id) return { [base]: fields };
  const updates: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) updates[`${base}/${key}`] = value;
  return updates;
}

/** Creates or updates the live record without touching fans or presence (IBS `set` wiped them: docs/ibs-flaws.md#20). */
export async function writeLiveRecord(event: EventRecord, status: EventStatus, hls: boolean): Promise<void> {
  await db()
    .ref()
    .update(await liveRecordUpdates(event, status, hls));
}

/** Updates some server fields of the event's own live record (none when the record is another event's). */
export async function updateOwnLiveRecord(event: EventRecord, fields: Record<string, unknown>): Promise<void> {
  if ((await liveRecordOwner(event)) !== event.id) return;
  await db().ref(paths.liveRecord(event.adminId, event.fanUrl)).update(fields);
}

export async function removeOwnLiveRecord(event: EventRecord): Promise<void> {
  if ((await liveRecordOwner(event)) === event.id) await db().ref(paths.liveRecord(event.adminId, event.fanUrl)).remove();
}
