/**
 * `getAdmins` (superAdmin only): every admin's profile by uid, through the same public view as
 * `getAdmin` (no secret, no ciphertext: docs/ibs-flaws.md#7).
 */
import { validatedCallable } from "../../platform/callable";
import { allAdminProfiles } from "../records";
import type { CallableOutput } from "../../contract/callables";
import { adminCallableInputs } from "../callableInputs";

export const getAdmins = validatedCallable({
  name: "getAdmins",
  input: adminCallableInputs.getAdmins,
  allow: ["superAdmin"],
  handler: async (): Promise<CallableOutput<"getAdmins">> => ({ admins: await allAdminProfiles() }),
});
