/**
 * Vonage Video client tokens, minted locally. The claims are those `opentok.generateToken` puts in its
 * default JWT, so clients and Vonage see no difference, but signing uses a per-tenant HMAC `KeyObject`
 * built once: jsonwebtoken 9 re-parses a string secret as a PEM key on every call, which makes the
 * SDK's path about 400 us per token against a few us here.
 */
import { createHmac, createSecretKey, randomBytes, type KeyObject } from "node:crypto";
import { VONAGE_MAX_TOKEN_SECONDS } from "./config";

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

const HEADER_DOT = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url") + ".";

export class TokenSigner {
  private readonly key: KeyObject;
  /** `{"iss":"<key>","ist":"project","iat":` — the constant head of every payload. */
  private readonly head: string;
  /** Session ids already checked against the API key, with their JSON form (bounded). */
  private readonly sessions = new Map<string, string>();

  constructor(readonly apiKey: string, apiSecret: string) {
    this.key = createSecretKey(Buffer.from(apiSecret, "utf8"));
    this.head = `{"iss":${JSON.stringify(apiKey)},"ist":"project","iat":`;
  }

  mint(request: TokenRequest, nowSeconds = Math.floor(Date.now() / 1000)): string {
    const sessionJson = this.checkedSession(request.sessionId);
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
      json = JSON.stringify(sessionId);
      if (this.sessions.size >= 10_000) this.sessions.clear();
      this.sessions.set(sessionId, json);
    }
    return json;
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

const signers = new Map<string, TokenSigner>();

/** One signer per (key, secret): the KeyObject is built once per tenant and instance. */
export function tokenSigner(apiKey: string, apiSecret: string): TokenSigner {
  const cacheKey = `${apiKey}\u0000${apiSecret}`;
  let signer = signers.get(cacheKey);
  if (!signer) {
    signer = new TokenSigner(apiKey, apiSecret);
    signers.set(cacheKey, signer);
  }
  return signer;
}
