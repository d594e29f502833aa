/**
 * `vonageCallbacks` (HTTP POST): the URL Vonage sends session-monitoring, archive and broadcast
 * callbacks to. Order of checks: signature (401) before parsing (400), so an unsigned caller learns
 * nothing about the body format. Answers 2xx for anything it deliberately ignores (other event types,
 * sessions that are not ours, duplicates) so the platform does not retry them, and 5xx only when a
 * retry can help (database failure, the same callback being processed right now).
 */
import { onRequest, type Request } from "firebase-functions/v2/https";
import type { Response } from "express";
import { randomUUID } from "node:crypto";
import { callbackSigningSecret, functionsRegion } from "../../platform/config";
import { verifyCallbackSignature } from "../signature";
import {
  HANDLED_EVENTS,
  archiveStatusAdvances,
  broadcastStatusAdvances,
  callbackDedupeKey,
  envelopeSchema,
  type ArchiveEvent,
  type BroadcastEvent,
  type ConnectionEvent,
  type HandledEvent,
  type StreamEvent,
  type VonageCallback,
} from "../callbacks";
import { parseConnectionData } from "../../seats/connectionData";
import { db } from "../../platform/firebase";
import { BoundedCache } from "../../platform/cache";
import { paths } from "../../platform/paths";
import { info, unexpected } from "../../platform/logs";
import type { ArchiveState, BroadcastState } from "../../events/model";

const MAX_BODY_BYTES = 64 * 1024;
/** A claim older than this belongs to an instance that died mid-way: the next delivery takes over. */
const STALE_CLAIM_MS = 120_000;

interface SessionTarget {
  eventId: string;
  adminId: string;
  kind: "stage" | "backstage";
}

interface Claim {
  state: "processing" | "done";
  event: string;
  claimedAt: number;
  doneAt?: number;
}

type Outcome = "applied" | "stale" | "duplicate" | "inProgress" | "unknownSession";

export const vonageCallbacks = onRequest(
  { region: functionsRegion, secrets: [callbackSigningSecret], invoker: "public", timeoutSeconds: 60 },
  async (req: Request, res: Response) => {
    if (req.method !== "POST") {
      res.set("Allow", "POST").status(405).json({ error: "Use POST." });
      return;
    }
    const raw = rawBodyOf(req);
    if (!raw) {
      res.status(400).json({ error: "Empty body." });
      return;
    }
    if (raw.length > MAX_BODY_BYTES) {
      res.status(413).json({ error: "Body too large." });
      return;
    }
    const secret = callbackSigningSecret.value();
    if (secret) {
      const check = verifyCallbackSignature(req.get("authorization"), raw, secret);
      if (!check.ok) {
        info("vonage callback refused", { reason: check.reason });
        res.status(401).json({ error: "Invalid or missing callback signature." });
        return;
      }
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString("utf8"));
    } catch {
      res.status(400).json({ error: "Body is not JSON." });
      return;
    }
    const envelope = envelopeSchema.safeParse(body);
    if (!envelope.success) {
      res.status(400).json({ error: "Not a Vonage callback: `event` is missing.", issues: issuesOf(envelope.error) });
      return;
    }
    if (!Object.hasOwn(HANDLED_EVENTS, envelope.data.event)) {
      res.status(200).json({ ok: true, outcome: "ignored" });
      return;
    }
    const parsed = HANDLED_EVENTS[envelope.data.event as HandledEvent].safeParse(body);
    if (!parsed.success) {
      res.status(400).json({ error: `Malformed ${envelope.data.event} callback.`, issues: issuesOf(parsed.error) });
      return;
    }
    try {
      const outcome = await processCallback(parsed.data, Date.now());
      if (outcome === "inProgress") {
        // Another delivery of this callback is being applied; if it fails, this retry will succeed.
        res.set("Retry-After", "5").status(503).json({ error: "The same callback is being processed; retry later." });
        return;
      }
      res.status(200).json({ ok: true, outcome });
    } catch (error) {
      const ref = randomUUID();
      unexpected("vonageCallbacks", ref, error);
      res.status(500).json({ error: "Could not record the callback; retry later.", ref });
    }
  },
);

function rawBodyOf(req: Request): Buffer | undefined {
  const raw =
    (req as { rawBody?: Buffer }).rawBody ??
    (Buffer.isBuffer(req.body) ? req.body : typeof req.body === "string" ? Buffer.from(req.body) : undefined);
  return raw && raw.length > 0 ? raw : undefined;
}

function issuesOf(error: { issues: Array<{ path: PropertyKey[]; message: string; code: string }> }) {
  return error.issues
    .slice(0, 20)
    .map((issue) => ({ path: issue.path.map(String).join(".") || "(root)", message: issue.message, code: issue.code }));
}

async function processCallback(callback: VonageCallback, now: number): Promise<Outcome> {
  const target = await sessionTarget(callback.sessionId);
  if (!target) return "unknownSession";
  const claimPath = paths.processedCallback(target.eventId, callbackDedupeKey(callback));
  const claim = await claimCallback(claimPath, callback.event, now);
  if (claim !== "claimed") return claim;
  try {
    switch (callback.event) {
      case "connectionCreated":
      case "connectionDestroyed":
        return await applyConnection(callback, target, claimPath, now);
      case "streamCreated":
      case "streamDestroyed":
        return await applyStream(callback, target, claimPath, now);
      case "archive":
        return await applyArchive(callback, target, claimPath, now);
      case "broadcast":
        return await applyBroadcast(callback, target, claimPath, now);
    }
  } catch (error) {
    // Give the claim back so the platform's retry is applied instead of skipped as a duplicate.
    await db()
      .ref(claimPath)
      .remove()
      .catch(() => undefined);
    throw error;
  }
}

// The index entry of a session never changes (written once by createEvent), so one read per instance.
const sessionCache = new BoundedCache<string, SessionTarget>({ max: 5000 });

async function sessionTarget(sessionId: string): Promise<SessionTarget | undefined> {
  const cached = sessionCache.get(sessionId);
  if (cached) return cached;
  const value = (await db().ref(paths.sessionIndex(sessionId)).once("value")).val() as Partial<SessionTarget> | null;
  // Unknown sessions are not cached: the index may be written just after Vonage created the session.
  if (!value || typeof value.eventId !== "string" || typeof value.adminId !== "string") return undefined;
  const target: SessionTarget = {
    eventId: value.eventId,
    adminId: value.adminId,
    kind: value.kind === "backstage" ? "backstage" : "stage",
  };
  return sessionCache.set(sessionId, target);
}

/** Create-if-absent: only the delivery that creates the claim applies the callback. */
async function claimCallback(path: string, event: string, now: number): Promise<"claimed" | "duplicate" | "inProgress"> {
  const result = await db()
    .ref(path)
    .transaction(
      (current: Claim | null) => {
        if (current === null) return { state: "processing", event, claimedAt: now };
        if (current.state === "processing" && now - current.claimedAt > STALE_CLAIM_MS) return { ...current, claimedAt: now };
        return undefined;
      },
      undefined,
      false,
    );
  if (result.committed) return "claimed";
  return (result.snapshot.val() as Claim | null)?.state === "done" ? "duplicate" : "inProgress";
}

function donePatch(claimPath: string, now: number): Record<string, unknown> {
  return { [`${claimPath}/state`]: "done", [`${claimPath}/doneAt`]: now };
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
async function applyConnection(callback: ConnectionEvent, target: SessionTarget, claimPath: string, now: number): Promise<Outcome> {
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
  return "applied";
}

async function applyStream(callback: StreamEvent, target: SessionTarget, claimPath: string, now: number): Promise<Outcome> {
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

/**
 * Archive status: only for the archive id the event knows, only forward (a late `started` never undoes
 * `available`), only the fields this callback owns; the events code writes the rest of the node.
 */
async function applyArchive(callback: ArchiveEvent, target: SessionTarget, claimPath: string, now: number): Promise<Outcome> {
  const ref = db().ref(`${paths.event(target.eventId)}/archive`);
  const result = await ref.transaction(
    (current: ArchiveState | null) => {
      // null is also the SDK's first guess before it knows the server value: answer with a no-op write.
      if (current === null) return null;
      if (current.id !== callback.id || !archiveStatusAdvances(current.status, callback.status)) return undefined;
      const next: ArchiveState = { ...current, status: callback.status as ArchiveState["status"], updatedAt: callback.updatedAt ?? now };
      if (callback.status === "available" && callback.url) next.url = callback.url;
      if (callback.status === "failed")
        next.error = `Vonage reported the archive failed${callback.reason ? `: ${callback.reason}` : ""}`.slice(0, 500);
      return next;
    },
    undefined,
    false,
  );
  await db().ref().update(donePatch(claimPath, now));
  return result.committed && (result.snapshot.val() as { status?: string } | null)?.status === callback.status ? "applied" : "stale";
}

async function applyBroadcast(callback: BroadcastEvent, target: SessionTarget, claimPath: string, now: number): Promise<Outcome> {
  const ref = db().ref(`${paths.event(target.eventId)}/broadcast`);
  const result = await ref.transaction(
    (current: BroadcastState | null) => {
      if (current === null) return null;
      if (current.id !== callback.id || !broadcastStatusAdvances(current.status, callback.status)) return undefined;
      const next: BroadcastState = {
        ...current,
        status: callback.status as BroadcastState["status"],
        updatedAt: callback.updatedAt ?? now,
      };
      if (callback.status === "failed") next.error = "Vonage reported the broadcast failed";
      return next;
    },
    undefined,
    false,
  );
  await db().ref().update(donePatch(claimPath, now));
  return result.committed && (result.snapshot.val() as { status?: string } | null)?.status === callback.status ? "applied" : "stale";
}
