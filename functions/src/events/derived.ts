/**
 * The nodes derived from an event, as multi-path patches (pure; ./store writes them). Every writer of
 * an event goes through these, so the login lookups (`eventKeys`), the session index and the seat gate
 * (`stageGates`) never drift from `events/{id}`; the live record's server-written fields come from
 * `liveRecordFields`.
 */
import { paths } from "../contract/paths";
import { eventKeyRecord, type EventRecord, type EventStatus } from "./model";

/**
 * Multi-path patch that writes an event and everything derived from it. `previous` is the event as it
 * was, so renamed keys (a new fan slug) lose their old lookup entries.
 */
export function eventIndexPatch(event: EventRecord, previous?: EventRecord | null, hlsEnabled?: boolean): Record<string, unknown> {
  const patch: Record<string, unknown> = { [paths.event(event.id)]: event };
  const key = eventKeyRecord(event);
  if (previous && previous.fanUrl !== event.fanUrl) patch[paths.eventKey(event.adminId, "fan", previous.fanUrl)] = null;
  if (previous && previous.hostUrl !== event.hostUrl) patch[paths.eventKey(event.adminId, "host", previous.hostUrl)] = null;
  if (previous && previous.celebrityUrl !== event.celebrityUrl)
    patch[paths.eventKey(event.adminId, "celebrity", previous.celebrityUrl)] = null;
  // Every login entry stays when the show closes, so its links answer "closed" (failed-precondition)
  // rather than "not found"; a closed event's fan slug is free for a new event to claim (fanKeys.claimFanSlug).
  patch[paths.eventKey(event.adminId, "fan", event.fanUrl)] = key;
  patch[paths.eventKey(event.adminId, "host", event.hostUrl)] = key;
  patch[paths.eventKey(event.adminId, "celebrity", event.celebrityUrl)] = key;
  // Vonage callbacks carry only a session id: map both sessions back to the event.
  patch[paths.sessionIndex(event.sessionId)] = { eventId: event.id, adminId: event.adminId, kind: "backstage" };
  patch[paths.sessionIndex(event.stageSessionId)] = { eventId: event.id, adminId: event.adminId, kind: "stage" };
  const gate = paths.stageGate(event.id);
  patch[`${gate}/adminId`] = event.adminId;
  patch[`${gate}/status`] = event.status;
  patch[`${gate}/limit`] = event.interactiveLimit;
  if (hlsEnabled !== undefined) patch[`${gate}/hlsEnabled`] = hlsEnabled;
  patch[`${gate}/hlsUrl`] = event.broadcast?.status === "started" && event.broadcast.hlsUrl ? event.broadcast.hlsUrl : null;
  // A closed show offers no more seats: its upgrade queue and offers go (seats/offers).
  if (event.status === "closed") {
    patch[`${gate}/asks`] = null;
    patch[paths.seatAsks(event.id)] = null;
    patch[paths.seatOffers(event.id)] = null;
  }
  return patch;
}

export interface DerivedPatch {
  updates: Record<string, unknown>;
  /** A closed event's fan slug entry is marked closed only if it still points to this event. */
  releaseFanKey: boolean;
}

/** The derived nodes alone (not the event), for writers that commit them beside other paths. */
export function derivedPatch(event: EventRecord, hlsEnabled?: boolean): DerivedPatch {
  const updates = eventIndexPatch(event, null, hlsEnabled);
  delete updates[paths.event(event.id)];
  const fanKey = paths.eventKey(event.adminId, "fan", event.fanUrl);
  const releaseFanKey = event.status === "closed";
  // A new event may already have claimed the slug a closed event freed: never overwrite it blindly.
  if (releaseFanKey) delete updates[fanKey];
  return { updates, releaseFanKey };
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
