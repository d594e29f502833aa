/**
 * The Vonage callbacks we handle: their payload schemas (session monitoring, archive, broadcast) and
 * the deterministic id that makes a redelivery a no-op.
 */
import { createHash } from "node:crypto";
import { z } from "zod";

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

/** Session monitoring's server rotation notices: the advance notice, and the session's end. */
export const sessionNoticeSchema = z.object({
  ...base,
  event: z.enum(["sessionNotification", "sessionDestroyed"]),
  reason: z.string().max(200).nullish(),
});

export const HANDLED_EVENTS = {
  connectionCreated: connectionEventSchema,
  connectionDestroyed: connectionEventSchema,
  streamCreated: streamEventSchema,
  streamDestroyed: streamEventSchema,
  archive: archiveEventSchema,
  broadcast: broadcastEventSchema,
  sessionNotification: sessionNoticeSchema,
  sessionDestroyed: sessionNoticeSchema,
} as const;
export type HandledEvent = keyof typeof HANDLED_EVENTS;

export type ConnectionEvent = z.output<typeof connectionEventSchema>;
export type StreamEvent = z.output<typeof streamEventSchema>;
export type ArchiveEvent = z.output<typeof archiveEventSchema>;
export type BroadcastEvent = z.output<typeof broadcastEventSchema>;
export type SessionNoticeEvent = z.output<typeof sessionNoticeSchema>;
export type VonageCallback = ConnectionEvent | StreamEvent | ArchiveEvent | BroadcastEvent | SessionNoticeEvent;

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
    case "sessionNotification":
    case "sessionDestroyed":
      // Two notices of one session differ by their time; a redelivery carries the same.
      identity = `${callback.event}|${callback.sessionId}|${callback.timestamp}|${callback.reason ?? ""}`;
      break;
  }
  return createHash("sha256").update(identity).digest("base64url").slice(0, 32);
}
