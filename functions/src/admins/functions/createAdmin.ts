/**
 * `createAdmin` (superAdmin only): the Auth user, its claims, the profile and, when given, the admin's
 * own Vonage credential: a Vonage application (`vonageApplicationId` + `vonagePrivateKey`, what new
 * Vonage customers have) or a legacy OpenTok pair (`otApiKey` + `otSecret`). It is checked with one
 * authenticated read before anything is written; its secret half is sealed in the server-only
 * `adminCredentials` node and never answered.
 */
import { validatedCallable } from "../../platform/callable";
import { tenantSecretKeys } from "../../platform/config";
import { createAdminFrom } from "../create";
import { publicAdminProfile, readAdmin } from "../records";
import { createOnce } from "../../platform/idempotency";
import type { CallableOutput } from "../../contract/callables";
import { adminCallableInputs } from "../callableInputs";

export const createAdmin = validatedCallable({
  name: "createAdmin",
  input: adminCallableInputs.createAdmin,
  allow: ["superAdmin"],
  secrets: [tenantSecretKeys],
  // The credential check is one Vonage read retried up to 3 times (<= ~26 s at the default timeout).
  options: { timeoutSeconds: 60 },
  // A retry with the same requestId answers the admin the first call created.
  handler: ({ requestId: clientRequestId, ...data }, caller): Promise<CallableOutput<"createAdmin">> =>
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
