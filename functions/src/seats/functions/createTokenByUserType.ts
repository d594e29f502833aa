/**
 * `createTokenByUserType` ({adminId, userType}; fan, host or celebrity): the embed flow, for the
 * admin's current show. `userType` must be the caller's own login role and the login must be for
 * that show: the caller can never pick a role (and `producer` is not even a valid input: docs/ibs-flaws.md#6b).
 * Delegates to the same code as createTokensFan / createTokenHostCeleb.
 */
import { validatedCallable } from "../../platform/callable";
import { VONAGE_CREDENTIAL_SECRETS } from "../../platform/config";
import { tokensByUserType } from "../fanTokens";
import type { CallableOutput } from "../../contract/callables";
import { seatInputs } from "../../contract/callables/seats";

export const createTokenByUserType = validatedCallable({
  name: "createTokenByUserType",
  input: seatInputs.createTokenByUserType,
  allow: ["fan", "host", "celebrity"],
  rateLimited: true,
  secrets: VONAGE_CREDENTIAL_SECRETS,
  handler: ({ adminId, userType }, caller): Promise<CallableOutput<"createTokenByUserType">> => tokensByUserType(caller, adminId, userType),
});
