/**
 * `getSessionAnalytics({eventId})`: attendance of one show for its producer (or a superAdmin), from the
 * intervals the Vonage callbacks recorded. Fixes the 100ms sample: minutes are numbers, summed per
 * participant (not per connection) as the union of their intervals, and a participant still connected
 * is reported as such (`connected`, `lastLeaveAt: null`) and counted up to now, or up to the show's end
 * once it has ended.
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { db } from "../../platform/firebase";
import { paths } from "../../platform/paths";
import { id } from "../../platform/schemas";
import { notFound, permissionDenied } from "../../platform/errors";
import { summarizeAttendance, type AttendanceConnection, type AttendanceStream } from "../callbacks";
import type { EventRecord } from "../../events/model";

const count = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) && value > 0 ? value : 0);

export const getSessionAnalytics = validatedCallable({
  name: "getSessionAnalytics",
  input: z.object({ eventId: id }).strict(),
  allow: ["admin", "superAdmin"],
  handler: async ({ eventId }, caller) => {
    const gate = paths.stageGate(eventId);
    // Only the gate's two counters: its `holders` map can be large.
    const [eventSnap, attendanceSnap, peakSnap, hlsSnap] = await Promise.all([
      db().ref(paths.event(eventId)).once("value"),
      db().ref(paths.attendance(eventId)).once("value"),
      db().ref(`${gate}/peakInteractive`).once("value"),
      db().ref(`${gate}/hlsAdmissions`).once("value"),
    ]);
    const event = eventSnap.val() as EventRecord | null;
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
  },
});
