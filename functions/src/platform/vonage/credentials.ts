/**
 * The two kinds of Vonage Video credential a tenant can hold:
 *
 * - `application`: a Vonage application id (UUID) and its RSA private key. This is all a customer who
 *   signs up today gets; REST calls go to video.api.vonage.com with a Bearer RS256 JWT, client tokens
 *   are RS256 JWTs, and client SDKs take the application id where they took the API key.
 * - `legacy`: an OpenTok project's API key and secret (TokBox accounts, which take no new sign-ups but
 *   keep working): REST calls go to api.opentok.com with X-OPENTOK-AUTH, client tokens are HS256.
 *
 * A credential is identified by its kind and its public id (application id or API key); that pair is
 * what an event remembers, so the sessions it created are always reached with the right credential.
 * Private keys are parsed here once and kept as PKCS#8 PEM (what the opentok SDK needs to switch to
 * Vonage mode: it silently stays in legacy mode for a PKCS#1 key) and as a `KeyObject` for signing.
 */
import { createPrivateKey, type KeyObject } from "node:crypto";
import type { CredentialRef } from "../../contract/records";

export type CredentialKind = "legacy" | "application";

export interface LegacyCredential {
  kind: "legacy";
  apiKey: string;
  apiSecret: string;
}

export interface ApplicationCredential {
  kind: "application";
  applicationId: string;
  /** PKCS#8 PEM (normalised from PKCS#1 when given so). */
  privateKey: string;
}

export type VonageCredential = LegacyCredential | ApplicationCredential;

/** Which credential created an event's sessions: never a secret, stored beside the event (contract/records.ts). */
export type { CredentialRef } from "../../contract/records";

/** Application ids are UUIDs (the contract's pattern, the one the admin inputs check). */
export { APPLICATION_ID_PATTERN } from "../../contract/callables/admins";

/** The smallest RSA key Vonage's dashboard generates, and what we accept. */
export const MIN_RSA_BITS = 2048;
export { MAX_PRIVATE_KEY_CHARS } from "../../contract/callables/admins";

export function credentialId(credential: VonageCredential): string {
  return credential.kind === "application" ? credential.applicationId : credential.apiKey;
}

export function credentialRef(credential: VonageCredential): CredentialRef {
  return { kind: credential.kind, id: credentialId(credential) };
}

/** A database key for a credential ref (ids hold only `[A-Za-z0-9_-]`, so `:` separates safely). */
export function refKey(ref: CredentialRef): string {
  return `${ref.kind}:${ref.id}`;
}

export function sameRef(a: CredentialRef | null | undefined, b: CredentialRef | null | undefined): boolean {
  return Boolean(a && b && a.kind === b.kind && a.id.toLowerCase() === b.id.toLowerCase());
}

/** The secret half of a credential, as it is sealed at rest. */
export function credentialSecret(credential: VonageCredential): string {
  return credential.kind === "application" ? credential.privateKey : credential.apiSecret;
}

export class PrivateKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PrivateKeyError";
  }
}

export interface ParsedPrivateKey {
  pkcs8Pem: string;
  keyObject: KeyObject;
  bits: number;
}

/**
 * Reads an RSA private key given as PEM (PKCS#8 or PKCS#1), as PEM with literal `\n` escapes (how
 * keys often sit in `.env` files), or as base64 of the PEM. Never puts any of the key in an error.
 */
export function parsePrivateKey(input: string): ParsedPrivateKey {
  const pem = pemText(input);
  if (/ENCRYPTED PRIVATE KEY|Proc-Type: 4,ENCRYPTED/.test(pem)) {
    throw new PrivateKeyError("the private key is encrypted with a passphrase: give the unencrypted key Vonage generated");
  }
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(pem)) {
    throw new PrivateKeyError("must be a PEM private key (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)");
  }
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey({ key: pem, format: "pem" });
  } catch {
    throw new PrivateKeyError("is not a readable PEM private key (truncated or altered?)");
  }
  if (keyObject.asymmetricKeyType !== "rsa") {
    throw new PrivateKeyError(`must be an RSA key (this one is ${keyObject.asymmetricKeyType ?? "unknown"})`);
  }
  const bits = keyObject.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) throw new PrivateKeyError(`must be an RSA key of at least ${MIN_RSA_BITS} bits (this one has ${bits})`);
  const pkcs8Pem = keyObject.export({ type: "pkcs8", format: "pem" }).toString();
  return { pkcs8Pem, keyObject, bits };
}

function pemText(input: string): string {
  let text = input.trim();
  if (!text.includes("-----BEGIN") && /^[A-Za-z0-9+/=\s]+$/.test(text)) {
    const decoded = Buffer.from(text, "base64").toString("utf8");
    if (decoded.includes("-----BEGIN")) text = decoded.trim();
  }
  if (!text.includes("\n") && text.includes("\\n")) text = text.replace(/\\n/g, "\n");
  return text;
}

/** A legacy pair given without a kind (older stored records, test fixtures) is a legacy credential. */
export function asCredential(value: VonageCredential | { apiKey: string; apiSecret: string }): VonageCredential {
  if ("kind" in value) return value;
  return { kind: "legacy", apiKey: value.apiKey, apiSecret: value.apiSecret };
}
