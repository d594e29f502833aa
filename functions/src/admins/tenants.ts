/**
 * Which Vonage credential acts for an admin, and for each of their events.
 *
 * An admin's own credential (server-only `adminCredentials/{uid}`: kind, public id, sealed secret or
 * private key) wins over the project-wide params. Each event remembers the credential its sessions
 * were created with (`events/{id}/vonage = {kind, id}`): Vonage sessions belong to one project or
 * application, so tokens and archive/broadcast calls for them must keep using that credential even
 * after the admin switches to another. updateAdmin therefore keeps the replaced credential sealed under
 * `retired/{kind:id}` while any event of the admin that is not closed still uses it (see
 * `retiredToKeep`), and drops it once none does.
 *
 * Opened credentials are cached per instance for a short time so the token path neither reads nor
 * decrypts on every call; a changed credential takes effect within CREDENTIALS_TTL_MS everywhere (at
 * once on the instance that changed it).
 */
import { db } from "../platform/firebase";
import { BoundedCache } from "../platform/cache";
import { paths } from "../contract/paths";
import { tenantSecretKeys, vonageApiKey, vonageApiSecret, vonageApplicationId, vonagePrivateKey } from "../platform/config";
import { keyRingFrom, openSecret } from "../platform/secretBox";
import { failedPrecondition } from "../platform/errors";
import {
  parsePrivateKey,
  refKey,
  sameRef,
  type CredentialKind,
  type CredentialRef,
  type VonageCredential,
} from "../platform/vonage/credentials";

export type { VonageCredential, CredentialRef } from "../platform/vonage/credentials";
/** The earlier name of a credential (kept for callers that only ever held legacy pairs). */
export type TenantCredentials = VonageCredential;

/** One sealed credential as stored. Records written before applications existed have only apiKey + secret. */
export interface SealedCredential {
  kind?: CredentialKind;
  /** Application id or API key. */
  id?: string;
  /** Legacy API key (also in pre-application records). */
  apiKey?: string;
  /** AES-256-GCM sealed API secret or PKCS#8 private key (platform/secretBox). */
  secret: string;
  updatedAt?: number;
  retiredAt?: number;
}

export interface StoredCredentials extends SealedCredential {
  /** Replaced credentials still used by open events, by `refKey`. */
  retired?: Record<string, SealedCredential> | null;
}

export const CREDENTIALS_TTL_MS = 60_000;

interface CacheEntry {
  stored: StoredCredentials | null;
  opened: Map<string, VonageCredential>;
}
/** Per admin, from when the read started: its (shared, in-flight or settled) result. */
const cache = new BoundedCache<string, Promise<CacheEntry>>({ max: 5_000, ttlMs: CREDENTIALS_TTL_MS });

function storedEntry(adminId: string, now: number): Promise<CacheEntry> {
  const hit = cache.get(adminId, now);
  if (hit) return hit;
  const entry = db()
    .ref(paths.adminCredentials(adminId))
    .once("value")
    .then((snapshot) => ({ stored: snapshot.val() as StoredCredentials | null, opened: new Map<string, VonageCredential>() }));
  // A failed read is not cached: the next call tries again.
  entry.catch(() => {
    if (cache.get(adminId) === entry) cache.delete(adminId);
  });
  return cache.set(adminId, entry, now);
}

/**
 * Starts reading an admin's credentials without waiting (the token path reads them beside the event,
 * in parallel, before it knows which of them the event needs).
 */
export function prefetchCredentials(adminId: string): void {
  storedEntry(adminId, Date.now()).catch(() => undefined);
}

/** The ref of a stored credential (kind defaults to legacy for records older than applications). */
export function storedRef(stored: SealedCredential | null | undefined): CredentialRef | null {
  if (!stored?.secret) return null;
  const kind: CredentialKind = stored.kind ?? "legacy";
  const id = stored.id ?? stored.apiKey;
  return id ? { kind, id } : null;
}

function open(adminId: string, sealed: SealedCredential): VonageCredential {
  const ref = storedRef(sealed)!;
  const plain = openSecret(keyRingFrom(tenantSecretKeys.value()), sealed.secret, adminId);
  return ref.kind === "application"
    ? { kind: "application", applicationId: ref.id, privateKey: plain }
    : { kind: "legacy", apiKey: ref.id, apiSecret: plain };
}

/** The admin's current credential: their own, else the project-wide one. */
export async function tenantCredentials(adminId: string, now = Date.now()): Promise<VonageCredential> {
  const entry = await storedEntry(adminId, now);
  return currentFrom(adminId, entry);
}

function currentFrom(adminId: string, entry: CacheEntry): VonageCredential {
  const ref = storedRef(entry.stored);
  if (ref) return openCached(adminId, entry, entry.stored!);
  const projectWide = projectCredential();
  if (projectWide) return projectWide;
  throw failedPrecondition(
    "No Vonage credentials: give this admin a Vonage application (vonageApplicationId + vonagePrivateKey) or an OpenTok API key " +
      "and secret (otApiKey + otSecret) with updateAdmin, or set the project-wide VONAGE_APPLICATION_ID + VONAGE_PRIVATE_KEY " +
      "(or VONAGE_API_KEY + VONAGE_API_SECRET).",
  );
}

function openCached(adminId: string, entry: CacheEntry, sealed: SealedCredential): VonageCredential {
  const key = refKey(storedRef(sealed)!);
  let opened = entry.opened.get(key);
  if (!opened) {
    opened = open(adminId, sealed);
    entry.opened.set(key, opened);
  }
  return opened;
}

/**
 * The credential an event's sessions belong to. Events created before events remembered their
 * credential use the admin's current one (what they were created with, unless it changed since).
 */
export async function eventCredentials(
  event: { adminId: string; vonage?: CredentialRef | null },
  now = Date.now(),
): Promise<VonageCredential> {
  const entry = await storedEntry(event.adminId, now);
  const wanted = event.vonage;
  if (!wanted) return currentFrom(event.adminId, entry);
  const stored = entry.stored;
  if (stored && sameRef(storedRef(stored), wanted)) return openCached(event.adminId, entry, stored);
  const retired = stored?.retired?.[refKey(wanted)];
  if (retired && sameRef(storedRef(retired), wanted)) return openCached(event.adminId, entry, retired);
  const projectWide = projectCredential();
  if (projectWide && sameRef({ kind: projectWide.kind, id: idOf(projectWide) }, wanted)) return projectWide;
  throw failedPrecondition(
    `The Vonage ${wanted.kind === "application" ? "application" : "API key"} ${wanted.id} that created this event's sessions is no longer ` +
      "configured for its admin; its sessions cannot be used with another credential. Create a new event.",
  );
}

function idOf(credential: VonageCredential): string {
  return credential.kind === "application" ? credential.applicationId : credential.apiKey;
}

/** The project-wide credential from params, or null when none is configured. The application wins when both are. */
export function projectCredential(): VonageCredential | null {
  const applicationId = vonageApplicationId.value();
  if (applicationId) {
    const key = projectPrivateKey();
    if (key) return { kind: "application", applicationId: applicationId.toLowerCase(), privateKey: key };
  }
  const apiKey = vonageApiKey.value();
  const apiSecret = secretValue(vonageApiSecret);
  if (apiKey && apiSecret) return { kind: "legacy", apiKey, apiSecret };
  if (applicationId) {
    throw failedPrecondition(
      "VONAGE_APPLICATION_ID is set but VONAGE_PRIVATE_KEY is not a readable RSA private key (PEM, or base64 of the PEM).",
    );
  }
  return null;
}

/** The project key's PKCS#8 PEM by the secret's value (null: unset or unreadable). */
const projectKeys = new BoundedCache<string, string | null>({ max: 4 });
function projectPrivateKey(): string | null {
  const input = secretValue(vonagePrivateKey);
  return projectKeys.getOrSet(input, () => {
    try {
      return input ? parsePrivateKey(input).pkcs8Pem : null;
    } catch {
      return null;
    }
  });
}

/** A secret param that was never set reads as empty (a placeholder such as "none" is not a key either). */
function secretValue(secret: { value(): string }): string {
  try {
    return secret.value() ?? "";
  } catch {
    return "";
  }
}

/**
 * Which replaced credentials updateAdmin must keep: those still referenced by an event that is not
 * closed (tokens and stops still need them), the one being replaced included.
 */
export function retiredToKeep(
  candidates: Record<string, SealedCredential>,
  events: Array<{ status?: string; vonage?: CredentialRef | null; broadcast?: { status?: string } | null }>,
): Record<string, SealedCredential> {
  const keep: Record<string, SealedCredential> = {};
  for (const [key, sealed] of Object.entries(candidates)) {
    const ref = storedRef(sealed);
    // A closed show may still be draining its broadcast, which is stopped with the same credential.
    const inUse = events.some(
      (event) =>
        sameRef(event.vonage, ref) &&
        (event.status !== "closed" || event.broadcast?.status === "started" || event.broadcast?.status === "stopping"),
    );
    if (inUse) keep[key] = sealed;
  }
  return keep;
}

/** Called after an admin's credentials change so this instance stops using the old ones at once. */
export function forgetCredentials(adminId: string): void {
  cache.delete(adminId);
}
