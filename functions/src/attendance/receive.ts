/**
 * Receiving one Vonage callback over HTTP. Order of checks: signature (401) before anything about the
 * body (empty, size, JSON: 400/413), so
 * an unsigned caller learns nothing about the body format. Answers 2xx for anything it deliberately
 * ignores (other event types, sessions that are not ours, duplicates) so the platform does not retry
 * them, and 5xx only when a retry can help (database failure, the same callback being processed right
 * now).
 */
import type { Request } from "firebase-functions/v2/https";
import type { Response } from "express";
import { randomUUID } from "node:crypto";
import { allowUnsignedCallbacks, callbackSigningSecret } from "../platform/config";
import { runsInEmulator } from "../platform/clientAddress";
import { paths } from "../contract/paths";
import { info, unexpected } from "../platform/logs";
import { verifyCallbackSignature } from "./signature";
import { HANDLED_EVENTS, callbackDedupeKey, envelopeSchema, type HandledEvent, type VonageCallback } from "./callbacks";
import { claimCallback, giveBack, pruneExpiredClaims } from "./dedupe";
import { applyConnection, applyStream, applyVonageState, sessionTarget, type Outcome } from "./appliers";
import { applySessionNotice, continueAfterReport } from "./continuityNotices";
import { lineAfterDisconnect } from "../live/queue";

const MAX_BODY_BYTES = 64 * 1024;

export async function receiveCallback(req: Request, res: Response): Promise<void> {
  if (req.method !== "POST") {
    res.set("Allow", "POST").status(405).json({ error: "Use POST." });
    return;
  }
  // The signature first, before the body is looked at at all: an unsigned caller learns nothing.
  const raw = rawBodyOf(req) ?? Buffer.alloc(0);
  const refusal = signatureRefusal(req.get("authorization"), raw);
  if (refusal) {
    info("vonage callback refused", { reason: refusal });
    res.status(401).json({ error: "Invalid or missing callback signature." });
    return;
  }
  if (raw.length === 0) {
    res.status(400).json({ error: "Empty body." });
    return;
  }
  if (raw.length > MAX_BODY_BYTES) {
    res.status(413).json({ error: "Body too large." });
    return;
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

/**
 * Why the signature does not hold, or null when it does. An empty VONAGE_CALLBACK_SIGNING_SECRET
 * refuses every callback: only the local stack may switch checking off (ALLOW_UNSIGNED_CALLBACKS,
 * honoured inside the Functions emulator only).
 */
function signatureRefusal(authorization: string | undefined, raw: Buffer): string | null {
  const secret = callbackSigningSecret.value();
  if (!secret) return allowUnsignedCallbacks.value() && runsInEmulator() ? null : "no callback signing secret is configured";
  const check = verifyCallbackSignature(authorization, raw, secret);
  return check.ok ? null : check.reason;
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
  await pruneExpiredClaims(paths.processedCallbacks(target.eventId), now);
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
      case "broadcast": {
        const outcome = await applyVonageState(callback, target, claimPath, now);
        await continueAfterReport(callback, target, claimPath);
        return outcome;
      }
      case "sessionNotification":
      case "sessionDestroyed":
        return await applySessionNotice(callback, target, claimPath, now);
    }
  } catch (error) {
    // Give the claim back so the platform's retry is applied instead of skipped as a duplicate.
    await giveBack(claimPath);
    throw error;
  }
}
