/**
 * Which Vonage credentials act for an admin: their own (key + sealed secret in the server-only
 * `adminCredentials` node), else the project-wide params. Opened credentials are cached per instance
 * for a short time so the token path does not read and decrypt them on every call; a rotated secret
 * takes effect within CREDENTIALS_TTL_MS on every instance (at once on the instance that rotated it).
 */
import { db } from "./firebase";
import { paths } from "./paths";
import { tenantSecretKeys, vonageApiKey, vonageApiSecret } from "./config";
import { keyRingFrom, openSecret } from "./secretBox";
import { failedPrecondition } from "./errors";

export interface TenantCredentials {
  apiKey: string;
  apiSecret: string;
}

export interface StoredCredentials {
  apiKey: string;
  secret: string;
  updatedAt?: number;
}

export const CREDENTIALS_TTL_MS = 60_000;
const cache = new Map<string, { at: number; value: TenantCredentials }>();

export async function tenantCredentials(adminId: string, now = Date.now()): Promise<TenantCredentials> {
  const hit = cache.get(adminId);
  if (hit && now - hit.at < CREDENTIALS_TTL_MS) return hit.value;
  const stored = (await db().ref(paths.adminCredentials(adminId)).once("value")).val() as StoredCredentials | null;
  const value = credentialsFrom(adminId, stored);
  cache.set(adminId, { at: now, value });
  return value;
}

export function credentialsFrom(adminId: string, stored: StoredCredentials | null): TenantCredentials {
  if (stored?.apiKey && stored.secret) {
    return { apiKey: stored.apiKey, apiSecret: openSecret(keyRingFrom(tenantSecretKeys.value()), stored.secret, adminId) };
  }
  const apiKey = vonageApiKey.value();
  const apiSecret = vonageApiSecret.value();
  if (apiKey && apiSecret) return { apiKey, apiSecret };
  throw failedPrecondition(
    "No Vonage credentials: give this admin an API key and secret (updateAdmin) or set VONAGE_API_KEY and VONAGE_API_SECRET.",
  );
}

/** Called after an admin's credentials change so this instance stops using the old ones at once. */
export function forgetCredentials(adminId: string): void {
  cache.delete(adminId);
}
