/**
 * Who is calling, read from the ID token's claims only: login functions put `role`, `adminId` and
 * `eventId` into the custom token, so role checks need no database read.
 */
export type Role = "superAdmin" | "admin" | "host" | "celebrity" | "fan";

export interface Caller {
  uid: string;
  /** The role claim; undefined for users that never went through a login function. */
  role?: "admin" | "host" | "celebrity" | "fan";
  superAdmin: boolean;
  /** For fans, host and celebrity: the admin whose event they logged in to. */
  adminId?: string;
  eventId?: string;
  anonymous: boolean;
}

interface AuthLike {
  uid: string;
  token: Record<string, unknown>;
}

const CLAIM_ROLES = new Set(["admin", "host", "celebrity", "fan"]);

export function callerFrom(auth: AuthLike | undefined | null): Caller | null {
  if (!auth || typeof auth.uid !== "string" || auth.uid.length === 0) return null;
  const token = auth.token ?? {};
  const role = typeof token.role === "string" && CLAIM_ROLES.has(token.role) ? (token.role as Caller["role"]) : undefined;
  const provider = (token.firebase as { sign_in_provider?: string } | undefined)?.sign_in_provider;
  return {
    uid: auth.uid,
    role,
    superAdmin: role === "admin" && token.superAdmin === true,
    adminId: typeof token.adminId === "string" ? token.adminId : undefined,
    eventId: typeof token.eventId === "string" ? token.eventId : undefined,
    anonymous: provider === "anonymous",
  };
}

export function hasRole(caller: Caller, role: Role): boolean {
  if (role === "superAdmin") return caller.superAdmin;
  return caller.role === role;
}

/** An admin acts on their own things; a superAdmin on everyone's. */
export function canManageAdmin(caller: Caller, adminId: string): boolean {
  return caller.superAdmin || (caller.role === "admin" && caller.uid === adminId);
}
