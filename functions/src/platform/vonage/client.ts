/**
 * Vonage Video API access through the `opentok` SDK, for both kinds of credential. One SDK client per
 * (kind, id, secret, API URL), so a rotated secret or key gets a new client at once (IBS keyed its
 * cache by API key only). The SDK is loaded on first use: functions that only mint tokens never pay
 * for it.
 *
 * Application credentials put the SDK in its "Vonage mode" (it needs the application id and a PKCS#8
 * PEM string, which ./credentials guarantees): Bearer RS256 JWTs to the Vonage Video host,
 * the application id in the `/v2/project/{id}` paths. Legacy pairs keep X-OPENTOK-AUTH and the
 * OpenTok host. Each kind has its own base URL param, since the SDK's `apiUrl` replaces both.
 *
 * The SDK folds most HTTP statuses into generic errors, so callers reconcile by reading state back
 * (for example, after a failed broadcast start we list the session's broadcasts): that also covers
 * the case where Vonage acted but its answer was lost to a timeout.
 */
import { createHash } from "node:crypto";
import type OpenTokType from "opentok";
import { vonageApiUrl, vonageTimeoutMs, vonageVideoApiUrl } from "../config";
import { BoundedCache } from "../cache";
import { credentialId, credentialSecret, type VonageCredential } from "./credentials";

export type OpenTok = OpenTokType;

const clients = new BoundedCache<string, OpenTok>({ max: 500 });

/** The REST base URL for a credential's kind. */
export function vonageBaseUrl(credential: VonageCredential): string {
  return (credential.kind === "application" ? vonageVideoApiUrl.value() : vonageApiUrl.value()).replace(/\/+$/, "");
}

export function vonageClient(credential: VonageCredential): OpenTok {
  const apiUrl = vonageBaseUrl(credential);
  const id = credentialId(credential);
  const secret = credentialSecret(credential);
  const cacheKey = `${credential.kind}\u0000${id}\u0000${fingerprint(secret)}\u0000${apiUrl}`;
  return clients.getOrSet(cacheKey, () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const OpenTokCtor = require("opentok") as typeof OpenTokType;
    return new OpenTokCtor(id, secret, { apiUrl, timeout: vonageTimeoutMs.value() });
  });
}

function fingerprint(secret: string): string {
  return createHash("sha256").update(secret).digest("base64url");
}

/** What went wrong talking to Vonage, in terms a caller can act on. */
export class VonageError extends Error {
  constructor(
    readonly kind: "auth" | "forbidden" | "notFound" | "timeout" | "rejected",
    message: string,
  ) {
    super(message);
    this.name = "VonageError";
  }
}

/** Turns an SDK callback call into a promise with our own timeout (the SDK's fetch path has none). */
export function callVonage<T>(operation: string, invoke: (callback: (error: unknown, result?: T) => void) => void): Promise<T> {
  const timeoutMs = vonageTimeoutMs.value();
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new VonageError("timeout", `Vonage ${operation} did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    try {
      invoke((error, result) => {
        clearTimeout(timer);
        if (error) reject(classify(operation, error));
        else resolve(result as T);
      });
    } catch (error) {
      clearTimeout(timer);
      reject(classify(operation, error));
    }
  });
}

function classify(operation: string, error: unknown): VonageError {
  if (error instanceof VonageError) return error;
  const err = error as { constructor?: { name?: string }; message?: string; name?: string; type?: string };
  const message = String(err?.message ?? error);
  const ctor = err?.constructor?.name ?? "";
  if (ctor === "AuthError" || /Invalid API key or secret/i.test(message)) {
    // The SDK answers 401 and 403 alike; neither is worth a retry.
    return new VonageError("auth", `Vonage refused the credentials for ${operation} (401/403)`);
  }
  if (ctor === "NotFoundError" || /not found/i.test(message)) {
    return new VonageError("notFound", `Vonage ${operation}: not found`);
  }
  if (err?.type === "request-timeout" || /timeout|ETIMEDOUT|ECONNRESET|ECONNREFUSED|socket hang up/i.test(message)) {
    return new VonageError("timeout", `Vonage ${operation} failed to connect or timed out`);
  }
  return new VonageError("rejected", `Vonage ${operation} failed: ${message.slice(0, 300)}`);
}

/**
 * Retries an operation that is safe to repeat (reads, stops, reconciliations) on timeouts and
 * rejections, with exponential backoff and jitter. Auth and not-found are final.
 */
export async function withRetry<T>(operation: () => Promise<T>, attempts = 3, baseDelayMs = 200): Promise<T> {
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    try {
      return await operation();
    } catch (error) {
      lastError = error;
      if (error instanceof VonageError && (error.kind === "auth" || error.kind === "forbidden" || error.kind === "notFound")) throw error;
      if (attempt < attempts - 1) {
        const delay = baseDelayMs * 2 ** attempt * (0.5 + Math.random());
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
  throw lastError;
}
