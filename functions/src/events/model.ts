/**
 * The event model and the denormalised nodes derived from it. Every writer of an event goes through
 * `eventIndexPatch`, so the login lookups (`eventKeys`) and the seat gate (`stageGates`) never drift
 * from `events/{id}`.
 */
import { paths } from "../platform/paths";
import type { CredentialRef } from "../platform/vonage/credentials";

export const EVENT_STATUSES = ["notStarted", "preshow", "live", "closed"] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export interface EventImage {
  id: string;
  url: string;
}

export interface RtmpOutput {
  serverUrl: string;
  streamName: string;
}

/** Where a Vonage side effect stands; `error` says what failed so the producer can retry. */
export interface ArchiveState {
  id?: string;
  status: "starting" | "started" | "stopping" | "stopped" | "uploaded" | "available" | "failed";
  outputMode?: "composed" | "individual";
  url?: string | null;
  error?: string | null;
  startedAt?: number;
  stoppedAt?: number;
  updatedAt?: number;
}

export interface BroadcastState {
  id?: string;
  status: "starting" | "started" | "stopping" | "stopped" | "failed";
  hlsUrl?: string | null;
  rtmp?: RtmpOutput[];
  error?: string | null;
  /** When the drain delay ends and the broadcast may be stopped (ms); cleared once stopped. */
  stopAfter?: number | null;
  startedAt?: number;
  stoppedAt?: number;
  updatedAt?: number;
}

export interface EventRecord {
  id: string;
  adminId: string;
  name: string;
  /** Fan slug (public). */
  fanUrl: string;
  /** Host and celebrity link secrets (never shown to fans or public endpoints). */
  hostUrl: string;
  celebrityUrl: string;
  status: EventStatus;
  archiveEvent: boolean;
  uncomposed: boolean;
  interactiveLimit: number;
  redirectUrl?: string;
  rtmpOutputs?: RtmpOutput[];
  dateTimeStart?: string;
  dateTimeEnd?: string;
  startImage?: EventImage | null;
  endImage?: EventImage | null;
  /** Vonage sessions: backstage (screening, queue) and stage (the show). */
  sessionId: string;
  stageSessionId: string;
  /** The Vonage credential (kind + application id or API key) the sessions belong to; server-only. */
  vonage?: CredentialRef | null;
  archive?: ArchiveState | null;
  broadcast?: BroadcastState | null;
  showStartedAt?: number;
  showEndedAt?: number;
  /** Archives that ran before the current one (manual stop and restart); their ids are kept. */
  previousArchives?: ArchiveState[] | null;
  /** Progress of the last status change (see lib/lifecycle.ts). */
  lifecycle?: LifecycleState | null;
  /** Set at close when the event has images: the image cleanup finds due events by this index. */
  imagesClosedAt?: number | null;
  createdAt: number;
  updatedAt: number;
}

/** The side effects of a status change, run in this order (lib/lifecycle.ts). */
export type LifecycleStep =
  | "liveRecord"
  | "archive"
  | "broadcast"
  | "commit"
  | "markClosed"
  | "currentEvent"
  | "archiveStop"
  | "broadcastDrain"
  | "broadcastStop"
  | "removeLiveRecord";

/**
 * Where a status change stands. `pending` empty means done; `lease` marks the one caller running the
 * steps (a concurrent click or retry waits for it or takes over once it expired); `errors` says what
 * failed, per step, with no secrets.
 */
export interface LifecycleState {
  target: EventStatus;
  pending?: LifecycleStep[];
  lease?: { id: string; until: number } | null;
  errors?: Partial<Record<LifecycleStep, string>> | null;
  /** The admin's `hls` flag when the change started, so a retry decides the same way. */
  hls?: boolean;
  startedAt: number;
  updatedAt: number;
}

/** Fields anyone may see (public event lists, HLS viewers). */
export const PUBLIC_EVENT_FIELDS = [
  "id",
  "adminId",
  "name",
  "fanUrl",
  "status",
  "dateTimeStart",
  "dateTimeEnd",
  "startImage",
  "endImage",
  "redirectUrl",
] as const;
export type PublicEvent = Pick<EventRecord, (typeof PUBLIC_EVENT_FIELDS)[number]>;

export function publicEvent(event: EventRecord): PublicEvent {
  const view: Record<string, unknown> = {};
  for (const field of PUBLIC_EVENT_FIELDS) if (event[field] !== undefined) view[field] = event[field];
  return view as PublicEvent;
}

/** What a login lookup returns in one read: enough for the claims and the client's first screen. */
export interface EventKeyRecord {
  eventId: string;
  status: EventStatus;
  name: string;
  fanUrl: string;
  startImage?: EventImage | null;
  endImage?: EventImage | null;
  redirectUrl?: string | null;
}

export function eventKeyRecord(event: EventRecord): EventKeyRecord {
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

/** The seat gate's settings (the `holders` map beside them is only touched by admission and leaving). */
export interface StageGateSettings {
  adminId: string;
  status: EventStatus;
  limit: number;
  hlsEnabled: boolean;
  hlsUrl: string | null;
}

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
  // A closed event frees its fan slug for a new event; its host/celebrity secrets stay to answer
  // "closed" rather than "not found".
  patch[paths.eventKey(event.adminId, "fan", event.fanUrl)] = event.status === "closed" ? null : key;
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
  return patch;
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
