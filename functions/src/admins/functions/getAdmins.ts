/**
 * `getAdmins` (superAdmin only): every admin's profile by uid, through the same public view as
 * `getAdmin` (no secret, no ciphertext: IBS flaw 7).
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { db } from "../../platform/firebase";
import { paths } from "../../platform/paths";
import { publicAdminProfile, type AdminProfile, type AdminRecord } from "../records";

export const getAdmins = validatedCallable({
  name: "getAdmins",
  input: z.object({}).strict(),
  allow: ["superAdmin"],
  handler: async () => {
    const all = ((await db().ref(paths.admins()).once("value")).val() ?? {}) as Record<string, AdminRecord>;
    const admins: Record<string, AdminProfile> = {};
    for (const [uid, record] of Object.entries(all)) {
      if (record && typeof record === "object") admins[uid] = publicAdminProfile({ ...record, id: record.id ?? uid });
    }
    return { admins };
  },
});
