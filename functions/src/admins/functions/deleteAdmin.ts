/**
 * `deleteAdmin` ({id}; superAdmin only, never yourself): removes the admin and everything that hangs
 * off them, so nothing is left orphaned (IBS left images, live records and the secret behind).
 *
 * Order, chosen so that a retry after any failure finishes the job (every step tolerates "already
 * gone"):
 *   1. disable the Auth user and revoke its refresh tokens (no new sessions while we clean up);
 *   2. stop on Vonage what still runs for the admin's events (best effort; needs the admin's
 *      credentials, so before they are deleted);
 *   3. delete the images (best effort);
 *   4. one atomic multi-path update removes the profile, the sealed secret, every event and every node
 *      derived from one (repeated if an event appeared meanwhile);
 *   5. delete the Auth user.
 */
import { validatedCallable } from "../../platform/callable";
import { VONAGE_CREDENTIAL_SECRETS } from "../../platform/config";
import { deleteAdminEverywhere } from "../removal";
import type { CallableOutput } from "../../contract/callables";
import { adminCallableInputs } from "../callableInputs";

export const deleteAdmin = validatedCallable({
  name: "deleteAdmin",
  input: adminCallableInputs.deleteAdmin,
  allow: ["superAdmin"],
  secrets: VONAGE_CREDENTIAL_SECRETS,
  // Vonage stops are retried with backoff; leave room for them.
  options: { timeoutSeconds: 300 },
  handler: (data, caller): Promise<CallableOutput<"deleteAdmin">> => deleteAdminEverywhere(caller, data.id),
});
