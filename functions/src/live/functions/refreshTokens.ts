/**
 * `refreshTokens({fanId?})`: fresh tokens before the old ones expire, for the same role, seat and show
 * (fan, host or celebrity; no second seat: a fan must still hold theirs). A fan on stage (give your
 * `fanId`) gets a stage publisher token again. Refused after the producer removed you or the show
 * closed.
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { VONAGE_CREDENTIAL_SECRETS } from "../../platform/config";
import { id } from "../../platform/schemas";
import { refreshTokens as refresh } from "../refresh";

export const refreshTokens = validatedCallable({
  name: "refreshTokens",
  input: z.object({ fanId: id.optional() }).strict(),
  allow: ["fan", "host", "celebrity"],
  rateLimited: true,
  secrets: VONAGE_CREDENTIAL_SECRETS,
  handler: ({ fanId }, caller) => refresh(caller, fanId),
});
