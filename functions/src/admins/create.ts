/**
 * Creating an admin from createAdmin's input: the admin's own credential, when given, is checked
 * against Vonage before anything is written (a refused one is never stored), then the account is
 * made (./store). Auth refusals of the e-mail or password are the caller's mistake, not internal.
 */
import type { VonageCredential } from "../platform/vonage/credentials";
import { publicAdminProfile, type AdminProfile } from "./records";
import { authInputError, checkVonagePair } from "./input";
import { createAdminAccount, type NewAdmin } from "./store";

export interface NewAdminInput extends Omit<NewAdmin, "credentials" | "callbackSecret"> {
  vonageCallbackSecret?: string;
  otApiKey?: string;
  otSecret?: string;
  vonageApplicationId?: string;
  vonagePrivateKey?: string;
}

export async function createAdminFrom(data: NewAdminInput): Promise<{ admin: AdminProfile }> {
  const credentials: VonageCredential | undefined =
    data.vonageApplicationId && data.vonagePrivateKey
      ? { kind: "application", applicationId: data.vonageApplicationId, privateKey: data.vonagePrivateKey }
      : data.otApiKey && data.otSecret
        ? { kind: "legacy", apiKey: data.otApiKey, apiSecret: data.otSecret }
        : undefined;
  if (credentials) await checkVonagePair(credentials);
  try {
    const record = await createAdminAccount({
      displayName: data.displayName,
      email: data.email,
      password: data.password,
      superAdmin: data.superAdmin,
      hls: data.hls,
      httpSupport: data.httpSupport,
      credentials,
      callbackSecret: data.vonageCallbackSecret,
    });
    return { admin: publicAdminProfile(record) };
  } catch (error) {
    throw authInputError(error) ?? error;
  }
}
