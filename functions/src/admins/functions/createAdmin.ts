/**
 * `createAdmin` (superAdmin only): the Auth user, its claims, the profile and, when given, the admin's
 * own Vonage credential: a Vonage application (`vonageApplicationId` + `vonagePrivateKey`, what new
 * Vonage customers have) or a legacy OpenTok pair (`otApiKey` + `otSecret`). It is checked with one
 * authenticated read before anything is written; its secret half is sealed in the server-only
 * `adminCredentials` node and never answered.
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { tenantSecretKeys } from "../../platform/config";
import { createAdminAccount } from "../store";
import { publicAdminProfile } from "../records";
import {
  adminFields,
  authInputError,
  checkVonagePair,
  otApiKey,
  otSecret,
  password,
  vonageApplicationId,
  vonagePrivateKey,
} from "../input";
import type { VonageCredential } from "../../platform/vonage/credentials";

const input = z
  .object({
    displayName: adminFields.displayName,
    email: adminFields.email,
    password,
    superAdmin: adminFields.superAdmin.optional(),
    hls: adminFields.hls.optional(),
    httpSupport: adminFields.httpSupport.optional(),
    otApiKey: otApiKey.optional(),
    otSecret: otSecret.optional(),
    vonageApplicationId: vonageApplicationId.optional(),
    vonagePrivateKey: vonagePrivateKey.optional(),
  })
  .strict()
  .refine((value) => (value.otApiKey === undefined) === (value.otSecret === undefined), {
    message: "give both otApiKey and otSecret, or neither (the admin then uses the project-wide credentials)",
    path: ["otSecret"],
  })
  .refine((value) => (value.vonageApplicationId === undefined) === (value.vonagePrivateKey === undefined), {
    message: "give both vonageApplicationId and vonagePrivateKey, or neither (the admin then uses the project-wide credentials)",
    path: ["vonagePrivateKey"],
  })
  .refine((value) => value.otApiKey === undefined || value.vonageApplicationId === undefined, {
    message:
      "give one credential: a Vonage application (vonageApplicationId + vonagePrivateKey) or a legacy pair (otApiKey + otSecret), not both",
    path: ["vonageApplicationId"],
  });

export const createAdmin = validatedCallable({
  name: "createAdmin",
  input,
  allow: ["superAdmin"],
  secrets: [tenantSecretKeys],
  // The credential check is one Vonage read retried up to 3 times (<= ~26 s at the default timeout).
  options: { timeoutSeconds: 60 },
  handler: async (data) => {
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
      });
      return { admin: publicAdminProfile(record) };
    } catch (error) {
      throw authInputError(error) ?? error;
    }
  },
});
