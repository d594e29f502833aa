/**
 * `getAdmin` ({id}): an admin reads their own profile, a superAdmin anyone's. The profile view never
 * carries the Vonage secret or its ciphertext (IBS returned both: docs/ibs-flaws.md#7).
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { id } from "../../platform/schemas";
import { adminProfileFor } from "../profile";

export const getAdmin = validatedCallable({
  name: "getAdmin",
  input: z.object({ id }).strict(),
  allow: ["admin"],
  handler: (data, caller) => adminProfileFor(caller, data.id),
});
