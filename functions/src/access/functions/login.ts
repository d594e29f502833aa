/**
 * `login`: the caller signed in with e-mail and password; refuse anyone who is not a registered admin
 * (IBS handed an admin token to any Firebase user, fans included) and make sure the custom claims the
 * rules and callables rely on match the admin record.
 */
import { validatedCallable } from "../../platform/callable";
import { adminLogin } from "../adminLogin";
import type { CallableOutput } from "../../contract/callables";
import { accessInputs } from "../../contract/callables/access";

export const login = validatedCallable({
  name: "login",
  input: accessInputs.login,
  allow: "signedIn",
  rateLimited: true,
  handler: (_input, caller): Promise<CallableOutput<"login">> => adminLogin(caller),
});
