/**
 * The event model: the record as stored, its states, and the views of it that may leave the server.
 * Pure: the nodes derived from an event are built in ./derived, written by ./store.
 */
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

/**
 * Show continuity (live/continuity): what the backend restarted on its own while the show was live,
 * after a media server rotation or a failure Vonage reported. One entry per run kind.
 */
export interface ContinuityRun {
  cause: "serverRotation" | "failed";
  /** The run that ended, and the one that replaced it (null while the restart has not succeeded). */
  previousId: string;
  id?: string | null;
  /** A restart that began and has not succeeded yet (retried by the next attempt). */
  pending?: boolean | null;
  /** Restarts so far in this show (bounded). */
  restarts: number;
  restartedAt?: number | null;
  error?: string | null;
}

export interface ContinuityState {
  /** When Vonage last reported a server rotation of the stage session (ms). */
  rotationAt?: number | null;
  archive?: ContinuityRun | null;
  broadcast?: ContinuityRun | null;
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
  /** Broadcasts the backend replaced during the show (continuity restarts); their ids are kept. */
  previousBroadcasts?: BroadcastState[] | null;
  continuity?: ContinuityState | null;
  /** Progress of the last status change (see ./lifecycle). */
  lifecycle?: LifecycleState | null;
  /** Set at close when the event has images: the image cleanup finds due events by this index. */
  imagesClosedAt?: number | null;
  createdAt: number;
  updatedAt: number;
}

/** The side effects of a status change, run in this order (./lifecycle/steps). */
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
  /** Set while a close has steps left (cleared with the last one): the backstop's indexed query finds it. */
  unfinishedSince?: number | null;
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

/**
 * A login lookup entry (`eventKeys`, `currentEvents`), as read: enough for the claims and the client's
 * first screen in one read, and what a login answers about its event.
 */
export interface EventKeyRecord {
  eventId: string;
  status: EventStatus;
  name: string;
  fanUrl: string;
  startImage?: EventImage | null;
  endImage?: EventImage | null;
  redirectUrl?: string | null;
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
