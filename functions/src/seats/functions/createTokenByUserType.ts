/**
 * `createTokenByUserType` ({adminId, userType}; fan, host or celebrity): the embed flow, for the
 * admin's current show. `userType` must be the caller's own login role and the login must be for
 * that show: the caller can never pick a role (and `producer` is not even a valid input: IBS flaw 6b).
 * Delegates to the same code as createTokensFan / createTokenHostCeleb.
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { db } from "../../platform/firebase";
import { paths } from "../../platform/paths";
import { id } from "../../platform/schemas";
import { notFound, permissionDenied } from "../../platform/errors";
import { fanJoin } from "../fanJoin";
import { hostCelebTokens, TOKEN_SECRETS } from "../showTokens";

export const createTokenByUserType = validatedCallable({
  name: "createTokenByUserType",
  input: z.object({ adminId: id, userType: z.enum(["fan", "host", "celebrity"]) }).strict(),
  allow: ["fan", "host", "celebrity"],
  rateLimited: true,
  secrets: TOKEN_SECRETS,
  handler: async ({ adminId, userType }, caller) => {
    if (userType !== caller.role) throw permissionDenied(`Your login is as ${caller.role}; you cannot ask for ${userType} tokens.`);
    if (caller.adminId !== adminId) throw permissionDenied("Your login is for another admin's show.");
    const current = (await db().ref(paths.currentEvent(adminId)).get()).val() as { eventId?: string } | string | null;
    const currentId = typeof current === "string" ? current : current?.eventId;
    if (!currentId) throw notFound("This admin has no show running.");
    if (currentId !== caller.eventId) throw permissionDenied("Your login is for another show than this admin's current one: log in again.");
    return userType === "fan" ? fanJoin(caller) : hostCelebTokens(caller, userType);
  },
});
