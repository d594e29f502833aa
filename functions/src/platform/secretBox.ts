/**
 * Tenants' Vonage secrets at rest: AES-256-GCM, a fresh random IV per value, the owning admin's id as
 * associated data (a ciphertext copied under another admin does not decrypt), and the key id in the
 * ciphertext so keys can be rotated: `v1.<kid>.<iv>.<tag>.<ciphertext>` (base64url parts).
 */
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from "node:crypto";
import { BoundedCache } from "./cache";

export interface KeyRing {
  current: { id: string; key: KeyObject };
  byId: Map<string, KeyObject>;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** Parses `kid:base64key[,kid2:base64key2...]`; the first key encrypts. */
export function parseKeyRing(spec: string): KeyRing {
  const entries = spec
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error("TENANT_SECRET_KEYS is empty: set it to kid:base64(32 random bytes)");
  const byId = new Map<string, KeyObject>();
  let current: KeyRing["current"] | undefined;
  for (const entry of entries) {
    const colon = entry.indexOf(":");
    const id = entry.slice(0, colon);
    const raw = Buffer.from(entry.slice(colon + 1), "base64");
    if (colon < 1 || !KEY_ID.test(id)) throw new Error("TENANT_SECRET_KEYS: each entry must be kid:base64key");
    if (raw.length !== 32) throw new Error(`TENANT_SECRET_KEYS: key ${id} must be 32 bytes (base64 of 32 random bytes)`);
    const key = createSecretKey(raw);
    byId.set(id, key);
    current ??= { id, key };
  }
  return { current: current!, byId };
}

const rings = new BoundedCache<string, KeyRing>({ max: 4 });

/** The key ring from the secret param, parsed once per distinct value. */
export function keyRingFrom(spec: string): KeyRing {
  return rings.getOrSet(spec, () => parseKeyRing(spec));
}

export function sealSecret(ring: KeyRing, plaintext: string, owner: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", ring.current.key, iv);
  cipher.setAAD(Buffer.from(owner, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return ["v1", ring.current.id, iv.toString("base64url"), tag.toString("base64url"), body.toString("base64url")].join(".");
}

export function openSecret(ring: KeyRing, sealed: string, owner: string): string {
  const [version, keyId, iv, tag, body] = sealed.split(".");
  if (version !== "v1" || !keyId || !iv || !tag || body === undefined) throw new Error("Unrecognised secret format");
  const key = ring.byId.get(keyId);
  if (!key) throw new Error(`Secret was sealed with key ${keyId}, which TENANT_SECRET_KEYS no longer holds`);
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(owner, "utf8"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}

/** The key id a sealed value was written with (rotation jobs re-seal those not under the current key). */
export function sealedKeyId(sealed: string): string | undefined {
  return sealed.split(".")[1];
}
