/**
 * The event model: the record as stored (its shape is the contract's), its states, and the views of it that may leave the server.
 * Pure: the nodes derived from an event are built in ./derived, written by ./store.
 */
import { PUBLIC_EVENT_FIELDS, type PublicEvent } from "../contract/callables/events";
import type { EventImage, EventKeyRecord, EventRecord, EventStatus } from "../contract/records";

// The stored shapes are the contract's (contract/records.ts); the domain reads them from here.
export { EVENT_STATUSES } from "../contract/schemas";
export type {
  ArchiveState,
  BroadcastState,
  ContinuityRun,
  ContinuityState,
  EventImage,
  EventKeyRecord,
  EventRecord,
  EventStatus,
  LifecycleState,
  LifecycleStep,
  RtmpOutput,
} from "../contract/records";
export { PUBLIC_EVENT_FIELDS, type PublicEvent } from "../contract/callables/events";

export function publicEvent(event: EventRecord): PublicEvent {
  const view: Record<string, unknown> = {};
  for (const field of PUBLIC_EVENT_FIELDS) if (event[field] !== undefined) view[field] = event[field];
  return view as PublicEvent;
}

/** An entry as written: every field present, null when unset (the database drops the nulls). */
export function eventKeyRecord(
  event: Pick<EventRecord, "id" | "status" | "name" | "fanUrl"> & {
    startImage?: EventImage | null;
    endImage?: EventImage | null;
    redirectUrl?: string | null;
  },
): Required<EventKeyRecord> {
  return {
    eventId: event.id,
    status: event.status,
    name: event.name,
    fanUrl: event.fanUrl,
    startImage: event.startImage ?? null,
    endImage: event.endImage ?? null,
    redirectUrl: event.redirectUrl ?? null,
  };
}

/** The seat gate's settings (the seat `shards` beside them are only touched by admission and leaving). */
export interface StageGateSettings {
  adminId: string;
  status: EventStatus;
  limit: number;
  hlsEnabled: boolean;
  hlsUrl: string | null;
}

/** Slug from an event name: trimmed, accents dropped, lower-case words joined by '-'. */
export function slugFromName(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/g, "");
  return slug || "show";
}

const byCreatedAt = (a: EventRecord, b: EventRecord) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function oldestFirst(events: EventRecord[]): EventRecord[] {
  return [...events].sort(byCreatedAt);
}

/** The newest live event, else the newest preshow event (IBS returned the oldest: docs/ibs-flaws.md#19). */
export function mostRecentEvent(events: EventRecord[]): EventRecord | null {
  const newest = (status: EventStatus) =>
    events
      .filter((event) => event.status === status)
      .sort(byCreatedAt)
      .pop() ?? null;
  return newest("live") ?? newest("preshow");
}

/** Lease still held by someone (a status change or a manual archive operation in progress). */
export function leaseActive(event: EventRecord, now = Date.now()): boolean {
  const lease = event.lifecycle?.lease;
  return Boolean(lease && lease.until > now);
}
