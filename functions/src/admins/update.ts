/**
 * Updating an admin: a superAdmin updates anyone, an admin only their own profile and never their own
 * `superAdmin` flag (IBS let any admin promote anyone: docs/ibs-flaws.md#3).
 *
 * Credentials (docs/ibs-flaws.md#23), either kind: an omitted secret or private key keeps the stored one; a
 * new API key or application id needs its secret or private key; a given credential is checked
 * against Vonage before it is stored; `clearCredentials: true` is the one way to drop the admin's own
 * credential (the project-wide params then serve them).
 *
 * Switching credential never strands a show: events remember the credential that created their
 * sessions, and the replaced one stays sealed under `retired` while any of the admin's events that
 * is not closed still uses it (dropped by a later update once none does). Auth profile changes are
 * awaited (docs/ibs-flaws.md#24) before the record is written, so a refused e-mail leaves the record untouched.
 */
import { adminAuth, db } from "../platform/firebase";
import { paths } from "../contract/paths";
import { recordRevocation } from "../platform/revocation";
import { failedPrecondition, invalidArgument, notFound, permissionDenied } from "../platform/errors";
import type { Caller } from "../platform/roles";
import { credentialRef, refKey, sameRef, type VonageCredential } from "../platform/vonage/credentials";
import { eventsOfAdmin } from "../events/store";
import { adminClaims, publicAdminProfile, readAdmin, type AdminProfile, type AdminRecord } from "./records";
import { authInputError, checkVonagePair } from "./input";
import { commitCallbackSecret, forgetCallbackKey } from "./callbackSecret";
import { credentialProfile, readAdminWithCredentials, sealedCredential } from "./store";
import { forgetCredentials, retiredToKeep, storedRef, type SealedCredential, type StoredCredentials } from "./tenants";

/** The credential fields of an update (which go together is the input's refinement). */
type CredentialInput = {
  otApiKey?: string;
  otSecret?: string;
  vonageApplicationId?: string;
  vonagePrivateKey?: string;
  clearCredentials?: true;
};

export interface AdminChanges extends CredentialInput {
  id: string;
  displayName?: string;
  email?: string;
  password?: string;
  superAdmin?: boolean;
  hls?: boolean;
  httpSupport?: boolean;
  /** The signature secret of the admin's own Vonage application; clearVonageCallbackSecret drops it. */
  vonageCallbackSecret?: string;
  clearVonageCallbackSecret?: true;
}

export async function updateAdminFor(caller: Caller, data: AdminChanges): Promise<{ admin: AdminProfile }> {
  refuseUnlessAllowed(caller, data);
  const { record, stored } = await readAdminWithCredentials(data.id);
  if (!record) throw notFound("No admin with this id.");

  // Decide the credential change before writing anything.
  const newPair = nextCredential(data, storedRef(stored)); // undefined: unchanged, null: drop
  if (newPair) await checkVonagePair(newPair);

  const callbackSecret = data.clearVonageCallbackSecret ? null : data.vonageCallbackSecret; // undefined: unchanged

  await updateAuthUser(data, record);
  // The record first, in a transaction that numbers this update (its updatedAt, strictly increasing per
  // admin); the credential commit then applies only over an older one, so two updates at once end as the
  // later-numbered one in both nodes, never one's profile with the other's credential. The callback
  // secret follows the same rule against the profile's hasOwnCallbackSigning.
  const revision = await commitProfile(data.id, profileFields(data, newPair, callbackSecret));
  if (newPair !== undefined) await commitCredential(data.id, newPair, revision);
  if (callbackSecret !== undefined) await commitCallbackSecret(data.id, callbackSecret, revision);
  if (newPair !== undefined) forgetCredentials(data.id);
  if (callbackSecret !== undefined) forgetCallbackKey(data.id);

  if (data.superAdmin !== undefined && data.superAdmin !== (record.superAdmin === true)) {
    await adminAuth().setCustomUserClaims(data.id, adminClaims({ superAdmin: data.superAdmin }));
    // A demoted superAdmin's session must not be renewed with the old claims.
    // Its ID tokens already issued are refused from now on (platform/revocation).
    if (!data.superAdmin) {
      await adminAuth().revokeRefreshTokens(data.id);
      await recordRevocation(data.id);
    }
  }
  return { admin: publicAdminProfile((await readAdmin(data.id))!) };
}

function refuseUnlessAllowed(caller: Caller, data: AdminChanges): void {
  const self = caller.uid === data.id;
  if (!caller.superAdmin && !self) throw permissionDenied("An admin can only update their own profile.");
  if (!caller.superAdmin && data.superAdmin !== undefined) throw permissionDenied("Only a superAdmin can change the superAdmin flag.");
  // A superAdmin demoting themselves could leave nobody able to manage admins.
  if (self && data.superAdmin === false) {
    throw failedPrecondition("A superAdmin cannot remove their own superAdmin flag; ask another superAdmin.");
  }
}

/** E-mail, display name and password live in Firebase Auth too; a refusal there writes nothing. */
async function updateAuthUser(data: AdminChanges, record: AdminRecord): Promise<void> {
  const authChanges: { email?: string; displayName?: string; password?: string } = {};
  if (data.email !== undefined && data.email.toLowerCase() !== record.email) authChanges.email = data.email;
  if (data.displayName !== undefined && data.displayName !== record.displayName) authChanges.displayName = data.displayName;
  if (data.password !== undefined) authChanges.password = data.password;
  if (!Object.keys(authChanges).length) return;
  try {
    await adminAuth().updateUser(data.id, authChanges);
  } catch (error) {
    if ((error as { code?: string }).code === "auth/user-not-found") throw notFound("This admin has no Firebase Auth account.");
    throw authInputError(error) ?? error;
  }
}

/** The profile's changed fields (`newPair` or `callbackSecret` undefined: the credential or secret stays). */
function profileFields(
  data: AdminChanges,
  newPair: VonageCredential | null | undefined,
  callbackSecret: string | null | undefined,
): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (data.displayName !== undefined) fields.displayName = data.displayName;
  if (data.email !== undefined) fields.email = data.email.toLowerCase();
  for (const flag of ["superAdmin", "hls", "httpSupport"] as const) {
    if (data[flag] !== undefined) fields[flag] = data[flag];
  }
  if (newPair !== undefined) Object.assign(fields, credentialProfile(newPair));
  if (callbackSecret !== undefined) fields.hasOwnCallbackSigning = callbackSecret !== null;
  return fields;
}

/**
 * Applies `fields` to `admins/{uid}` in a transaction and answers the update's revision: the
 * `updatedAt` it wrote, later than the record's earlier one. A deletion meanwhile is not undone.
 */
async function commitProfile(uid: string, fields: Record<string, unknown>): Promise<number> {
  let revision = 0;
  const result = await db()
    .ref(paths.admin(uid))
    .transaction(
      (current: AdminRecord | null) => {
        if (current === null) return null;
        revision = Math.max(Date.now(), (Number(current.updatedAt) || 0) + 1);
        const next: Record<string, unknown> = { ...current, ...fields, updatedAt: revision };
        // A credential dropped: its profile fields go (credentialProfile sets them to null).
        for (const [field, value] of Object.entries(next)) if (value === null || value === undefined) delete next[field];
        return next;
      },
      undefined,
      false,
    );
  if (!result.committed || !result.snapshot.exists()) throw notFound("No admin with this id (deleted meanwhile).");
  return revision;
}

/** The credential the admin will have after this update: undefined when unchanged, null when dropped. */
function nextCredential(data: CredentialInput, current: { kind: string; id: string } | null): VonageCredential | null | undefined {
  if (data.clearCredentials) return null;
  if (data.vonagePrivateKey !== undefined) {
    const applicationId = data.vonageApplicationId ?? (current?.kind === "application" ? current.id : undefined);
    if (!applicationId) {
      throw invalidArgument("vonagePrivateKey needs vonageApplicationId: this admin has no Vonage application of their own yet.", {
        field: "vonageApplicationId",
      });
    }
    return { kind: "application", applicationId, privateKey: data.vonagePrivateKey };
  }
  if (data.vonageApplicationId !== undefined && !(current?.kind === "application" && current.id === data.vonageApplicationId)) {
    throw invalidArgument("A new vonageApplicationId needs its vonagePrivateKey.", { field: "vonagePrivateKey" });
  }
  if (data.otSecret !== undefined) {
    const apiKey = data.otApiKey ?? (current?.kind === "legacy" ? current.id : undefined);
    if (!apiKey) throw invalidArgument("otSecret needs otApiKey: this admin has no API key of their own yet.", { field: "otApiKey" });
    return { kind: "legacy", apiKey, apiSecret: data.otSecret };
  }
  if (data.otApiKey !== undefined && !(current?.kind === "legacy" && current.id === data.otApiKey)) {
    throw invalidArgument("A new otApiKey needs its otSecret.", { field: "otSecret" });
  }
  return undefined;
}

/**
 * Stores a new (or drops the) credential of `adminCredentials/{uid}` in a transaction over what is
 * stored then, so two updates at once never lose a credential: the one each replaces is the one
 * stored when it commits (not when it started, before its Vonage check). A replaced credential that
 * events still use is kept sealed under `retired`, so their tokens and archive/broadcast stops keep
 * working; retired ones no open event uses any more are dropped. The events are read after the
 * Vonage check, just before the commit.
 */
async function commitCredential(uid: string, next: VonageCredential | null, revision: number): Promise<void> {
  const events = await eventsOfAdmin(uid);
  // Sealed once (a fresh IV each time would make every transaction retry write another ciphertext).
  const sealedNext = next ? { ...sealedCredential(uid, next), updatedAt: revision } : null;
  // A later-numbered update committed its credential first: it is the one both nodes keep.
  const superseded = (stored: StoredCredentials | null) => (Number(stored?.updatedAt) || 0) >= revision;
  const result = await db()
    .ref(paths.adminCredentials(uid))
    .transaction(
      (stored: StoredCredentials | null) => (superseded(stored) ? undefined : storedAfter(stored, next, sealedNext, events, revision)),
      undefined,
      false,
    );
  if (!result.committed && !superseded(result.snapshot.val() as StoredCredentials | null)) {
    throw new Error("adminCredentials transaction did not commit");
  }
}

/** What `adminCredentials/{uid}` becomes when `next` replaces what is `stored` (pure). */
function storedAfter(
  stored: StoredCredentials | null,
  next: VonageCredential | null,
  sealedNext: SealedCredential | null,
  events: Awaited<ReturnType<typeof eventsOfAdmin>>,
  revision: number,
): StoredCredentials | { retired?: Record<string, SealedCredential>; updatedAt: number } {
  const currentRef = storedRef(stored);
  const nextRef = next ? credentialRef(next) : null;
  const candidates: Record<string, SealedCredential> = { ...(stored?.retired ?? {}) };
  if (stored && currentRef && !sameRef(currentRef, nextRef)) {
    const { retired: _previous, updatedAt: _revision, ...sealed } = stored;
    void _previous;
    void _revision;
    candidates[refKey(currentRef)] = { ...sealed, kind: currentRef.kind, id: currentRef.id, retiredAt: Date.now() };
  }
  if (nextRef) delete candidates[refKey(nextRef)];
  const retired = Object.keys(candidates).length ? retiredToKeep(candidates, events) : {};
  const keepRetired = Object.keys(retired).length ? { retired } : {};
  if (sealedNext) return { ...sealedNext, ...keepRetired };
  // No credential left: the node keeps this update's revision, so an older update cannot store one after it.
  return { ...keepRetired, updatedAt: revision };
}
