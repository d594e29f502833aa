/**
 * Attendance minutes, pure: what `getSessionAnalytics` answers from the intervals the callbacks
 * recorded (./appliers). Store (server-only): `attendance/{eventId}/connections/{connectionId}` and
 * `attendance/{eventId}/streams/{streamId}`. Both callbacks of a connection carry its `createdAt`, so
 * whichever arrives first writes the same fields and a destroy before its create still yields one
 * closed interval.
 */
import type { UserType } from "../seats/connectionData";
import type { AttendanceConnection, AttendanceStream } from "../contract/records";
import type { AttendanceSummary, ParticipantAttendance } from "../contract/callables/analytics";
// The stored and the answered shapes are the contract's (contract/records.ts, contract/callables/analytics.ts).
export type { AttendanceConnection, AttendanceStream } from "../contract/records";
export type { AttendanceSummary, ParticipantAttendance } from "../contract/callables/analytics";

export type AttendanceUserType = UserType | "unknown";

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
 * Per-participant minutes, clipped to the show window (before the show went live and after it
 * closed, nothing counts; a show that never went live is not clipped at its start). An open interval (no leave seen yet) counts up to `now` while the show runs;
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
  // Counted time is clipped to the show window [showStartedAt, showEndedAt]: connections in preshow,
  // or reported (late, or forged within a valid signature) after the close, add nothing.
  const clip = (start: number, end: number): [number, number] => {
    const from = startedAt === null ? start : Math.max(start, startedAt);
    const to = endedAt === null ? end : Math.min(end, endedAt);
    return [from, Math.max(from, to)];
  };

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
    const clipped = clip(joinedAt, end);
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
    acc.intervals.push(clipped);
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
    acc.published.push(clip(stream.startedAt, Math.max(stream.startedAt, end)));
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
