/** The admin record as stored, its reads, and the views of it that may leave the server. */
import { db } from "../platform/firebase";
import { paths } from "../platform/paths";

export interface AdminRecord {
  id: string;
  displayName: string;
  email: string;
  superAdmin: boolean;
  hls: boolean;
  httpSupport: boolean;
  /** The admin's own legacy OpenTok API key ("" when they have none, or an application). */
  otApiKey: string;
  /** The admin's own Vonage application id ("" when they have none, or a legacy pair). */
  vonageApplicationId?: string;
  /** Which kind of credential the admin has of their own (null: the project-wide one serves them). */
  credentialKind?: "legacy" | "application" | null;
  /** True when the admin has their own Vonage credential stored (its secret half never leaves). */
  hasOwnCredentials: boolean;
  /** True when the admin has their own Vonage callback signing secret (admins/callbackSecret). */
  hasOwnCallbackSigning?: boolean;
  createdAt: number;
  updatedAt: number;
  lastLoginAt?: number;
}

/** The profile as answered: the record with the credential fields always present. */
export type AdminProfile = Omit<
  Required<Pick<AdminRecord, "vonageApplicationId" | "credentialKind" | "hasOwnCallbackSigning">> & AdminRecord,
  never
>;

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
