/**
 * `createTokenStageFan` ({fanId}; fan): a publisher token on stage, only for a fan the owner admin has
 * moved on stage (`activeBroadcasts/{adminId}/{fanUrl}/activeFans/{fanId}/isOnStage === true`, a flag
 * the rules let only the owner admin set) and only for the caller's own presence key. Everything else
 * is permission-denied: a fan never publishes on stage on their own (IBS flaw 6).
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { db } from "../../platform/firebase";
import { paths } from "../../platform/paths";
import { id } from "../../platform/schemas";
import { permissionDenied } from "../../platform/errors";
import { ownsFanId } from "../fanJoin";
import { prefetchCredentials } from "../../admins/tenants";
import {
  forgetEventIdentity,
  gateStatus,
  identityForLogin,
  loginEvent,
  mintToken,
  refuseNotOpen,
  signerFor,
  tokenExpiry,
  TOKEN_SECRETS,
  type EventIdentity,
} from "../showTokens";
import type { EventStatus } from "../../events/model";

async function onStage(identity: EventIdentity, fanId: string): Promise<boolean> {
  const record = paths.liveRecord(identity.adminId, identity.fanUrl);
  const [recordEvent, flag] = await Promise.all([
    db().ref(`${record}/eventId`).get(),
    db().ref(`${record}/activeFans/${fanId}/isOnStage`).get(),
  ]);
  // The fan slug is freed when a show closes: the record at this path must be this event's.
  if (recordEvent.val() !== identity.eventId) return false;
  return flag.val() === true;
}

export const createTokenStageFan = validatedCallable({
  name: "createTokenStageFan",
  input: z.object({ fanId: id }).strict(),
  allow: ["fan"],
  rateLimited: true,
  secrets: TOKEN_SECRETS,
  handler: async ({ fanId }, caller) => {
    const login = loginEvent(caller);
    if (!ownsFanId(caller.uid, fanId)) throw permissionDenied("fanId must be your own presence key.");
    prefetchCredentials(login.adminId);
    let identity = await identityForLogin(login);
    const [status, signer, onStageNow] = await Promise.all([gateStatus(login.eventId), signerFor(identity), onStage(identity, fanId)]);
    refuseNotOpen(status);
    let allowed = onStageNow;
    if (!allowed) {
      // The cached fan slug may be stale (the event was renamed): check once more with a fresh read.
      forgetEventIdentity(login.eventId);
      identity = await identityForLogin(login);
      allowed = await onStage(identity, fanId);
    }
    if (!allowed) throw permissionDenied("Only the producer can bring you on stage; you are not on stage.");
    const { expireTime, expiresAt } = tokenExpiry();
    return {
      eventId: identity.eventId,
      status: status as EventStatus,
      apiKey: signer.apiKey,
      stageSessionId: identity.stageSessionId,
      stageToken: mintToken(signer, {
        sessionId: identity.stageSessionId,
        role: "publisher",
        userType: "fan",
        uid: caller.uid,
        eventId: identity.eventId,
        expireTime,
      }),
      expiresAt,
    };
  },
});
