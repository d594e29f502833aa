/**
 * The live show's stored records (part of ./records, which re-exports them: import from there): a
 * fan's presence, the live record, seat claims and offers, the line, attendance and the audit trail.
 */
import { z } from "zod";
import { eventImageRecord, eventStatusRecord } from "./schemas";

/** `activeBroadcasts/{adminId}/{fanUrl}/activeFans/{fanId}`: a fan's presence record (the fan writes it). */
export const fanPresenceRecord = z.object({
  id: z.string(),
  name: z.string().optional(),
  browser: z.string().optional(),
  os: z.string().optional(),
  mobile: z.boolean().optional(),
  snapshot: z.string().optional(),
  streamId: z.string().optional(),
  networkQuality: z.enum(["great", "good", "poor"]).optional(),
  isBackstage: z.boolean().optional(),
  isOnStage: z.boolean().optional(),
  inPrivateCall: z.boolean().optional(),
});

const publicContinuityRun = z.object({ cause: z.enum(["serverRotation", "failed"]), restartedAt: z.number(), restarts: z.number() });

/** `activeBroadcasts/{adminId}/{fanUrl}`: the live record of an open show (IBS `activeBroadcasts`), the server's fields. */
export const liveRecordRecord = z.object({
  eventId: z.string(),
  name: z.string(),
  status: eventStatusRecord,
  interactiveLimit: z.number(),
  hlsEnabled: z.boolean(),
  hlsUrl: z.string().nullable().optional(),
  startImage: eventImageRecord.nullable().optional(),
  endImage: eventImageRecord.nullable().optional(),
  archiving: z.boolean().optional(),
  /** What the backend restarted on its own during the show (live/continuity), for the participants. */
  continuity: z
    .object({
      rotationAt: z.number().nullable().optional(),
      archive: publicContinuityRun.nullable().optional(),
      broadcast: publicContinuityRun.nullable().optional(),
    })
    .nullable()
    .optional(),
  /** Server-written counts (`inLine`, `seated`, `hls`). */
  counts: z.record(z.string(), z.number()).optional(),
  /** The clients' part: the producer's, host's and celebrity's presence, the private call, volumes, the fans. */
  producerActive: z.boolean().optional(),
  producerHeartBeat: z.number().optional(),
  hostActive: z.boolean().optional(),
  hostHeartBeat: z.number().optional(),
  celebrityActive: z.boolean().optional(),
  celebrityHeartBeat: z.number().optional(),
  privateCall: z.object({ isWith: z.string(), fanId: z.string().optional() }).nullable().optional(),
  volume: z.record(z.string(), z.number()).optional(),
  activeFans: z.record(z.string(), fanPresenceRecord).optional(),
});

/** `stageGates/{eventId}/shards/{shard}/{uid}/{claimId}`: one page load's claim of a seat. */
export const seatClaimRecord = z.object({
  /** When the claim was made (ms). */
  at: z.number(),
  /** The fan's presence key in the live record, when the client gave it. */
  fanId: z.string().optional(),
  /** The Vonage connection that confirmed the claim (set by the connectionCreated callback). */
  conn: z.string().optional(),
  /**
   * A seat held for an HLS viewer it was offered to (seats/offers): when the hold ends (ms). The fan's
   * createTokensFan replaces it with a normal claim; untaken, it is reclaimable from then on.
   */
  hold: z.number().optional(),
});

/** `seatOffers/{eventId}/{uid}`: an HLS viewer's upgrade offer, server-written, read by that fan only. */
export const seatOfferRecord = z.discriminatedUnion("status", [
  z.object({ status: z.literal("waiting"), askedAt: z.number() }),
  z.object({ status: z.literal("offered"), askedAt: z.number(), offeredAt: z.number(), expiresAt: z.number() }),
  z.object({ status: z.literal("expired"), askedAt: z.number(), expiredAt: z.number() }),
]);

export const LINE_STATES = ["inLine", "backstage", "onStage"] as const;
export const lineStateRecord = z.enum(LINE_STATES);

/** `liveLines/{eventId}/fans/{fanId}`: a fan's entry in the line (the fan reads their own). */
export const lineEntryRecord = z.object({
  participantId: z.string(),
  ticket: z.number(),
  joinedAt: z.number(),
  name: z.string(),
  state: lineStateRecord,
  /** 1-based place among the waiting fans; absent (written as null, which the database drops) when backstage or on stage. */
  position: z.number().nullable().optional(),
  inPrivateCall: z.boolean(),
});

export const attendanceUserTypeRecord = z.enum(["producer", "host", "celebrity", "fan", "backstageFan", "unknown"]);

/** `attendance/{eventId}/connections/{connectionId}`: one connection's interval (server-only). */
export const attendanceConnectionRecord = z.object({
  /** From the connection data we minted; the connection id itself when the data is not ours. */
  participantId: z.string().optional(),
  userType: attendanceUserTypeRecord.optional(),
  name: z.string().optional(),
  session: z.enum(["stage", "backstage"]).optional(),
  joinedAt: z.number().optional(),
  leftAt: z.number().optional(),
  reason: z.string().optional(),
});

/** `attendance/{eventId}/streams/{streamId}`: one published stream's interval (server-only). */
export const attendanceStreamRecord = z.object({
  connectionId: z.string().optional(),
  participantId: z.string().optional(),
  videoType: z.string().optional(),
  startedAt: z.number().optional(),
  endedAt: z.number().optional(),
});

export const auditActorRecord = z.object({
  uid: z.string(),
  role: z.enum(["admin", "superAdmin", "host", "celebrity", "fan", "signedIn", "system"]),
});

/** Short scalar facts only: a trail entry must stay small whatever a caller sends. */
export const auditFactsRecord = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

/** `auditLog/{eventId}/{entryId}`: one entry of a show's audit trail, as getAuditLog answers it (with its id). */
export const auditEntryRecord = z.object({
  id: z.string(),
  /** Server time (ms) the entry was written. */
  at: z.number(),
  actor: auditActorRecord,
  /** What happened, a verb phrase in camelCase: `changeStatus`, `removeParticipant`, `archiveRestarted`. */
  action: z.string(),
  /** Whom or what it was done to (a fan id, a connection, an archive id). */
  target: auditFactsRecord.optional(),
  outcome: z.enum(["ok", "failed"]),
  /** Why it failed: our error code and message, or Vonage's status and message. */
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  /** Anything else worth keeping (the status moved from/to, a new HLS URL, an attempt number). */
  details: auditFactsRecord.optional(),
});

export type FanPresenceRecord = z.infer<typeof fanPresenceRecord>;
export type LiveRecord = z.infer<typeof liveRecordRecord>;
export type SeatClaim = z.infer<typeof seatClaimRecord>;
export type SeatOffer = z.infer<typeof seatOfferRecord>;
export type LineState = z.infer<typeof lineStateRecord>;
export type LineEntry = z.infer<typeof lineEntryRecord>;
export type AttendanceUserType = z.infer<typeof attendanceUserTypeRecord>;
export type AttendanceConnection = z.infer<typeof attendanceConnectionRecord>;
export type AttendanceStream = z.infer<typeof attendanceStreamRecord>;
export type AuditActor = z.infer<typeof auditActorRecord>;
export type AuditFacts = z.infer<typeof auditFactsRecord>;
export type AuditEntry = z.infer<typeof auditEntryRecord>;
