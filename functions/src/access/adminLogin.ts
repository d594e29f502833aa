/**
 * The admin login: the caller signed in with e-mail and password; refuse anyone who is not a
 * registered admin (IBS handed an admin token to any Firebase user, fans included) and make sure the
 * custom claims the rules and callables rely on match the admin record.
 */
import { adminAuth, db, SERVER_TIMESTAMP } from "../platform/firebase";
import { paths } from "../contract/paths";
import { permissionDenied } from "../platform/errors";
import type { Caller } from "../platform/roles";
import { adminClaims, publicAdminProfile, readAdmin, type AdminProfile } from "../admins/records";

export async function adminLogin(caller: Caller): Promise<{ admin: AdminProfile; refreshIdToken: boolean }> {
  const record = await readAdmin(caller.uid);
  if (!record) throw permissionDenied("This account is not a registered admin; ask a superAdmin to create one.");
  const claims = adminClaims(record);
  const claimsChanged = caller.role !== claims.role || caller.superAdmin !== claims.superAdmin;
  if (claimsChanged) await adminAuth().setCustomUserClaims(caller.uid, claims);
  await db().ref(paths.admin(caller.uid)).update({ lastLoginAt: SERVER_TIMESTAMP });
  // When the claims changed, the client must refresh its ID token (getIdToken(true)) before calling
  // admin functions: the token it holds still carries the old claims.
  return { admin: publicAdminProfile(record), refreshIdToken: claimsChanged };
}
