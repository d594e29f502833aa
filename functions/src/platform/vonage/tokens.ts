/**
 * Vonage Video client tokens, minted locally for both kinds of credential, with a signing key built
 * once per tenant and instance (jsonwebtoken re-parses a string secret or PEM on every call).
 *
 * - Legacy pairs: the HS256 JWT `opentok.generateToken` makes by default (same claims, same order),
 *   signed with an HMAC `KeyObject`: a few us against ~400 us for the SDK's path.
 * - Applications: the RS256 JWT Vonage expects (`application_id`, `scope: "session.connect"`,
 *   `session_id`, `role`, `initial_layout_class_list`, `connection_data`, `sub: "video"`, `acl`,
 *   `iat`, `exp`, `jti`), signed with the application's RSA `KeyObject`, so the cost is the RSA
 *   signature itself. The SDK's own Vonage-mode `generateToken` reads `expire_time` and silently
 *   ignores `expireTime` (its tokens then last 24 h); here the show-bound expiry is always applied.
 */
import { createHmac, createSecretKey, randomBytes, randomUUID, sign, type KeyObject } from "node:crypto";
import { VONAGE_MAX_TOKEN_SECONDS } from "../config";
import { credentialId, credentialSecret, parsePrivateKey, type VonageCredential } from "./credentials";
import { BoundedCache } from "../cache";

export type VonageRole = "publisher" | "subscriber" | "moderator" | "publisheronly";

export interface TokenRequest {
  sessionId: string;
  role: VonageRole;
  /** Connection data; set by the server only (userType, participant id). At most 1024 characters. */
  data?: string;
  /** Unix seconds. */
  expireTime: number;
  initialLayoutClassList?: string[];
}

/** What the token functions need of a signer, whatever the credential's kind. */
export interface ClientTokenSigner {
  readonly kind: VonageCredential["kind"];
  /** What client SDKs pass to `OT.initSession`: the API key, or the application id. */
  readonly apiKey: string;
  mint(request: TokenRequest, nowSeconds?: number): string;
}

/** Session ids each signer remembers it has checked (and their JSON form). */
const SESSIONS_PER_SIGNER = 10_000;

const HEADER_DOT = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url") + ".";
const RS256_HEADER_DOT = Buffer.from(JSON.stringify({ alg: "RS256", typ: "JWT" })).toString("base64url") + ".";

/** The checks both kinds apply before signing; returns the layout class list as one string. */
function checkRequest(request: TokenRequest, nowSeconds: number): string {
  const exp = request.expireTime;
  if (!Number.isInteger(exp) || exp <= nowSeconds) {
    throw new Error("Token expiry must be a whole number of seconds in the future");
  }
  if (exp > nowSeconds + VONAGE_MAX_TOKEN_SECONDS) throw new Error("Token expiry must be within Vonage's 30 days");
  if (!ROLES.has(request.role)) throw new Error(`Invalid token role ${request.role}`);
  if (request.data !== undefined && request.data.length > 1024) {
    throw new Error("Connection data must be at most 1024 characters");
  }
  const layout = request.initialLayoutClassList?.length ? request.initialLayoutClassList.join(" ") : "";
  if (layout.length > 1024) throw new Error("Layout class list must be at most 1024 characters");
  return layout;
}

/** Legacy (API key + secret) tokens: HS256, the SDK's default JWT. */
export class TokenSigner implements ClientTokenSigner {
  readonly kind = "legacy" as const;
  private readonly key: KeyObject;
  /** `{"iss":"<key>","ist":"project","iat":` — the constant head of every payload. */
  private readonly head: string;
  /** Session ids already checked against the API key, with their JSON form. */
  private readonly sessions = new BoundedCache<string, string>({ max: SESSIONS_PER_SIGNER });

  constructor(
    readonly apiKey: string,
    apiSecret: string,
  ) {
    this.key = createSecretKey(Buffer.from(apiSecret, "utf8"));
    this.head = `{"iss":${JSON.stringify(apiKey)},"ist":"project","iat":`;
  }

  mint(request: TokenRequest, nowSeconds = Math.floor(Date.now() / 1000)): string {
    const sessionJson = this.checkedSession(request.sessionId);
    const exp = request.expireTime;
    const layout = checkRequest(request, nowSeconds);
    // Built as a string: the claims and their order are those of the SDK's JWT, without the cost of
    // a generic JSON.stringify of a fresh object per token.
    const payload =
      `${this.head}${nowSeconds},"exp":${exp},"session_id":${sessionJson},"create_time":${nowSeconds},` +
      `"nonce":${randomNonce()},"role":"${request.role}","expire_time":${exp},` +
      `"initial_layout_class_list":${layout ? JSON.stringify(layout) : '""'},"scope":"session.connect"` +
      (request.data !== undefined ? `,"connection_data":${JSON.stringify(request.data)}}` : "}");
    const body = Buffer.from(payload).toString("base64url");
    const signature = createHmac("sha256", this.key).update(HEADER_DOT).update(body).digest("base64url");
    return `${HEADER_DOT}${body}.${signature}`;
  }

  private checkedSession(sessionId: string): string {
    let json = this.sessions.get(sessionId);
    if (json === undefined) {
      if (sessionApiKey(sessionId) !== this.apiKey) {
        throw new Error("Token cannot be generated unless the session belongs to the API key");
      }
      json = this.sessions.set(sessionId, JSON.stringify(sessionId));
    }
    return json;
  }
}

/**
 * Application tokens: RS256 with the application's private key. Vonage session ids do not promise to
 * name the application (the SDK's Vonage branch does not check them either); the sessions come from
 * our own event records, which remember the credential that created them.
 */
export class ApplicationTokenSigner implements ClientTokenSigner {
  readonly kind = "application" as const;
  readonly apiKey: string;
  private readonly key: KeyObject;
  private readonly head: string;
  private readonly sessions = new BoundedCache<string, string>({ max: SESSIONS_PER_SIGNER });

  constructor(applicationId: string, privateKey: string | KeyObject) {
    this.apiKey = applicationId;
    this.key = typeof privateKey === "string" ? parsePrivateKey(privateKey).keyObject : privateKey;
    this.head = `{"application_id":${JSON.stringify(applicationId)},"scope":"session.connect","session_id":`;
  }

  mint(request: TokenRequest, nowSeconds = Math.floor(Date.now() / 1000)): string {
    const layout = checkRequest(request, nowSeconds);
    let sessionJson = this.sessions.get(request.sessionId);
    if (sessionJson === undefined) {
      if (typeof request.sessionId !== "string" || !request.sessionId) throw new Error("Token cannot be generated without a session id");
      sessionJson = this.sessions.set(request.sessionId, JSON.stringify(request.sessionId));
    }
    const payload =
      `${this.head}${sessionJson},"role":"${request.role}","initial_layout_class_list":${layout ? JSON.stringify(layout) : '""'}` +
      (request.data !== undefined ? `,"connection_data":${JSON.stringify(request.data)}` : "") +
      `,"sub":"video","acl":{"paths":{"/session/**":{}}},"iat":${nowSeconds},"exp":${request.expireTime},"jti":"${randomUUID()}"}`;
    const signingInput = RS256_HEADER_DOT + Buffer.from(payload).toString("base64url");
    return `${signingInput}.${sign("sha256", Buffer.from(signingInput), this.key).toString("base64url")}`;
  }
}

const ROLES = new Set<VonageRole>(["publisher", "subscriber", "moderator", "publisheronly"]);

/** A nonce like the SDK's (a random number), drawn from a pooled buffer to stay cheap. */
let pool = Buffer.alloc(0);
let offset = 0;
function randomNonce(): number {
  if (offset + 4 > pool.length) {
    pool = randomBytes(4096);
    offset = 0;
  }
  const value = pool.readUInt32BE(offset);
  offset += 4;
  return value / 0x1_0000_0000;
}

/** The API key a Vonage session id belongs to (ids are `1_` + base64 of `1~key~location~date~random~`). */
export function sessionApiKey(sessionId: string): string | undefined {
  if (typeof sessionId !== "string" || sessionId.length < 4) return undefined;
  const body = sessionId.slice(2).replace(/-/g, "+").replace(/_/g, "/");
  const decoded = Buffer.from(body, "base64").toString("latin1");
  return decoded.split("~")[1];
}

const signers = new BoundedCache<string, ClientTokenSigner>({ max: 2_000 });

/** One signer per credential (kind, id, secret): the KeyObject is built once per tenant and instance. */
export function tokenSigner(credential: VonageCredential): ClientTokenSigner {
  const cacheKey = `${credential.kind}\u0000${credentialId(credential)}\u0000${credentialSecret(credential)}`;
  return signers.getOrSet(cacheKey, () =>
    credential.kind === "application"
      ? new ApplicationTokenSigner(credential.applicationId, credential.privateKey)
      : new TokenSigner(credential.apiKey, credential.apiSecret),
  );
}
