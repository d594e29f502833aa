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
import { credentialFields, displayName, email, flagFields, ONE_CREDENTIAL_KIND, password } from "../input";
import { createAdminFrom } from "../create";
import { vonageCallbackSecret } from "../callbackSecret";
import { publicAdminProfile, readAdmin } from "../records";
import { createOnce, requestId } from "../../platform/idempotency";

const input = z
  .object({
    displayName,
    email,
    password,
    ...flagFields,
    ...credentialFields,
    vonageCallbackSecret: vonageCallbackSecret.optional(),
    requestId,
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
    message: ONE_CREDENTIAL_KIND,
    path: ["vonageApplicationId"],
  });

export const createAdmin = validatedCallable({
  name: "createAdmin",
  input,
  allow: ["superAdmin"],
  secrets: [tenantSecretKeys],
  // The credential check is one Vonage read retried up to 3 times (<= ~26 s at the default timeout).
  options: { timeoutSeconds: 60 },
  // A retry with the same requestId answers the admin the first call created.
  handler: ({ requestId: clientRequestId, ...data }, caller) =>
    createOnce(
      "createAdmin",
      caller.uid,
      clientRequestId,
      () => createAdminFrom(data),
      (created) => created.admin.id,
      async (id) => {
        const admin = await readAdmin(id);
        return admin ? { admin: publicAdminProfile(admin) } : null;
      },
    ),
});
