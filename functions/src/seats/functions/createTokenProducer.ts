/**
 * `createTokenProducer` ({eventId}; the owner admin or a superAdmin): moderator tokens on both
 * sessions with connection data `producer`, the only way to get either (docs/ibs-flaws.md#6b). Signed with the
 * event owner's Vonage credentials, also when a superAdmin produces another admin's show.
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { VONAGE_CREDENTIAL_SECRETS } from "../../platform/config";
import { id } from "../../platform/schemas";
import { producerTokens } from "../showTokens";

export const createTokenProducer = validatedCallable({
  name: "createTokenProducer",
  input: z.object({ eventId: id }).strict(),
  allow: ["admin"],
  rateLimited: true,
  secrets: VONAGE_CREDENTIAL_SECRETS,
  handler: ({ eventId }, caller) => producerTokens(caller, eventId),
});
