/**
 * `login`: the caller signed in with e-mail and password; refuse anyone who is not a registered admin
 * (IBS handed an admin token to any Firebase user, fans included) and make sure the custom claims the
 * rules and callables rely on match the admin record.
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { adminLogin } from "../adminLogin";

export const login = validatedCallable({
  name: "login",
  input: z.object({}).strict(),
  allow: "signedIn",
  rateLimited: true,
  handler: (_input, caller) => adminLogin(caller),
});
