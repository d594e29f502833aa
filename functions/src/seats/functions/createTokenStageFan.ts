/**
 * `createTokenStageFan` ({fanId}; fan): a publisher token on stage, only for a fan the owner admin has
 * moved on stage with bringOnStage (`activeBroadcasts/{adminId}/{fanUrl}/activeFans/{fanId}/isOnStage
 * === true`, a flag only the server sets) and only for the caller's own presence key. Everything else
 * is permission-denied: a fan never publishes on stage on their own (docs/ibs-flaws.md#6).
 */
import { validatedCallable } from "../../platform/callable";
import { VONAGE_CREDENTIAL_SECRETS } from "../../platform/config";
import { stageFanTokens } from "../fanTokens";
import type { CallableOutput } from "../../contract/callables";
import { seatInputs } from "../../contract/callables/seats";

export const createTokenStageFan = validatedCallable({
  name: "createTokenStageFan",
  input: seatInputs.createTokenStageFan,
  allow: ["fan"],
  rateLimited: true,
  secrets: VONAGE_CREDENTIAL_SECRETS,
  handler: ({ fanId }, caller): Promise<CallableOutput<"createTokenStageFan">> => stageFanTokens(caller, fanId),
});
