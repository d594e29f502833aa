/**
 * Creating and removing admin accounts: the Auth user, its claims, the profile and the sealed Vonage
 * secret. Shared by the admin callables and the superAdmin bootstrap command.
 */
import { adminAuth, db, SERVER_TIMESTAMP } from "./firebase";
import { paths } from "./paths";
import { adminClaims, type AdminRecord } from "./admins";
import { keyRingFrom, sealSecret } from "./secretBox";
import { tenantSecretKeys } from "./config";
import { forgetCredentials } from "./tenants";

export interface NewAdmin {
  displayName: string;
  email: string;
  password: string;
  superAdmin?: boolean;
  hls?: boolean;
  httpSupport?: boolean;
  /** Own Vonage project; when absent the project-wide credentials serve this admin. */
  credentials?: { apiKey: string; apiSecret: string };
}

/** The multi-path patch that stores (or replaces) an admin's Vonage credentials. */
export function credentialsPatch(uid: string, credentials: { apiKey: string; apiSecret: string }): Record<string, unknown> {
  return {
    [paths.adminCredentials(uid)]: {
      apiKey: credentials.apiKey,
      secret: sealSecret(keyRingFrom(tenantSecretKeys.value()), credentials.apiSecret, uid),
      updatedAt: SERVER_TIMESTAMP,
    },
  };
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

export async function writeAdminRecord(
  uid: string,
  input: Omit<NewAdmin, "password">,
  createdAt?: number,
): Promise<AdminRecord> {
  const record = {
    id: uid,
    displayName: input.displayName,
    email: input.email.toLowerCase(),
    superAdmin: input.superAdmin === true,
    hls: input.hls === true,
    httpSupport: input.httpSupport === true,
    otApiKey: input.credentials?.apiKey ?? "",
    hasOwnCredentials: Boolean(input.credentials),
    createdAt: createdAt ?? SERVER_TIMESTAMP,
    updatedAt: SERVER_TIMESTAMP,
  };
  const patch: Record<string, unknown> = { [paths.admin(uid)]: record };
  if (input.credentials) Object.assign(patch, credentialsPatch(uid, input.credentials));
  await adminAuth().setCustomUserClaims(uid, adminClaims(record));
  await db().ref().update(patch);
  forgetCredentials(uid);
  return (await db().ref(paths.admin(uid)).once("value")).val() as AdminRecord;
}

/**
 * The first superAdmin (nothing else can create one). Idempotent: an existing user with that e-mail
 * is promoted and keeps its uid; the password is only set for a new user.
 */
export async function ensureSuperAdmin(input: { email: string; password: string; displayName: string }): Promise<AdminRecord> {
  let uid: string;
  try {
    uid = (await adminAuth().getUserByEmail(input.email)).uid;
  } catch (error) {
    if ((error as { code?: string }).code !== "auth/user-not-found") throw error;
    uid = (await adminAuth().createUser({ email: input.email, password: input.password, displayName: input.displayName })).uid;
  }
  const existing = (await db().ref(paths.admin(uid)).once("value")).val() as AdminRecord | null;
  return writeAdminRecord(uid, {
    displayName: existing?.displayName ?? input.displayName,
    email: input.email,
    superAdmin: true,
    hls: existing?.hls ?? true,
    httpSupport: existing?.httpSupport ?? false,
  }, existing?.createdAt);
}
