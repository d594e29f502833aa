/**
 * The records as stored in the database, the ones clients read (directly, through the rules, or in a
 * callable's answer): zod schemas and the types inferred from them. The server writes them
 * (events/store, admins/store, live/line, seats/shards, attendance/appliers, live/audit); the schemas
 * say what a reader may rely on, and tests parse stored data with them.
 */
import { z } from "zod";
import { EVENT_STATUSES } from "./schemas";

export const eventStatusRecord = z.enum(EVENT_STATUSES);

export const eventImageRecord = z.object({ id: z.string(), url: z.string() });
export const rtmpOutputRecord = z.object({ serverUrl: z.string(), streamName: z.string() });

/** Where a Vonage side effect stands; `error` says what failed so the producer can retry. */
export const archiveStateRecord = z.object({
  id: z.string().optional(),
  status: z.enum(["starting", "started", "stopping", "stopped", "uploaded", "available", "failed"]),
  outputMode: z.enum(["composed", "individual"]).optional(),
  url: z.string().nullable().optional(),
  error: z.string().nullable().optional(),
  startedAt: z.number().optional(),
  stoppedAt: z.number().optional(),
  updatedAt: z.number().optional(),
});

export const broadcastStateRecord = z.object({
  id: z.string().optional(),
  status: z.enum(["starting", "started", "stopping", "stopped", "failed"]),
  hlsUrl: z.string().nullable().optional(),
  rtmp: z.array(rtmpOutputRecord).optional(),
  error: z.string().nullable().optional(),
  /** When the drain delay ends and the broadcast may be stopped (ms); cleared once stopped. */
  stopAfter: z.number().nullable().optional(),
  startedAt: z.number().optional(),
  stoppedAt: z.number().optional(),
  updatedAt: z.number().optional(),
});

/**
 * Show continuity (live/continuity): what the backend restarted on its own while the show was live,
 * after a media server rotation or a failure Vonage reported. One entry per run kind.
 */
export const continuityRunRecord = z.object({
  cause: z.enum(["serverRotation", "failed"]),
  /** The run that ended, and the one that replaced it (null while the restart has not succeeded). */
  previousId: z.string(),
  id: z.string().nullable().optional(),
  /** A restart that began and has not succeeded yet (retried by the next attempt). */
  pending: z.boolean().nullable().optional(),
  /** Restarts so far in this show (bounded). */
  restarts: z.number(),
  restartedAt: z.number().nullable().optional(),
  error: z.string().nullable().optional(),
});

export const continuityStateRecord = z.object({
  /** When Vonage last reported a server rotation of the stage session (ms). */
  rotationAt: z.number().nullable().optional(),
  archive: continuityRunRecord.nullable().optional(),
  broadcast: continuityRunRecord.nullable().optional(),
});

/** The side effects of a status change, run in this order (events/lifecycle/steps). */
export const LIFECYCLE_STEPS = [
  "liveRecord",
  "archive",
  "broadcast",
  "commit",
  "markClosed",
  "currentEvent",
  "archiveStop",
  "broadcastDrain",
  "broadcastStop",
  "removeLiveRecord",
] as const;
export const lifecycleStepRecord = z.enum(LIFECYCLE_STEPS);

/**
 * Where a status change stands. `pending` empty means done; `lease` marks the one caller running the
 * steps (a concurrent click or retry waits for it or takes over once it expired): internal, never part
 * of a callable's declared answer; `errors` says what failed, per step, with no secrets.
 */
export const lifecycleStateRecord = z.object({
  target: eventStatusRecord,
  pending: z.array(lifecycleStepRecord).optional(),
  lease: z.object({ id: z.string(), until: z.number() }).nullable().optional(),
  errors: z.partialRecord(lifecycleStepRecord, z.string()).nullable().optional(),
  /** The admin's `hls` flag when the change started, so a retry decides the same way. */
  hls: z.boolean().optional(),
  /** Set while a close has steps left (cleared with the last one): the backstop's indexed query finds it. */
  unfinishedSince: z.number().nullable().optional(),
  startedAt: z.number(),
  updatedAt: z.number(),
});

/** The Vonage credential (kind + application id or API key) an event's sessions belong to. */
export const credentialRefRecord = z.object({ kind: z.enum(["legacy", "application"]), id: z.string() });

/** `events/{eventId}`: the event, read by its owner admin. */
export const eventRecord = z.object({
  id: z.string(),
  adminId: z.string(),
  name: z.string(),
  /** Fan slug (public). */
  fanUrl: z.string(),
  /** Host and celebrity link secrets (never shown to fans or public endpoints). */
  hostUrl: z.string(),
  celebrityUrl: z.string(),
  status: eventStatusRecord,
  archiveEvent: z.boolean(),
  uncomposed: z.boolean(),
  interactiveLimit: z.number(),
  redirectUrl: z.string().optional(),
  rtmpOutputs: z.array(rtmpOutputRecord).optional(),
  dateTimeStart: z.string().optional(),
  dateTimeEnd: z.string().optional(),
  startImage: eventImageRecord.nullable().optional(),
  endImage: eventImageRecord.nullable().optional(),
  /** Vonage sessions: backstage (screening, queue) and stage (the show). */
  sessionId: z.string(),
  stageSessionId: z.string(),
  vonage: credentialRefRecord.nullable().optional(),
  archive: archiveStateRecord.nullable().optional(),
  broadcast: broadcastStateRecord.nullable().optional(),
  showStartedAt: z.number().optional(),
  showEndedAt: z.number().optional(),
  /** Archives that ran before the current one (manual stop and restart); their ids are kept. */
  previousArchives: z.array(archiveStateRecord).nullable().optional(),
  /** Broadcasts the backend replaced during the show (continuity restarts); their ids are kept. */
  previousBroadcasts: z.array(broadcastStateRecord).nullable().optional(),
  continuity: continuityStateRecord.nullable().optional(),
  /** Progress of the last status change (events/lifecycle). */
  lifecycle: lifecycleStateRecord.nullable().optional(),
  /** Set at close when the event has images: the image cleanup finds due events by this index. */
  imagesClosedAt: z.number().nullable().optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
});

/** `eventKeys/...` and `currentEvents/{adminId}`: a login lookup entry, enough for a client's first screen. */
export const eventKeyRecord = z.object({
  eventId: z.string(),
  status: eventStatusRecord,
  name: z.string(),
  fanUrl: z.string(),
  startImage: eventImageRecord.nullable().optional(),
  endImage: eventImageRecord.nullable().optional(),
  redirectUrl: z.string().nullable().optional(),
});

/** `admins/{uid}`: the admin profile (read by the admin and superAdmins; the secret half of a credential is never here). */
export const adminRecord = z.object({
  id: z.string(),
  displayName: z.string(),
  email: z.string(),
  superAdmin: z.boolean(),
  hls: z.boolean(),
  httpSupport: z.boolean(),
  /** The admin's own legacy OpenTok API key ("" when they have none, or an application). */
  otApiKey: z.string(),
  /** The admin's own Vonage application id ("" when they have none, or a legacy pair). */
  vonageApplicationId: z.string().optional(),
  /** Which kind of credential the admin has of their own (null: the project-wide one serves them). */
  credentialKind: z.enum(["legacy", "application"]).nullable().optional(),
  /** True when the admin has their own Vonage credential stored (its secret half never leaves). */
  hasOwnCredentials: z.boolean(),
  /** True when the admin has their own Vonage callback signing secret (admins/callbackSecret). */
  hasOwnCallbackSigning: z.boolean().optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
  lastLoginAt: z.number().optional(),
});

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

export type EventStatus = z.infer<typeof eventStatusRecord>;
export type EventImage = z.infer<typeof eventImageRecord>;
export type RtmpOutput = z.infer<typeof rtmpOutputRecord>;
export type ArchiveState = z.infer<typeof archiveStateRecord>;
export type BroadcastState = z.infer<typeof broadcastStateRecord>;
export type ContinuityRun = z.infer<typeof continuityRunRecord>;
export type ContinuityState = z.infer<typeof continuityStateRecord>;
export type LifecycleStep = z.infer<typeof lifecycleStepRecord>;
export type LifecycleState = z.infer<typeof lifecycleStateRecord>;
export type CredentialRef = z.infer<typeof credentialRefRecord>;
export type EventRecord = z.infer<typeof eventRecord>;
export type EventKeyRecord = z.infer<typeof eventKeyRecord>;
export type AdminRecord = z.infer<typeof adminRecord>;
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
