/**
 * What each handled callback changes, once its claim is held (./dedupe): attendance intervals for
 * session monitoring, the event's archive or broadcast state for those reports.
 */
import { db } from "../platform/firebase";
import { paths } from "../contract/paths";
import { BoundedCache } from "../platform/cache";
import type { ArchiveState, BroadcastState } from "../events/model";
import { updateVonageState } from "../events/store";
import { parseConnectionData } from "../seats/connectionData";
import { seatConnectionEvent } from "../seats/confirm";
import type { ArchiveEvent, BroadcastEvent, ConnectionEvent, StreamEvent } from "./callbacks";
import { donePatch, markDone } from "./dedupe";

export interface SessionTarget {
  eventId: string;
  adminId: string;
  kind: "stage" | "backstage";
}

export type Outcome = "applied" | "stale" | "duplicate" | "inProgress" | "unknownSession";

// The index entry of a session never changes (written once by createEvent), so one read per instance.
const sessionCache = new BoundedCache<string, SessionTarget>({ max: 5000 });

/** The event a Vonage session belongs to (`sessionIndex`), or undefined when it is not ours. */
export async function sessionTarget(sessionId: string): Promise<SessionTarget | undefined> {
  const cached = sessionCache.get(sessionId);
  if (cached) return cached;
  const value = (await db().ref(paths.sessionIndex(sessionId)).once("value")).val() as Partial<SessionTarget> | null;
  // Unknown sessions are not cached: the index may be written just after Vonage created the session.
  if (!value || typeof value.eventId !== "string" || typeof value.adminId !== "string") return undefined;
  return sessionCache.set(sessionId, {
    eventId: value.eventId,
    adminId: value.adminId,
    kind: value.kind === "backstage" ? "backstage" : "stage",
  });
}

/** Who a connection is: our connection data for this event, else the connection itself (userType unknown). */
function participantOf(rawData: string | null | undefined, connectionId: string, eventId: string) {
  const data = parseConnectionData(rawData);
  if (data && data.eventId === eventId) return { participantId: data.participantId, userType: data.userType, name: data.name };
  return { participantId: connectionId, userType: "unknown" as const, name: undefined };
}

/**
 * Field-level writes: both callbacks of a connection carry its createdAt, so they write the same join
 * time and the destroy adds the leave, in whichever order they arrive.
 */
export async function applyConnection(callback: ConnectionEvent, target: SessionTarget, claimPath: string, now: number): Promise<Outcome> {
  const { connection } = callback;
  const base = paths.attendanceConnection(target.eventId, connection.id);
  const who = participantOf(connection.data, connection.id, target.eventId);
  const patch: Record<string, unknown> = {
    [`${base}/participantId`]: who.participantId,
    [`${base}/userType`]: who.userType,
    [`${base}/session`]: target.kind,
    [`${base}/joinedAt`]: connection.createdAt,
    ...donePatch(claimPath, now),
  };
  if (who.name) patch[`${base}/name`] = who.name;
  if (callback.event === "connectionDestroyed") {
    patch[`${base}/leftAt`] = callback.timestamp;
    if (callback.reason) patch[`${base}/reason`] = callback.reason;
  }
  await db().ref().update(patch);
  // Seats backed by real connections: a seated fan's stage connection confirms or frees its claim.
  await seatConnectionEvent(callback.event, target, connection.id, connection.data);
  return "applied";
}

export async function applyStream(callback: StreamEvent, target: SessionTarget, claimPath: string, now: number): Promise<Outcome> {
  const { stream } = callback;
  const base = paths.attendanceStream(target.eventId, stream.id);
  const who = participantOf(stream.connection.data, stream.connection.id, target.eventId);
  const patch: Record<string, unknown> = {
    [`${base}/connectionId`]: stream.connection.id,
    [`${base}/participantId`]: who.participantId,
    [`${base}/startedAt`]: stream.createdAt,
    ...donePatch(claimPath, now),
  };
  if (stream.videoType) patch[`${base}/videoType`] = stream.videoType;
  if (callback.event === "streamDestroyed") patch[`${base}/endedAt`] = callback.timestamp;
  await db().ref().update(patch);
  return "applied";
}

/** Archive and broadcast states only move forward: a late `started` never undoes `stopped`. */
const RANKS: Record<"archive" | "broadcast", Record<string, number>> = {
  archive: { starting: 0, started: 1, stopping: 2, stopped: 3, uploaded: 4, available: 4, failed: 4 },
  broadcast: { starting: 0, started: 1, stopping: 2, stopped: 3, failed: 3 },
};

export function statusAdvances(kind: "archive" | "broadcast", current: string | undefined, next: string): boolean {
  const to = RANKS[kind][next];
  if (to === undefined) return false;
  const from = current === undefined ? -1 : (RANKS[kind][current] ?? -1);
  return to > from;
}

export const archiveStatusAdvances = (current: string | undefined, next: string) => statusAdvances("archive", current, next);
export const broadcastStatusAdvances = (current: string | undefined, next: string) => statusAdvances("broadcast", current, next);

/**
 * An archive or broadcast report: only for the id the event knows, only forward (a late `started`
 * never undoes `available`), only the fields this callback owns; the events code writes the rest.
 */
export async function applyVonageState(
  callback: ArchiveEvent | BroadcastEvent,
  target: SessionTarget,
  claimPath: string,
  now: number,
): Promise<Outcome> {
  const kind = callback.event;
  const { committed, state } = await updateVonageState<ArchiveState | BroadcastState>(target.eventId, kind, (current) => {
    if (current.id !== callback.id || !statusAdvances(kind, current.status, callback.status)) return undefined;
    const next = { ...current, status: callback.status, updatedAt: callback.updatedAt ?? now } as typeof current;
    if (callback.event === "archive" && callback.status === "available" && callback.url) (next as ArchiveState).url = callback.url;
    if (callback.status === "failed") {
      const reason = callback.event === "archive" && callback.reason ? `: ${callback.reason}` : "";
      next.error = `Vonage reported the ${kind} failed${reason}`.slice(0, 500);
    }
    return next;
  });
  await markDone(claimPath, now);
  return committed && state?.status === callback.status ? "applied" : "stale";
}
