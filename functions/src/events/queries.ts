/**
 * Reading events for callers: the owner's full records, and the public views anyone may see (fan
 * pages, embeds, HLS viewers). Public views never carry the host/celebrity secrets or session ids
 * (IBS returned both: docs/ibs-flaws.md#5 and #7).
 */
import { notFound, permissionDenied } from "../platform/errors";
import { canManageAdmin, type Caller } from "../platform/roles";
import { db } from "../platform/firebase";
import { paths } from "../contract/paths";
import { eventKeyRecord, mostRecentEvent, oldestFirst, publicEvent, type EventRecord, type PublicEvent } from "./model";
import { eventsOfAdmin, readEvent } from "./store";
import { fanSlugOwner } from "./fanKeys";

export function assertOwner(event: Pick<EventRecord, "adminId" | "id">, caller: Caller): void {
  if (!canManageAdmin(caller, event.adminId)) throw permissionDenied(`Event ${event.id} belongs to another admin.`);
}

/** The event, if the caller owns it (or is a superAdmin). */
export async function loadOwnedEvent(eventId: string, caller: Caller): Promise<EventRecord> {
  const event = await readEvent(eventId);
  if (!event) throw notFound(`No event ${eventId}.`);
  assertOwner(event, caller);
  return event;
}

/** The caller's events (a superAdmin may name another admin), full records keyed by id (the IBS shape). */
export async function eventsByIdOf(caller: Caller, adminId = caller.uid): Promise<Record<string, EventRecord>> {
  if (adminId !== caller.uid && !caller.superAdmin) throw permissionDenied("Only a superAdmin lists another admin's events.");
  const events: Record<string, EventRecord> = {};
  for (const event of await eventsOfAdmin(adminId)) events[event.id] = event;
  return events;
}

/** An admin's events that are not closed, oldest first, public fields only. */
export async function openPublicEvents(adminId: string): Promise<PublicEvent[]> {
  return oldestFirst(await eventsOfAdmin(adminId))
    .filter((event) => event.status !== "closed")
    .map(publicEvent);
}

/** The admin's current show (newest live, else newest preshow), or null when none runs. */
export async function currentPublicEvent(adminId: string): Promise<PublicEvent | null> {
  const event = mostRecentEvent(await eventsOfAdmin(adminId));
  return event ? publicEvent(event) : null;
}

/**
 * The event behind an admin's fan slug: the open event holding it (one read of its slug entry), else
 * the newest event that used it, so a fan opening an old link learns that the show ended.
 */
export async function eventBySlug(adminId: string, slug: string): Promise<EventRecord | null> {
  const key = await fanSlugOwner(adminId, slug);
  const open = key ? await readEvent(key) : null;
  if (open && open.adminId === adminId && open.fanUrl === slug) return open;
  return (
    oldestFirst(await eventsOfAdmin(adminId))
      .filter((event) => event.fanUrl === slug)
      .pop() ?? null
  );
}

export async function publicEventBySlug(adminId: string, slug: string): Promise<PublicEvent> {
  const event = await eventBySlug(adminId, slug);
  if (!event) throw notFound("No event with that admin and fan URL.");
  return publicEvent(event);
}

/**
 * What an HLS viewer needs. Readiness rule: `hlsUrl` is given only while the event is live and Vonage
 * has accepted the broadcast (its id and URL are stored); before that, and after close, it is null.
 */
export async function broadcastData(which: { adminId: string; slug: string } | { eventId: string }) {
  const event = "eventId" in which ? await readEvent(which.eventId) : await eventBySlug(which.adminId, which.slug);
  if (!event) throw notFound("No such event.");
  const hlsEnabled =
    (
      await db()
        .ref(`${paths.stageGate(event.id)}/hlsEnabled`)
        .once("value")
    ).val() === true;
  const broadcast = event.broadcast;
  const ready = event.status === "live" && broadcast?.status === "started" && Boolean(broadcast.id && broadcast.hlsUrl);
  const { eventId, name, status, startImage, endImage } = eventKeyRecord(event);
  return {
    eventId,
    adminId: event.adminId,
    name,
    status,
    startImage,
    endImage,
    hlsEnabled,
    hlsUrl: ready ? broadcast.hlsUrl! : null,
    hlsStartedAt: ready ? (broadcast.startedAt ?? null) : null,
  };
}
