/**
 * Our own signed REST request to Vonage, for the one call whose exact answer matters: the credential
 * check. The SDK folds 401 and 403 into one "Invalid API key or secret" error, but a customer needs
 * to know whether the key is wrong (401) or the application lacks the Video capability (403).
 *
 * The REST JWT is the one the SDK sends in each mode: for an application, Bearer RS256 with
 * `application_id`, `iss`, `ist`, `iat`, `exp`, `jti`; for a legacy pair, X-OPENTOK-AUTH HS256 with
 * `iss`, `ist`, `iat`, `exp`.
 */
import { createHmac, createSecretKey, randomUUID, sign, type KeyObject } from "node:crypto";
import { vonageTimeoutMs } from "../config";
import { VonageError, vonageBaseUrl } from "./client";
import { credentialId, parsePrivateKey, type VonageCredential } from "./credentials";
import { BoundedCache } from "../cache";

const REST_JWT_SECONDS = 300;

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** The auth header of one REST call (a fresh JWT each time: `jti` must not repeat). */
export function restAuthHeader(credential: VonageCredential, nowSeconds = Math.floor(Date.now() / 1000)): [string, string] {
  const claims = { iss: credentialId(credential), ist: "project", iat: nowSeconds, exp: nowSeconds + REST_JWT_SECONDS };
  if (credential.kind === "application") {
    const head = `${b64({ alg: "RS256", typ: "JWT" })}.${b64({ ...claims, application_id: credential.applicationId, jti: randomUUID() })}`;
    const signature = sign("sha256", Buffer.from(head), signingKey(credential.privateKey)).toString("base64url");
    return ["Authorization", `Bearer ${head}.${signature}`];
  }
  const head = `${b64({ alg: "HS256", typ: "JWT" })}.${b64(claims)}`;
  const key: KeyObject = createSecretKey(Buffer.from(credential.apiSecret, "utf8"));
  return ["X-OPENTOK-AUTH", `${head}.${createHmac("sha256", key).update(head).digest("base64url")}`];
}

const keys = new BoundedCache<string, KeyObject>({ max: 500 });
function signingKey(pem: string): KeyObject {
  return keys.getOrSet(pem, () => parsePrivateKey(pem).keyObject);
}

/**
 * One authenticated cheap read (the first page of the archive list, count 1). Resolves when Vonage
 * accepts the credential; rejects with a VonageError: `auth` (401: wrong key or secret), `forbidden`
 * (403: no access, e.g. an application without the Video capability), `notFound` (unknown project),
 * `timeout` or `rejected`.
 */
export async function checkCredentialOnce(credential: VonageCredential): Promise<void> {
  const url = `${vonageBaseUrl(credential)}/v2/project/${encodeURIComponent(credentialId(credential))}/archive?count=1`;
  const [header, value] = restAuthHeader(credential);
  let response: Response;
  try {
    response = await fetch(url, {
      method: "GET",
      headers: { [header]: value, Accept: "application/json" },
      signal: AbortSignal.timeout(vonageTimeoutMs.value()),
    });
  } catch (error) {
    throw new VonageError("timeout", `Vonage credential check failed to connect or timed out (${(error as Error).name})`);
  }
  await response.text().catch(() => "");
  if (response.ok) return;
  if (response.status === 401) throw new VonageError("auth", "Vonage refused the credential (401)");
  if (response.status === 403) throw new VonageError("forbidden", "Vonage denied access with this credential (403)");
  if (response.status === 404) throw new VonageError("notFound", "Vonage does not know this project or application (404)");
  throw new VonageError("rejected", `Vonage answered ${response.status} to the credential check`);
}

/** What a REST call answered: its status and parsed JSON body (null when empty). */
export interface RestAnswer {
  status: number;
  body: unknown;
}

/**
 * One signed call under `/v2/project/{id}` (the moderation calls, which the SDK answers too vaguely:
 * a 404 for a gone connection must be told apart from a refused credential). Resolves on 2xx; rejects
 * with a VonageError whose message carries Vonage's status and message.
 */
export async function projectRest(
  credential: VonageCredential,
  method: "GET" | "POST" | "DELETE",
  path: string,
  body?: unknown,
): Promise<RestAnswer> {
  const url = `${vonageBaseUrl(credential)}/v2/project/${encodeURIComponent(credentialId(credential))}${path}`;
  const [header, value] = restAuthHeader(credential);
  const operation = `${method} ${path.replace(/\/(session|connection|stream)\/[^/]+/g, "/$1/…")}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { [header]: value, Accept: "application/json", ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(vonageTimeoutMs.value()),
    });
  } catch (error) {
    throw new VonageError("timeout", `Vonage ${operation} failed to connect or timed out (${(error as Error).name})`);
  }
  const text = await response.text().catch(() => "");
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (response.ok) return { status: response.status, body: parsed };
  const said =
    typeof (parsed as { message?: unknown } | null)?.message === "string"
      ? `: ${(parsed as { message: string }).message.slice(0, 200)}`
      : "";
  const message = `Vonage answered ${response.status} to ${operation}${said}`;
  if (response.status === 401) throw new VonageError("auth", message);
  if (response.status === 403) throw new VonageError("forbidden", message);
  if (response.status === 404) throw new VonageError("notFound", message);
  throw new VonageError(response.status === 408 || response.status >= 500 ? "timeout" : "rejected", message);
}
