/**
 * Attendance from Vonage callbacks: the callback payload schemas, the deterministic ids that make
 * redeliveries no-ops, and the pure minutes computation behind `getSessionAnalytics`.
 *
 * Store (server-only): `attendance/{eventId}/connections/{connectionId}` and
 * `attendance/{eventId}/streams/{streamId}`. Both callbacks of a connection carry its `createdAt`, so
 * whichever arrives first writes the same fields and a destroy before its create still yields one
 * closed interval.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { UserType } from "../seats/connectionData";

/** Vonage ids (sessions, connections, streams, archives): printable, no database path characters. */
const vonageId = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[A-Za-z0-9_~=+-]+$/, "must be a Vonage id");
/** Epoch milliseconds, as Vonage sends them. */
const millis = z.number().int().nonnegative().max(1e14);
const projectId = z.union([z.string().max(64), z.number()]).optional();
/** Sessions of a Vonage application name it here instead of a project id. */
const applicationId = z.string().max(64).optional();

const connectionInfo = z.object({
  id: vonageId,
  createdAt: millis,
  data: z.string().max(4096).nullish(),
});

const base = { sessionId: vonageId, projectId, applicationId, timestamp: millis };

export const connectionEventSchema = z.object({
  ...base,
  event: z.enum(["connectionCreated", "connectionDestroyed"]),
  connection: connectionInfo,
  reason: z.string().max(200).nullish(),
});

export const streamEventSchema = z.object({
  ...base,
  event: z.enum(["streamCreated", "streamDestroyed"]),
  stream: z.object({
    id: vonageId,
    createdAt: millis,
    connection: connectionInfo.partial({ createdAt: true }),
    name: z.string().max(1024).nullish(),
    videoType: z.string().max(32).nullish(),
  }),
  reason: z.string().max(200).nullish(),
});

export const archiveEventSchema = z.object({
  event: z.literal("archive"),
  id: vonageId,
  sessionId: vonageId,
  status: z.string().min(1).max(32),
  url: z.string().max(4096).nullish(),
  reason: z.string().max(500).nullish(),
  updatedAt: millis.nullish(),
  createdAt: millis.nullish(),
  partnerId: projectId,
  projectId,
  applicationId,
});

export const broadcastEventSchema = z.object({
  event: z.literal("broadcast"),
  id: vonageId,
  sessionId: vonageId,
  status: z.string().min(1).max(32),
  updatedAt: millis.nullish(),
  createdAt: millis.nullish(),
  partnerId: projectId,
  projectId,
  applicationId,
});

export const HANDLED_EVENTS = {
  connectionCreated: connectionEventSchema,
  connectionDestroyed: connectionEventSchema,
  streamCreated: streamEventSchema,
  streamDestroyed: streamEventSchema,
  archive: archiveEventSchema,
  broadcast: broadcastEventSchema,
} as const;
export type HandledEvent = keyof typeof HANDLED_EVENTS;

export type ConnectionEvent = z.output<typeof connectionEventSchema>;
export type StreamEvent = z.output<typeof streamEventSchema>;
export type ArchiveEvent = z.output<typeof archiveEventSchema>;
export type BroadcastEvent = z.output<typeof broadcastEventSchema>;
export type VonageCallback = ConnectionEvent | StreamEvent | ArchiveEvent | BroadcastEvent;

/** Every callback needs at least a string `event`; anything else is malformed (400). */
export const envelopeSchema = z.object({ event: z.string().min(1).max(100) });

/**
 * The id of what a callback reports, the same for every delivery of it: a redelivery (same body, new
 * token) maps to the same key. Hashed so any Vonage id makes a valid database key of fixed length.
 */
export function callbackDedupeKey(callback: VonageCallback): string {
  let identity: string;
  switch (callback.event) {
    case "connectionCreated":
    case "connectionDestroyed":
      identity = `${callback.event}|${callback.sessionId}|${callback.connection.id}`;
      break;
    case "streamCreated":
    case "streamDestroyed":
      identity = `${callback.event}|${callback.sessionId}|${callback.stream.id}`;
      break;
    case "archive":
    case "broadcast":
      identity = `${callback.event}|${callback.sessionId}|${callback.id}|${callback.status}`;
      break;
  }
  return createHash("sha256").update(identity).digest("base64url").slice(0, 32);
}

export type AttendanceUserType = UserType | "unknown";

export interface AttendanceConnection {
  /** From the connection data we minted; the connection id itself when the data is not ours. */
  participantId?: string;
  userType?: AttendanceUserType;
  name?: string;
  session?: "stage" | "backstage";
  joinedAt?: number;
  leftAt?: number;
  reason?: string;
}

export interface AttendanceStream {
  connectionId?: string;
  participantId?: string;
  videoType?: string;
  startedAt?: number;
  endedAt?: number;
}

export interface ParticipantAttendance {
  participantId: string;
  userType: AttendanceUserType;
  name: string | null;
  /** Union of the participant's connection intervals: two tabs at once count once. */
  attendedMs: number;
  attendedMinutes: number;
  /** Union of the participant's published-stream intervals (time on camera). */
  publishedMs: number;
  publishedMinutes: number;
  firstJoinAt: number;
  /** Null while connected. */
  lastLeaveAt: number | null;
  connected: boolean;
  connections: number;
}

export interface AttendanceSummary {
  participants: ParticipantAttendance[];
  totalAttendedMs: number;
  totalAttendedMinutes: number;
  participantCount: number;
  connectedCount: number;
  show: { startedAt: number | null; endedAt: number | null; durationMs: number; durationMinutes: number; running: boolean };
}

/** Minutes rounded to 0.01, as a number (the 100ms sample returned strings). */
export const toMinutes = (ms: number): number => Math.round(ms / 600) / 100;

/** Total length of the union of [start, end) intervals. */
export function unionMs(intervals: Array<[number, number]>): number {
  const sorted = intervals.filter(([start, end]) => end > start).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let current: [number, number] | undefined;
  for (const [start, end] of sorted) {
    if (!current || start > current[1]) {
      if (current) total += current[1] - current[0];
      current = [start, end];
    } else if (end > current[1]) {
      current[1] = end;
    }
  }
  if (current) total += current[1] - current[0];
  return total;
}

/**
 * Per-participant minutes. An open interval (no leave seen yet) counts up to `now` while the show runs;
 * once the show has ended it counts up to the end, so a finished show's numbers stay stable even if a
 * leave callback never arrives.
 */
export function summarizeAttendance(input: {
  connections?: Record<string, AttendanceConnection> | null;
  streams?: Record<string, AttendanceStream> | null;
  showStartedAt?: number | null;
  showEndedAt?: number | null;
  now: number;
}): AttendanceSummary {
  const { now } = input;
  const endedAt = typeof input.showEndedAt === "number" ? input.showEndedAt : null;
  const startedAt = typeof input.showStartedAt === "number" ? input.showStartedAt : null;
  const openEnd = endedAt ?? now;

  interface Acc {
    participantId: string;
    userType: AttendanceUserType;
    name: string | null;
    latestJoin: number;
    intervals: Array<[number, number]>;
    published: Array<[number, number]>;
    firstJoinAt: number;
    lastLeaveAt: number;
    connected: boolean;
    connections: number;
  }
  const byParticipant = new Map<string, Acc>();
  const participantOfConnection = new Map<string, string>();

  for (const [connectionId, connection] of Object.entries(input.connections ?? {})) {
    if (!connection || typeof connection.joinedAt !== "number") continue;
    const participantId = connection.participantId || connectionId;
    participantOfConnection.set(connectionId, participantId);
    const open = typeof connection.leftAt !== "number";
    const joinedAt = connection.joinedAt;
    const end = open ? Math.max(joinedAt, openEnd) : Math.max(joinedAt, connection.leftAt as number);
    let acc = byParticipant.get(participantId);
    if (!acc) {
      acc = {
        participantId,
        userType: connection.userType ?? "unknown",
        name: null,
        latestJoin: -Infinity,
        intervals: [],
        published: [],
        firstJoinAt: joinedAt,
        lastLeaveAt: -Infinity,
        connected: false,
        connections: 0,
      };
      byParticipant.set(participantId, acc);
    }
    acc.connections += 1;
    acc.intervals.push([joinedAt, end]);
    acc.firstJoinAt = Math.min(acc.firstJoinAt, joinedAt);
    if (open) acc.connected = true;
    else acc.lastLeaveAt = Math.max(acc.lastLeaveAt, connection.leftAt as number);
    // Role and name of the latest connection: a fan promoted backstage shows as such.
    if (joinedAt >= acc.latestJoin) {
      acc.latestJoin = joinedAt;
      acc.userType = connection.userType ?? "unknown";
      if (connection.name) acc.name = connection.name;
    } else if (!acc.name && connection.name) {
      acc.name = connection.name;
    }
  }

  for (const stream of Object.values(input.streams ?? {})) {
    if (!stream || typeof stream.startedAt !== "number") continue;
    const participantId =
      stream.participantId || (stream.connectionId ? (participantOfConnection.get(stream.connectionId) ?? stream.connectionId) : undefined);
    const acc = participantId ? byParticipant.get(participantId) : undefined;
    if (!acc) continue;
    const end = typeof stream.endedAt === "number" ? stream.endedAt : openEnd;
    acc.published.push([stream.startedAt, Math.max(stream.startedAt, end)]);
  }

  const participants: ParticipantAttendance[] = [...byParticipant.values()]
    .map((acc) => {
      const attendedMs = unionMs(acc.intervals);
      const publishedMs = unionMs(acc.published);
      return {
        participantId: acc.participantId,
        userType: acc.userType,
        name: acc.name,
        attendedMs,
        attendedMinutes: toMinutes(attendedMs),
        publishedMs,
        publishedMinutes: toMinutes(publishedMs),
        firstJoinAt: acc.firstJoinAt,
        lastLeaveAt: acc.connected || acc.lastLeaveAt === -Infinity ? null : acc.lastLeaveAt,
        connected: acc.connected,
        connections: acc.connections,
      };
    })
    .sort((a, b) => a.firstJoinAt - b.firstJoinAt || a.participantId.localeCompare(b.participantId));

  const totalAttendedMs = participants.reduce((sum, p) => sum + p.attendedMs, 0);
  const durationMs = startedAt === null ? 0 : Math.max(0, (endedAt ?? now) - startedAt);
  return {
    participants,
    totalAttendedMs,
    totalAttendedMinutes: toMinutes(totalAttendedMs),
    participantCount: participants.length,
    connectedCount: participants.filter((p) => p.connected).length,
    show: { startedAt, endedAt, durationMs, durationMinutes: toMinutes(durationMs), running: startedAt !== null && endedAt === null },
  };
}

/** Archive and broadcast states only move forward: a late `started` never undoes `stopped`. */
const ARCHIVE_RANK: Record<string, number> = { starting: 0, started: 1, stopping: 2, stopped: 3, uploaded: 4, available: 4, failed: 4 };
const BROADCAST_RANK: Record<string, number> = { starting: 0, started: 1, stopping: 2, stopped: 3, failed: 3 };

export function archiveStatusAdvances(current: string | undefined, next: string): boolean {
  const to = ARCHIVE_RANK[next];
  if (to === undefined) return false;
  const from = current === undefined ? -1 : (ARCHIVE_RANK[current] ?? -1);
  return to > from;
}

export function broadcastStatusAdvances(current: string | undefined, next: string): boolean {
  const to = BROADCAST_RANK[next];
  if (to === undefined) return false;
  const from = current === undefined ? -1 : (BROADCAST_RANK[current] ?? -1);
  return to > from;
}
