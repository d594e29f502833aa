/**
 * Creating and removing admin accounts: the Auth user, its claims, the profile and the sealed Vonage
 * secret. Shared by the admin callables and the superAdmin bootstrap command.
 */
import { adminAuth, db, SERVER_TIMESTAMP } from "../platform/firebase";
import { paths } from "../contract/paths";
import { adminClaims, type AdminRecord } from "./records";
import { keyRingFrom, sealSecret } from "../platform/secretBox";
import { tenantSecretKeys } from "../platform/config";
import { callbackSecretPatch, forgetCallbackKey } from "./callbackSecret";
import { forgetCredentials, type SealedCredential, type StoredCredentials } from "./tenants";
import { asCredential, credentialId, credentialSecret, type VonageCredential } from "../platform/vonage/credentials";

export interface NewAdmin {
  displayName: string;
  email: string;
  password: string;
  superAdmin?: boolean;
  hls?: boolean;
  httpSupport?: boolean;
  /** Own Vonage application or project; when absent the project-wide credentials serve this admin. */
  credentials?: VonageCredential;
  /** The signature secret of the admin's own Vonage application (admins/callbackSecret). */
  callbackSecret?: string;
}

/** The sealed form of a credential, as stored in `adminCredentials/{uid}` (or under its `retired`). */
export function sealedCredential(uid: string, credential: VonageCredential): SealedCredential {
  return {
    kind: credential.kind,
    id: credentialId(credential),
    // Records from before applications existed carried only apiKey: readers of either age agree.
    ...(credential.kind === "legacy" ? { apiKey: credential.apiKey } : {}),
    secret: sealSecret(keyRingFrom(tenantSecretKeys.value()), credentialSecret(credential), uid),
    updatedAt: SERVER_TIMESTAMP as unknown as number,
  };
}

/**
 * The multi-path patch that stores (or replaces) an admin's current Vonage credential. `retired`
 * holds replaced credentials that open events still use (./tenants `retiredToKeep`).
 */
export function credentialsPatch(
  uid: string,
  credential: VonageCredential | { apiKey: string; apiSecret: string },
  retired: Record<string, SealedCredential> = {},
): Record<string, unknown> {
  return {
    [paths.adminCredentials(uid)]: {
      ...sealedCredential(uid, asCredential(credential)),
      ...(Object.keys(retired).length ? { retired } : {}),
    },
  };
}

/** The profile fields that describe an admin's own credential (never the secret half). */
export function credentialProfile(credential: VonageCredential | null | undefined): {
  otApiKey: string;
  vonageApplicationId: string;
  credentialKind: VonageCredential["kind"] | null;
  hasOwnCredentials: boolean;
} {
  return {
    otApiKey: credential?.kind === "legacy" ? credential.apiKey : "",
    vonageApplicationId: credential?.kind === "application" ? credential.applicationId : "",
    credentialKind: credential?.kind ?? null,
    hasOwnCredentials: Boolean(credential),
  };
}

/** The profile and the stored credentials of an admin, read together. */
export async function readAdminWithCredentials(uid: string): Promise<{ record: AdminRecord | null; stored: StoredCredentials | null }> {
  const [record, stored] = await Promise.all([
    db().ref(paths.admin(uid)).once("value"),
    db().ref(paths.adminCredentials(uid)).once("value"),
  ]);
  return { record: record.val() as AdminRecord | null, stored: stored.val() as StoredCredentials | null };
}

export async function createAdminAccount(input: NewAdmin): Promise<AdminRecord> {
  const user = await adminAuth().createUser({
    email: input.email,
    password: input.password,
    displayName: input.displayName,
  });
  try {
    return await writeAdminRecord(user.uid, input);
  } catch (error) {
    // No Auth user without a record: undo, then report the original failure.
    await adminAuth()
      .deleteUser(user.uid)
      .catch(() => undefined);
    throw error;
  }
}

export async function writeAdminRecord(uid: string, input: Omit<NewAdmin, "password">, createdAt?: number): Promise<AdminRecord> {
  const record = {
    id: uid,
    displayName: input.displayName,
    email: input.email.toLowerCase(),
    superAdmin: input.superAdmin === true,
    hls: input.hls === true,
    httpSupport: input.httpSupport === true,
    ...credentialProfile(input.credentials),
    hasOwnCallbackSigning: Boolean(input.callbackSecret),
    createdAt: createdAt ?? SERVER_TIMESTAMP,
    updatedAt: SERVER_TIMESTAMP,
  };
  const patch: Record<string, unknown> = { [paths.admin(uid)]: record };
  if (input.credentials) Object.assign(patch, credentialsPatch(uid, input.credentials));
  if (input.callbackSecret) Object.assign(patch, callbackSecretPatch(uid, input.callbackSecret));
  await adminAuth().setCustomUserClaims(uid, adminClaims(record));
  await db().ref().update(patch);
  forgetCredentials(uid);
  forgetCallbackKey(uid);
  return (await db().ref(paths.admin(uid)).once("value")).val() as AdminRecord;
}

/**
 * The first superAdmin (nothing else can create one). Idempotent: an existing user with that e-mail
 * is promoted and keeps its uid; the password is only set for a new user.
 */
export async function ensureSuperAdmin(input: {
  email: string;
  password: string;
  displayName: string;
  /** The superAdmin's own Vonage credential; when absent an existing one is kept. */
  credentials?: VonageCredential;
}): Promise<AdminRecord> {
  let uid: string;
  try {
    uid = (await adminAuth().getUserByEmail(input.email)).uid;
  } catch (error) {
    if ((error as { code?: string }).code !== "auth/user-not-found") throw error;
    uid = (await adminAuth().createUser({ email: input.email, password: input.password, displayName: input.displayName })).uid;
  }
  const { record: existing, stored } = await readAdminWithCredentials(uid);
  if (input.credentials) {
    // The same check createAdmin makes: a refused credential is never stored.
    const { checkVonagePair } = await import("./input");
    await checkVonagePair(input.credentials);
  }
  const record = await writeAdminRecord(
    uid,
    {
      displayName: existing?.displayName ?? input.displayName,
      email: input.email,
      superAdmin: true,
      hls: existing?.hls ?? true,
      httpSupport: existing?.httpSupport ?? false,
      credentials: input.credentials,
    },
    existing?.createdAt,
  );
  if (existing?.hasOwnCallbackSigning) {
    // The bootstrap never sets a callback secret; one set earlier stays, and so does its flag.
    await db().ref(paths.admin(uid)).update({ hasOwnCallbackSigning: true });
    record.hasOwnCallbackSigning = true;
  }
  if (!input.credentials && existing?.hasOwnCredentials && stored?.secret) {
    // A re-run without credential flags keeps the superAdmin's own credential and its profile fields.
    const kept = {
      otApiKey: existing.otApiKey ?? "",
      vonageApplicationId: existing.vonageApplicationId ?? "",
      credentialKind: existing.credentialKind ?? "legacy",
      hasOwnCredentials: true,
    };
    await db().ref(paths.admin(uid)).update(kept);
    return { ...record, ...kept };
  }
  return record;
}
