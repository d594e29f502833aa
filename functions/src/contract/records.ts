/**
 * The records as stored in the database, the ones clients read (directly, through the rules, or in a
 * callable's answer): zod schemas and the types inferred from them. The server writes them
 * (events/store, admins/store, live/line, seats/shards, attendance/appliers, live/audit); the schemas
 * say what a reader may rely on, and tests parse stored data with them.
 */
import { z } from "zod";
import { eventImageRecord, eventStatusRecord } from "./schemas";

export { eventImageRecord, eventStatusRecord };
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

// The live show's records (presence, live record, seats, line, attendance, audit), one contract with these.
export * from "./liveRecords";
