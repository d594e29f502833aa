/**
 * Receiving one Vonage callback over HTTP. Order of checks: signature (401; the tenant's own secret
 * when the URL names a tenant who has one) before anything about the body (empty, size, JSON:
 * 400/413), then whether the signer speaks for the session's tenant (403), so
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
import type { KeyObject } from "node:crypto";
import { verifyCallbackSignature } from "./signature";
import { tenantCallbackKey } from "../admins/callbackSecret";
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
  const check = await signatureCheck(req.get("authorization"), raw, tenantParam(req));
  if ("refusal" in check) {
    info("vonage callback refused", { reason: check.refusal });
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
    const outcome = await processCallback(parsed.data, Date.now(), check.signer);
    if (outcome === "otherTenant") {
      info("vonage callback refused", { reason: "signed for another tenant than the session's", sessionId: parsed.data.sessionId });
      res.status(403).json({ error: "This callback's signature does not speak for the tenant this session belongs to." });
      return;
    }
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
 * Who signed: `tenant` is the admin the callback URL names (`?tenant=<adminId>`, null without one),
 * `own` whether their own secret verified it (else the project-wide one did).
 */
interface Signer {
  tenant: string | null;
  own: boolean;
}

/** The `tenant` query parameter: undefined when absent, null when malformed (refused). */
function tenantParam(req: Request): string | null | undefined {
  const value = (req.query as Record<string, unknown> | undefined)?.tenant;
  if (value === undefined) return undefined;
  return typeof value === "string" && TENANT_ID.test(value) ? value : null;
}
const TENANT_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * The signature check, from the URL and the header only (nothing of the body but its hash). A tenant
 * with their own secret (admins/callbackSecret) is verified with it; everyone else with the
 * project-wide VONAGE_CALLBACK_SIGNING_SECRET. An empty project-wide secret refuses those: only the
 * local stack may switch checking off (ALLOW_UNSIGNED_CALLBACKS, honoured inside the Functions
 * emulator only).
 */
async function signatureCheck(
  authorization: string | undefined,
  raw: Buffer,
  tenant: string | null | undefined,
): Promise<{ signer: Signer } | { refusal: string }> {
  if (tenant === null) return { refusal: "malformed tenant parameter" };
  let tenantKey: KeyObject | null = null;
  try {
    tenantKey = tenant ? await tenantCallbackKey(tenant) : null;
  } catch (error) {
    // An unreadable sealed secret (a dropped TENANT_SECRET_KEYS key) must not fall back to the project's.
    return { refusal: `the tenant's callback secret cannot be opened: ${(error as Error).message}` };
  }
  if (tenantKey) {
    const check = verifyCallbackSignature(authorization, raw, tenantKey);
    return check.ok ? { signer: { tenant: tenant!, own: true } } : { refusal: check.reason };
  }
  const signer = { tenant: tenant ?? null, own: false };
  const secret = callbackSigningSecret.value();
  if (!secret)
    return allowUnsignedCallbacks.value() && runsInEmulator() ? { signer } : { refusal: "no callback signing secret is configured" };
  const check = verifyCallbackSignature(authorization, raw, secret);
  return check.ok ? { signer } : { refusal: check.reason };
}

/**
 * Whether the signer speaks for the session's tenant: a callback URL naming a tenant is only about
 * that tenant's sessions, and the project-wide secret never speaks for a tenant with a secret of
 * their own (so no tenant's Vonage application can report on another tenant's show).
 */
async function speaksFor(signer: Signer, sessionAdminId: string): Promise<boolean> {
  if (signer.tenant !== null && signer.tenant !== sessionAdminId) return false;
  if (signer.own) return true;
  return (await tenantCallbackKey(sessionAdminId)) === null;
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
async function processCallback(callback: VonageCallback, now: number, signer: Signer): Promise<Outcome | "otherTenant"> {
  const target = await sessionTarget(callback.sessionId);
  if (!target) return "unknownSession";
  if (!(await speaksFor(signer, target.adminId))) return "otherTenant";
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
