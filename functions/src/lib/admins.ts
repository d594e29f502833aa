/** The admin record as stored, and the views of it that may leave the server. */
export interface AdminRecord {
  id: string;
  displayName: string;
  email: string;
  superAdmin: boolean;
  hls: boolean;
  httpSupport: boolean;
  otApiKey: string;
  /** True when the admin has their own Vonage secret stored (the secret itself never leaves). */
  hasOwnCredentials: boolean;
  createdAt: number;
  updatedAt: number;
  lastLoginAt?: number;
}

export type AdminProfile = Omit<AdminRecord, never>;

export function publicAdminProfile(record: AdminRecord): AdminProfile {
  return {
    id: record.id,
    displayName: record.displayName,
    email: record.email,
    superAdmin: record.superAdmin === true,
    hls: record.hls === true,
    httpSupport: record.httpSupport === true,
    otApiKey: record.otApiKey ?? "",
    hasOwnCredentials: record.hasOwnCredentials === true,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    ...(record.lastLoginAt ? { lastLoginAt: record.lastLoginAt } : {}),
  };
}

export function adminClaims(record: Pick<AdminRecord, "superAdmin">): { role: "admin"; superAdmin: boolean } {
  return { role: "admin", superAdmin: record.superAdmin === true };
}
