/**
 * `refreshTokens({fanId?})`: fresh tokens before the old ones expire, for the same role, seat and show
 * (fan, host or celebrity; no second seat: a fan must still hold theirs). A fan on stage (give your
 * `fanId`) gets a stage publisher token again. Refused after the producer removed you or the show
 * closed.
 */
import { validatedCallable } from "../../platform/callable";
import { VONAGE_CREDENTIAL_SECRETS } from "../../platform/config";
import { refreshTokens as refresh } from "../refresh";
import type { CallableOutput } from "../../contract/callables";
import { liveInputs } from "../../contract/callables/live";

export const refreshTokens = validatedCallable({
  name: "refreshTokens",
  input: liveInputs.refreshTokens,
  allow: ["fan", "host", "celebrity"],
  rateLimited: true,
  secrets: VONAGE_CREDENTIAL_SECRETS,
  handler: ({ fanId }, caller): Promise<CallableOutput<"refreshTokens">> => refresh(caller, fanId),
});
