/**
 * `getAdmin` ({id}): an admin reads their own profile, a superAdmin anyone's. The profile view never
 * carries the Vonage secret or its ciphertext (IBS returned both: docs/ibs-flaws.md#7).
 */
import { validatedCallable } from "../../platform/callable";
import { adminProfileFor } from "../profile";
import type { CallableOutput } from "../../contract/callables";
import { adminCallableInputs } from "../callableInputs";

export const getAdmin = validatedCallable({
  name: "getAdmin",
  input: adminCallableInputs.getAdmin,
  allow: ["admin"],
  handler: (data, caller): Promise<CallableOutput<"getAdmin">> => adminProfileFor(caller, data.id),
});
