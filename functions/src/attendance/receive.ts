/**
 * Receiving one Vonage callback over HTTP. Order of checks: signature (401) before parsing (400), so
 * an unsigned caller learns nothing about the body format. Answers 2xx for anything it deliberately
 * ignores (other event types, sessions that are not ours, duplicates) so the platform does not retry
 * them, and 5xx only when a retry can help (database failure, the same callback being processed right
 * now).
 */
import type { Request } from "firebase-functions/v2/https";
import type { Response } from "express";
import { randomUUID } from "node:crypto";
import { callbackSigningSecret } from "../platform/config";
import { paths } from "../platform/paths";
import { info, unexpected } from "../platform/logs";
import { verifyCallbackSignature } from "./signature";
import { HANDLED_EVENTS, callbackDedupeKey, envelopeSchema, type HandledEvent, type VonageCallback } from "./callbacks";
import { claimCallback, giveBack } from "./dedupe";
import { applyConnection, applyStream, applyVonageState, sessionTarget, type Outcome } from "./appliers";
import { lineAfterDisconnect } from "../live/queue";

const MAX_BODY_BYTES = 64 * 1024;

export async function receiveCallback(req: Request, res: Response): Promise<void> {
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
}

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

/** A parsed callback: ours (by its session), claimed once, then applied. */
async function processCallback(callback: VonageCallback, now: number): Promise<Outcome> {
  const target = await sessionTarget(callback.sessionId);
  if (!target) return "unknownSession";
  const claimPath = paths.processedCallback(target.eventId, callbackDedupeKey(callback));
  const claim = await claimCallback(claimPath, callback.event, now);
  if (claim !== "claimed") return claim;
  try {
    switch (callback.event) {
      case "connectionCreated":
        return await applyConnection(callback, target, claimPath, now);
      case "connectionDestroyed": {
        const outcome = await applyConnection(callback, target, claimPath, now);
        // A fan whose last backstage connection went leaves the fan line (live/queue; never throws).
        if (target.kind === "backstage") await lineAfterDisconnect(target.eventId, callback.connection.data);
        return outcome;
      }
      case "streamCreated":
      case "streamDestroyed":
        return await applyStream(callback, target, claimPath, now);
      case "archive":
      case "broadcast":
        return await applyVonageState(callback, target, claimPath, now);
    }
  } catch (error) {
    // Give the claim back so the platform's retry is applied instead of skipped as a duplicate.
    await giveBack(claimPath);
    throw error;
  }
}
