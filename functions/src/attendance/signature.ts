/**
 * Verifies Vonage's signed callbacks: `Authorization: Bearer <JWT>` signed with the account's signature
 * secret (HS256), `iss: "Vonage"`, and a `payload_hash` claim = SHA-256 hex of the exact request body,
 * which binds the token to the body (a valid token on a tampered body fails).
 */
import { createHash, createSecretKey, timingSafeEqual, type KeyObject } from "node:crypto";
import { BoundedCache } from "../platform/cache";

export type SignatureCheck = { ok: true; claims: Record<string, unknown> } | { ok: false; reason: string };

export const CALLBACK_ISSUER = "Vonage";
/**
 * Vonage's tokens carry `iat` but not always `exp`; refuse tokens older than this (a retried delivery
 * may reuse its token for a while). A replay inside the window is harmless: the body is bound by the
 * hash and the handler deduplicates by content.
 */
export const CALLBACK_MAX_AGE_SECONDS = 3600;
const CLOCK_TOLERANCE_SECONDS = 60;

// The KeyObject is built once per secret and instance: jsonwebtoken re-parses string secrets per call.
const keys = new BoundedCache<string, KeyObject>({ max: 4 });
function keyFor(secret: string): KeyObject {
  return keys.getOrSet(secret, () => createSecretKey(Buffer.from(secret, "utf8")));
}

/** `secret`: the signing secret, or its key already built (a tenant's, admins/callbackSecret). */
export function verifyCallbackSignature(authorization: string | undefined, rawBody: Buffer, secret: string | KeyObject): SignatureCheck {
  const match = /^Bearer\s+([A-Za-z0-9_=-]+\.[A-Za-z0-9_=-]*\.[A-Za-z0-9_=-]*)\s*$/i.exec(authorization ?? "");
  if (!match) return { ok: false, reason: "missing or malformed Authorization bearer token" };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const jwt = require("jsonwebtoken") as typeof import("jsonwebtoken");
  let claims: Record<string, unknown>;
  try {
    const verified = jwt.verify(match[1], typeof secret === "string" ? keyFor(secret) : secret, {
      algorithms: ["HS256"], // pinned: refuses alg none and anything asymmetric
      issuer: CALLBACK_ISSUER,
      maxAge: CALLBACK_MAX_AGE_SECONDS, // also makes `iat` required
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    });
    if (typeof verified !== "object" || verified === null) return { ok: false, reason: "token has no claims" };
    claims = verified;
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  const claimed = claims.payload_hash;
  if (typeof claimed !== "string" || !/^[0-9a-f]{64}$/i.test(claimed)) return { ok: false, reason: "token has no payload_hash" };
  const actual = createHash("sha256").update(rawBody).digest();
  if (!timingSafeEqual(actual, Buffer.from(claimed, "hex"))) return { ok: false, reason: "payload_hash does not match the body" };
  return { ok: true, claims };
}
