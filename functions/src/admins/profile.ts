/** Reading one admin's profile: an admin their own, a superAdmin anyone's (never the secret half). */
import { notFound, permissionDenied } from "../platform/errors";
import { canManageAdmin, type Caller } from "../platform/roles";
import { publicAdminProfile, readAdmin, type AdminProfile } from "./records";

export async function adminProfileFor(caller: Caller, adminId: string): Promise<{ admin: AdminProfile }> {
  // Checked before the read, so a refusal says nothing about whether the id exists.
  if (!canManageAdmin(caller, adminId)) throw permissionDenied("An admin can only read their own profile.");
  const record = await readAdmin(adminId);
  if (!record) throw notFound("No admin with this id.");
  return { admin: publicAdminProfile(record) };
}
