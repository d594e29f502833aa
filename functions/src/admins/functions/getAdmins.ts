/**
 * `getAdmins` (superAdmin only): every admin's profile by uid, through the same public view as
 * `getAdmin` (no secret, no ciphertext: docs/ibs-flaws.md#7).
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { allAdminProfiles } from "../records";

export const getAdmins = validatedCallable({
  name: "getAdmins",
  input: z.object({}).strict(),
  allow: ["superAdmin"],
  handler: async () => ({ admins: await allAdminProfiles() }),
});
