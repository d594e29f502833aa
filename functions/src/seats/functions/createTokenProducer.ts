/**
 * `createTokenProducer` ({eventId}; the owner admin or a superAdmin): moderator tokens on both
 * sessions with connection data `producer`, the only way to get either (IBS flaw 6b). Signed with the
 * event owner's Vonage credentials, also when a superAdmin produces another admin's show.
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { id } from "../../platform/schemas";
import { notFound, permissionDenied } from "../../platform/errors";
import { eventIdentity, gateStatus, mintToken, refuseClosed, signerFor, tokenExpiry, TOKEN_SECRETS } from "../showTokens";
import type { EventStatus } from "../../events/model";

export const createTokenProducer = validatedCallable({
  name: "createTokenProducer",
  input: z.object({ eventId: id }).strict(),
  allow: ["admin"],
  rateLimited: true,
  secrets: TOKEN_SECRETS,
  handler: async ({ eventId }, caller) => {
    const [identity, status] = await Promise.all([eventIdentity(eventId), gateStatus(eventId)]);
    if (!identity) throw notFound("No such event.");
    if (identity.adminId !== caller.uid && !caller.superAdmin)
      throw permissionDenied("Only the event's owner (or a superAdmin) produces this show.");
    refuseClosed(status);
    const signer = await signerFor(identity);
    const { expireTime, expiresAt } = tokenExpiry();
    const common = { userType: "producer" as const, uid: caller.uid, eventId, expireTime, role: "moderator" as const };
    return {
      eventId,
      status: status as EventStatus,
      apiKey: signer.apiKey,
      sessionId: identity.sessionId,
      stageSessionId: identity.stageSessionId,
      backstageToken: mintToken(signer, { ...common, sessionId: identity.sessionId }),
      stageToken: mintToken(signer, { ...common, sessionId: identity.stageSessionId }),
      expiresAt,
    };
  },
});
