/** Attendance analytics (API area: analytics). */
import { z } from "zod";
import { id } from "../schemas";
import type { AttendanceUserType, EventStatus } from "../records";

export const analyticsInputs = {
  getSessionAnalytics: z.object({ eventId: id }).strict(),
};

export type ParticipantAttendance = {
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
};

export type AttendanceSummary = {
  participants: ParticipantAttendance[];
  totalAttendedMs: number;
  totalAttendedMinutes: number;
  participantCount: number;
  connectedCount: number;
  show: { startedAt: number | null; endedAt: number | null; durationMs: number; durationMinutes: number; running: boolean };
};

export type SessionAnalytics = AttendanceSummary & {
  eventId: string;
  name: string;
  status: EventStatus;
  /** The most fans seated at once, and how many were sent to the HLS stream. */
  peakInteractive: number;
  hlsAdmissions: number;
  generatedAt: number;
};

export type AnalyticsOutputs = {
  getSessionAnalytics: SessionAnalytics;
};
