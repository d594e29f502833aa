/** The admin record as stored, its reads, and the views of it that may leave the server. */
import { db } from "../platform/firebase";
import { paths } from "../contract/paths";
import type { AdminRecord } from "../contract/records";
import type { AdminProfile } from "../contract/callables/admins";

// The stored record and the answered profile are the contract's.
export type { AdminRecord } from "../contract/records";
export type { AdminProfile } from "../contract/callables/admins";

export function publicAdminProfile(record: AdminRecord): AdminProfile {
  return {
    id: record.id,
    displayName: record.displayName,
    email: record.email,
    superAdmin: record.superAdmin === true,
    hls: record.hls === true,
    httpSupport: record.httpSupport === true,
    otApiKey: record.otApiKey ?? "",
    vonageApplicationId: record.vonageApplicationId ?? "",
    // Profiles written before applications existed: an own credential was a legacy pair.
    credentialKind: record.credentialKind ?? (record.hasOwnCredentials === true ? "legacy" : null),
    hasOwnCredentials: record.hasOwnCredentials === true,
    hasOwnCallbackSigning: record.hasOwnCallbackSigning === true,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    ...(record.lastLoginAt ? { lastLoginAt: record.lastLoginAt } : {}),
  };
}

export function adminClaims(record: Pick<AdminRecord, "superAdmin">): { role: "admin"; superAdmin: boolean } {
  return { role: "admin", superAdmin: record.superAdmin === true };
}

export async function readAdmin(adminId: string): Promise<AdminRecord | null> {
  return (await db().ref(paths.admin(adminId)).once("value")).val() as AdminRecord | null;
}

/** Every admin's public profile by uid. */
export async function allAdminProfiles(): Promise<Record<string, AdminProfile>> {
  const all = ((await db().ref(paths.admins()).once("value")).val() ?? {}) as Record<string, AdminRecord>;
  const admins: Record<string, AdminProfile> = {};
  for (const [uid, record] of Object.entries(all)) {
    if (record && typeof record === "object") admins[uid] = publicAdminProfile({ ...record, id: record.id ?? uid });
  }
  return admins;
}
