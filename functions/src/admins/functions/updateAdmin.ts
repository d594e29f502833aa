/**
 * `updateAdmin` ({id, ...fields}): a superAdmin updates anyone, an admin only their own profile and
 * never their own `superAdmin` flag (IBS let any admin promote anyone: docs/ibs-flaws.md#3).
 *
 * Credentials (docs/ibs-flaws.md#23), either kind: an omitted secret or private key keeps the stored one; a
 * new API key or application id needs its secret or private key; a given credential is checked
 * against Vonage before it is stored; empty strings are invalid input, and `clearCredentials: true`
 * is the one way to drop the admin's own credential (the project-wide params then serve them).
 *
 * Switching credential never strands a show: events remember the credential that created their
 * sessions, and the replaced one stays sealed under `retired` while any of the admin's events that
 * is not closed still uses it (dropped by a later update once none does). Auth profile changes are awaited (docs/ibs-flaws.md#24) before the record is written, so a
 * refused e-mail leaves the record untouched.
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { tenantSecretKeys } from "../../platform/config";
import { id } from "../../platform/schemas";
import { credentialFields, displayName, email, flagFields, ONE_CREDENTIAL_KIND, password } from "../input";
import { updateAdminFor } from "../update";
import { vonageCallbackSecret } from "../callbackSecret";

const input = z
  .object({
    id,
    displayName: displayName.optional(),
    email: email.optional(),
    password: password.optional(),
    ...flagFields,
    ...credentialFields,
    clearCredentials: z.literal(true).optional(),
    vonageCallbackSecret: vonageCallbackSecret.optional(),
    clearVonageCallbackSecret: z.literal(true).optional(),
  })
  .strict()
  .refine((value) => !(value.clearVonageCallbackSecret && value.vonageCallbackSecret !== undefined), {
    message: "clearVonageCallbackSecret cannot come with vonageCallbackSecret",
    path: ["clearVonageCallbackSecret"],
  })
  .refine(
    (value) =>
      !(
        value.clearCredentials &&
        (value.otApiKey !== undefined ||
          value.otSecret !== undefined ||
          value.vonageApplicationId !== undefined ||
          value.vonagePrivateKey !== undefined)
      ),
    {
      message: "clearCredentials cannot come with otApiKey, otSecret, vonageApplicationId or vonagePrivateKey",
      path: ["clearCredentials"],
    },
  )
  .refine(
    (value) =>
      !(
        (value.otApiKey !== undefined || value.otSecret !== undefined) &&
        (value.vonageApplicationId !== undefined || value.vonagePrivateKey !== undefined)
      ),
    { message: ONE_CREDENTIAL_KIND, path: ["vonageApplicationId"] },
  );

export const updateAdmin = validatedCallable({
  name: "updateAdmin",
  input,
  allow: ["admin"],
  secrets: [tenantSecretKeys],
  // The credential check is one Vonage read retried up to 3 times (<= ~26 s at the default timeout).
  options: { timeoutSeconds: 60 },
  handler: (data, caller) => updateAdminFor(caller, data),
});
