/**
 * A tenant's own Vonage callback signing secret: the signature secret of the admin's Vonage
 * application, sealed like their credentials (platform/secretBox) in the server-only
 * `adminCallbackSecrets/{uid}`; the profile says only whether one is set (`hasOwnCallbackSigning`).
 * Callbacks posted to `vonageCallbacks?tenant=<adminId>` are verified with it (attendance/receive);
 * a tenant without one is verified with the project-wide VONAGE_CALLBACK_SIGNING_SECRET.
 *
 * The verifying key is cached per instance (60 s, "none" included) so a storm of callbacks neither
 * reads nor decrypts per request; updateAdmin forgets it at once on its own instance.
 */
import { createSecretKey, type KeyObject } from "node:crypto";
import { db, SERVER_TIMESTAMP } from "../platform/firebase";
import { BoundedCache } from "../platform/cache";
import { paths } from "../contract/paths";
import { tenantSecretKeys } from "../platform/config";
import { keyRingFrom, openSecret, sealSecret } from "../platform/secretBox";

import { vonageCallbackSecret } from "../contract/callables/admins";
export { vonageCallbackSecret };

export const CALLBACK_KEY_TTL_MS = 60_000;

/** Associated data of the sealed value: the admin's id, apart from their credentials' (same uid). */
const sealOwner = (uid: string) => `callback:${uid}`;

/**
 * `adminCallbackSecrets/{uid}`: the sealed secret (absent once cleared) and the revision of the write
 * that left it (the profile's `updatedAt` then), so an older update committing late cannot replace a
 * newer one. Nodes written before revisions existed have none: any update replaces them.
 */
interface StoredCallbackSecret {
  secret?: string;
  revision?: number;
}

/**
 * The patch of `adminCallbackSecrets/{uid}` that stores a new admin's callback secret, written with the
 * profile (whose `hasOwnCallbackSigning` the caller sets) in one multi-path update: the same server
 * time numbers both.
 */
export function callbackSecretPatch(uid: string, secret: string): Record<string, unknown> {
  return {
    [paths.adminCallbackSecret(uid)]: {
      secret: sealSecret(keyRingFrom(tenantSecretKeys.value()), secret, sealOwner(uid)),
      revision: SERVER_TIMESTAMP,
    },
  };
}

/**
 * Stores (secret) or drops (null) an admin's own callback secret under the revision of the profile
 * update that set `hasOwnCallbackSigning` (admins/update's commitProfile), the same rule as the
 * credential commit: a node already written by a later-numbered update is left alone, so the secret
 * and the profile's flag end as the same update. A dropped secret leaves `{revision}` for that check.
 */
export async function commitCallbackSecret(uid: string, secret: string | null, revision: number): Promise<void> {
  // Sealed once (a fresh IV on every transaction retry would write another ciphertext each time).
  const next: StoredCallbackSecret = secret
    ? { secret: sealSecret(keyRingFrom(tenantSecretKeys.value()), secret, sealOwner(uid)), revision }
    : { revision };
  const superseded = (stored: StoredCallbackSecret | null) => (Number(stored?.revision) || 0) >= revision;
  const result = await db()
    .ref(paths.adminCallbackSecret(uid))
    .transaction((stored: StoredCallbackSecret | null) => (superseded(stored) ? undefined : next), undefined, false);
  if (!result.committed && !superseded(result.snapshot.val() as StoredCallbackSecret | null)) {
    throw new Error("adminCallbackSecrets transaction did not commit");
  }
}

/** Per admin id: the verifying key, or null when the admin has no secret of their own. */
const keys = new BoundedCache<string, Promise<KeyObject | null>>({ max: 5_000, ttlMs: CALLBACK_KEY_TTL_MS });

/** The HS256 key of the admin's own callback secret, or null (the project-wide secret serves them). */
export function tenantCallbackKey(adminId: string, now = Date.now()): Promise<KeyObject | null> {
  const hit = keys.get(adminId, now);
  if (hit) return hit;
  const key = db()
    .ref(`${paths.adminCallbackSecret(adminId)}/secret`)
    .once("value")
    .then((snapshot) => {
      const sealed = snapshot.val() as string | null;
      if (typeof sealed !== "string") return null;
      const plain = openSecret(keyRingFrom(tenantSecretKeys.value()), sealed, sealOwner(adminId));
      return createSecretKey(Buffer.from(plain, "utf8"));
    });
  // A failed read or open is not cached: the next callback tries again.
  key.catch(() => {
    if (keys.get(adminId) === key) keys.delete(adminId);
  });
  return keys.set(adminId, key, now);
}

/** After an admin's callback secret changes (or the admin goes): this instance stops using the old one. */
export function forgetCallbackKey(adminId: string): void {
  keys.delete(adminId);
}
