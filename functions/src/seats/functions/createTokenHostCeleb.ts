/**
 * `createTokenHostCeleb` ({}; host or celebrity): a publisher token on the stage session of the event
 * in the caller's login, connection data `host` or `celebrity` from the login's role (never from input).
 */
import { validatedCallable } from "../../platform/callable";
import { VONAGE_CREDENTIAL_SECRETS } from "../../platform/config";
import { hostCelebTokens } from "../showTokens";
import type { CallableOutput } from "../../contract/callables";
import { seatInputs } from "../../contract/callables/seats";

export const createTokenHostCeleb = validatedCallable({
  name: "createTokenHostCeleb",
  input: seatInputs.createTokenHostCeleb,
  allow: ["host", "celebrity"],
  rateLimited: true,
  secrets: VONAGE_CREDENTIAL_SECRETS,
  handler: (_input, caller): Promise<CallableOutput<"createTokenHostCeleb">> =>
    hostCelebTokens(caller, caller.role as "host" | "celebrity"),
});
