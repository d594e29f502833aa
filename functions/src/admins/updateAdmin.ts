/**
 * `updateAdmin` ({id, ...fields}): a superAdmin updates anyone, an admin only their own profile and
 * never their own `superAdmin` flag (IBS let any admin promote anyone: flaw 3).
 *
 * Credentials (IBS flaw 23): an omitted secret keeps the stored one; a new API key needs its secret;
 * a given pair is checked against Vonage before it is stored; empty strings are invalid input, and
 * `clearCredentials: true` is the one way to drop the admin's own pair (the project-wide params then
 * serve them). Auth profile changes are awaited (IBS flaw 24) before the record is written, so a
 * refused e-mail leaves the record untouched.
 */
import { z } from "zod";
import { validatedCallable } from "../lib/callable";
import { tenantSecretKeys } from "../lib/config";
import { failedPrecondition, invalidArgument, notFound, permissionDenied } from "../lib/errors";
import { adminAuth, db, SERVER_TIMESTAMP } from "../lib/firebase";
import { paths } from "../lib/paths";
import { id } from "../lib/schemas";
import { adminClaims, publicAdminProfile, type AdminRecord } from "../lib/admins";
import { credentialsPatch } from "../lib/adminStore";
import { forgetCredentials, type StoredCredentials } from "../lib/tenants";
import { adminFields, authInputError, checkVonagePair, otApiKey, otSecret, password } from "../lib/adminInput";

const input = z
  .object({
    id,
    displayName: adminFields.displayName.optional(),
    email: adminFields.email.optional(),
    password: password.optional(),
    superAdmin: adminFields.superAdmin.optional(),
    hls: adminFields.hls.optional(),
    httpSupport: adminFields.httpSupport.optional(),
    otApiKey: otApiKey.optional(),
    otSecret: otSecret.optional(),
    clearCredentials: z.literal(true).optional(),
  })
  .strict()
  .refine((value) => !(value.clearCredentials && (value.otApiKey !== undefined || value.otSecret !== undefined)), {
    message: "clearCredentials cannot come with otApiKey or otSecret",
    path: ["clearCredentials"],
  });

export const updateAdmin = validatedCallable({
  name: "updateAdmin",
  input,
  allow: ["admin"],
  secrets: [tenantSecretKeys],
  // The credential check is one Vonage read retried up to 3 times (<= ~26 s at the default timeout).
  options: { timeoutSeconds: 60 },
  handler: async (data, caller) => {
    const self = caller.uid === data.id;
    if (!caller.superAdmin && !self) throw permissionDenied("An admin can only update their own profile.");
    if (!caller.superAdmin && data.superAdmin !== undefined) throw permissionDenied("Only a superAdmin can change the superAdmin flag.");
    // A superAdmin demoting themselves could leave nobody able to manage admins.
    if (self && data.superAdmin === false) {
      throw failedPrecondition("A superAdmin cannot remove their own superAdmin flag; ask another superAdmin.");
    }

    const [recordSnap, credentialsSnap] = await Promise.all([
      db().ref(paths.admin(data.id)).once("value"),
      db().ref(paths.adminCredentials(data.id)).once("value"),
    ]);
    const record = recordSnap.val() as AdminRecord | null;
    if (!record) throw notFound("No admin with this id.");
    const stored = credentialsSnap.val() as StoredCredentials | null;

    // Decide the credential change before writing anything.
    let newPair: { apiKey: string; apiSecret: string } | null | undefined; // undefined: unchanged, null: drop
    if (data.clearCredentials) {
      newPair = null;
    } else if (data.otSecret !== undefined) {
      const apiKey = data.otApiKey ?? stored?.apiKey;
      if (!apiKey) throw invalidArgument("otSecret needs otApiKey: this admin has no API key of their own yet.", { field: "otApiKey" });
      newPair = { apiKey, apiSecret: data.otSecret };
    } else if (data.otApiKey !== undefined && data.otApiKey !== stored?.apiKey) {
      throw invalidArgument("A new otApiKey needs its otSecret.", { field: "otSecret" });
    }
    if (newPair) await checkVonagePair(newPair);

    const authChanges: { email?: string; displayName?: string; password?: string } = {};
    if (data.email !== undefined && data.email.toLowerCase() !== record.email) authChanges.email = data.email;
    if (data.displayName !== undefined && data.displayName !== record.displayName) authChanges.displayName = data.displayName;
    if (data.password !== undefined) authChanges.password = data.password;
    if (Object.keys(authChanges).length) {
      try {
        await adminAuth().updateUser(data.id, authChanges);
      } catch (error) {
        if ((error as { code?: string }).code === "auth/user-not-found") throw notFound("This admin has no Firebase Auth account.");
        throw authInputError(error) ?? error;
      }
    }

    const at = paths.admin(data.id);
    const patch: Record<string, unknown> = { [`${at}/updatedAt`]: SERVER_TIMESTAMP };
    if (data.displayName !== undefined) patch[`${at}/displayName`] = data.displayName;
    if (data.email !== undefined) patch[`${at}/email`] = data.email.toLowerCase();
    for (const flag of ["superAdmin", "hls", "httpSupport"] as const) {
      if (data[flag] !== undefined) patch[`${at}/${flag}`] = data[flag];
    }
    if (newPair === null) {
      patch[paths.adminCredentials(data.id)] = null;
      patch[`${at}/otApiKey`] = "";
      patch[`${at}/hasOwnCredentials`] = false;
    } else if (newPair) {
      Object.assign(patch, credentialsPatch(data.id, newPair));
      patch[`${at}/otApiKey`] = newPair.apiKey;
      patch[`${at}/hasOwnCredentials`] = true;
    }
    await db().ref().update(patch);
    if (newPair !== undefined) forgetCredentials(data.id);

    if (data.superAdmin !== undefined && data.superAdmin !== (record.superAdmin === true)) {
      await adminAuth().setCustomUserClaims(data.id, adminClaims({ superAdmin: data.superAdmin }));
      // A demoted superAdmin's session must not be renewed with the old claims.
      if (!data.superAdmin) await adminAuth().revokeRefreshTokens(data.id);
    }

    const updated = (await db().ref(at).once("value")).val() as AdminRecord;
    return { admin: publicAdminProfile(updated) };
  },
});
