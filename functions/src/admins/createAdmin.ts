/**
 * `createAdmin` (superAdmin only): the Auth user, its claims, the profile and, when given, the admin's
 * own Vonage pair (checked with one authenticated read before anything is written; the secret is
 * sealed in the server-only `adminCredentials` node).
 */
import { z } from "zod";
import { validatedCallable } from "../lib/callable";
import { tenantSecretKeys } from "../lib/config";
import { createAdminAccount } from "../lib/adminStore";
import { publicAdminProfile } from "../lib/admins";
import { adminFields, authInputError, checkVonagePair, otApiKey, otSecret, password } from "../lib/adminInput";

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
  })
  .strict()
  .refine((value) => (value.otApiKey === undefined) === (value.otSecret === undefined), {
    message: "give both otApiKey and otSecret, or neither (the admin then uses the project-wide credentials)",
    path: ["otSecret"],
  });

export const createAdmin = validatedCallable({
  name: "createAdmin",
  input,
  allow: ["superAdmin"],
  secrets: [tenantSecretKeys],
  // The credential check is one Vonage read retried up to 3 times (<= ~26 s at the default timeout).
  options: { timeoutSeconds: 60 },
  handler: async (data) => {
    const credentials = data.otApiKey && data.otSecret ? { apiKey: data.otApiKey, apiSecret: data.otSecret } : undefined;
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

