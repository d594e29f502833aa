/**
 * `createTokenProducer` ({eventId}; the owner admin or a superAdmin): moderator tokens on both
 * sessions with connection data `producer`, the only way to get either (docs/ibs-flaws.md#6b). Signed with the
 * event owner's Vonage credentials, also when a superAdmin produces another admin's show.
 */
import { validatedCallable } from "../../platform/callable";
import { VONAGE_CREDENTIAL_SECRETS } from "../../platform/config";
import { producerTokens } from "../showTokens";
import type { CallableOutput } from "../../contract/callables";
import { seatInputs } from "../../contract/callables/seats";

export const createTokenProducer = validatedCallable({
  name: "createTokenProducer",
  input: seatInputs.createTokenProducer,
  allow: ["admin"],
  rateLimited: true,
  secrets: VONAGE_CREDENTIAL_SECRETS,
  handler: ({ eventId }, caller): Promise<CallableOutput<"createTokenProducer">> => producerTokens(caller, eventId),
});
