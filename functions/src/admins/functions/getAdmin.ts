/**
 * `getAdmin` ({id}): an admin reads their own profile, a superAdmin anyone's. The profile view never
 * carries the Vonage secret or its ciphertext (IBS returned both: flaw 7).
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { notFound, permissionDenied } from "../../platform/errors";
import { db } from "../../platform/firebase";
import { paths } from "../../platform/paths";
import { id } from "../../platform/schemas";
import { canManageAdmin } from "../../platform/roles";
import { publicAdminProfile, type AdminRecord } from "../records";

export const getAdmin = validatedCallable({
  name: "getAdmin",
  input: z.object({ id }).strict(),
  allow: ["admin"],
  handler: async (data, caller) => {
    // Checked before the read, so a refusal says nothing about whether the id exists.
    if (!canManageAdmin(caller, data.id)) throw permissionDenied("An admin can only read their own profile.");
    const record = (await db().ref(paths.admin(data.id)).once("value")).val() as AdminRecord | null;
    if (!record) throw notFound("No admin with this id.");
    return { admin: publicAdminProfile(record) };
  },
});
