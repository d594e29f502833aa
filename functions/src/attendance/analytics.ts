/**
 * A show's attendance for its producer (or a superAdmin), from the intervals the Vonage callbacks
 * recorded, with the seat gate's two counters (batched per instance, so approximate: see docs/seats.md).
 */
import { db } from "../platform/firebase";
import { paths } from "../contract/paths";
import { notFound, permissionDenied } from "../platform/errors";
import type { Caller } from "../platform/roles";
import type { EventRecord } from "../events/model";
import { summarizeAttendance, type AttendanceConnection, type AttendanceStream } from "./summary";

const count = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) && value > 0 ? value : 0);

export async function sessionAnalytics(caller: Caller, eventId: string) {
  const gate = paths.stageGate(eventId);
  // Only the gate's two counters: its seat shards can be large.
  const [eventSnap, attendanceSnap, peakSnap, hlsSnap] = await Promise.all([
    db().ref(paths.event(eventId)).once("value"),
    db().ref(paths.attendance(eventId)).once("value"),
    db().ref(`${gate}/peakInteractive`).once("value"),
    db().ref(`${gate}/hlsAdmissions`).once("value"),
  ]);
  // Only what the answer needs of the event.
  const event = eventSnap.val() as Pick<EventRecord, "name" | "status" | "adminId" | "showStartedAt" | "showEndedAt"> | null;
  if (!event) throw notFound(`No event ${eventId}.`);
  if (event.adminId !== caller.uid && !caller.superAdmin) throw permissionDenied("Only the event's producer can see its analytics.");
  const attendance = (attendanceSnap.val() ?? {}) as {
    connections?: Record<string, AttendanceConnection>;
    streams?: Record<string, AttendanceStream>;
  };
  const now = Date.now();
  const summary = summarizeAttendance({
    connections: attendance.connections,
    streams: attendance.streams,
    showStartedAt: event.showStartedAt,
    showEndedAt: event.showEndedAt,
    now,
  });
  return {
    eventId,
    name: event.name,
    status: event.status,
    generatedAt: now,
    ...summary,
    peakInteractive: count(peakSnap.val()),
    hlsAdmissions: count(hlsSnap.val()),
  };
}
