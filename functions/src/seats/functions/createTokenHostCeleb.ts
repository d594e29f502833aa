/**
 * `createTokenHostCeleb` ({}; host or celebrity): a publisher token on the stage session of the event
 * in the caller's login, connection data `host` or `celebrity` from the login's role (never from input).
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { VONAGE_CREDENTIAL_SECRETS } from "../../platform/config";
import { hostCelebTokens } from "../showTokens";

export const createTokenHostCeleb = validatedCallable({
  name: "createTokenHostCeleb",
  input: z.object({}).strict(),
  allow: ["host", "celebrity"],
  rateLimited: true,
  secrets: VONAGE_CREDENTIAL_SECRETS,
  handler: (_input, caller) => hostCelebTokens(caller, caller.role as "host" | "celebrity"),
});
