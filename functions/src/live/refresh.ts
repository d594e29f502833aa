/**
 * Token refresh: a participant whose tokens near their expiry gets fresh ones for the same role, seat
 * and show, without a second seat (no seat decision runs: the seat must already be theirs). Never for
 * a removed participant or a closed show. A fan on stage (the flag createTokenStageFan checks) gets a
 * stage publisher token again; anyone else the tokens they joined with.
 */
import { db } from "../platform/firebase";
import { failedPrecondition, permissionDenied } from "../platform/errors";
import { paths } from "../contract/paths";
import type { Caller } from "../platform/roles";
import { prefetchCredentials } from "../admins/tenants";
import { ownsFanId } from "../seats/fanJoin";
import {
  gateStatus,
  hostCelebTokens,
  identityForLogin,
  loginEvent,
  mintToken,
  refuseNotOpen,
  signerFor,
  tokenExpiry,
  type EventIdentity,
} from "../seats/showTokens";
import type { EventStatus } from "../events/model";
import { refuseRemoved } from "./bans";
import { holdsSeat } from "./seatLink";
import type { RefreshedTokens } from "../contract/callables/live";
// The shapes answered to clients are the contract's (contract/callables/live.ts)
export type { RefreshedTokens } from "../contract/callables/live";

async function onStage(identity: EventIdentity, fanId: string): Promise<boolean> {
  const record = paths.liveRecord(identity.adminId, identity.fanUrl);
  const [owner, flag] = await Promise.all([
    db().ref(`${record}/eventId`).once("value"),
    db().ref(`${record}/activeFans/${fanId}/isOnStage`).once("value"),
  ]);
  return owner.val() === identity.eventId && flag.val() === true;
}

export async function refreshTokens(caller: Caller, fanId?: string): Promise<RefreshedTokens> {
  const login = loginEvent(caller);
  await refuseRemoved(login.eventId, caller.uid);
  if (caller.role === "host" || caller.role === "celebrity") {
    const tokens = await hostCelebTokens(caller, caller.role);
    return { ...tokens, stageRole: "publisher" };
  }
  if (caller.role !== "fan")
    throw permissionDenied("refreshTokens is for fans, hosts and celebrities; the producer calls createTokenProducer.");
  if (fanId !== undefined && !ownsFanId(caller.uid, fanId)) throw permissionDenied("fanId must be your own presence key.");
  prefetchCredentials(login.adminId);
  const identity = await identityForLogin(login);
  const [status, seated, signer, staged] = await Promise.all([
    gateStatus(login.eventId),
    holdsSeat(login.eventId, caller.uid),
    signerFor(identity),
    fanId ? onStage(identity, fanId) : Promise.resolve(false),
  ]);
  refuseNotOpen(status);
  if (!seated) {
    throw failedPrecondition(
      "You hold no interactive seat any more (you left, or your connection dropped): call createTokensFan to join again.",
    );
  }
  const { expireTime, expiresAt } = tokenExpiry();
  const common = { uid: caller.uid, eventId: identity.eventId, expireTime };
  return {
    userType: "fan",
    eventId: identity.eventId,
    status: status as EventStatus,
    apiKey: signer.apiKey,
    stageSessionId: identity.stageSessionId,
    stageToken: mintToken(signer, {
      ...common,
      sessionId: identity.stageSessionId,
      role: staged ? "publisher" : "subscriber",
      userType: "fan",
    }),
    stageRole: staged ? "publisher" : "subscriber",
    sessionId: identity.sessionId,
    backstageToken: mintToken(signer, { ...common, sessionId: identity.sessionId, role: "publisher", userType: "backstageFan" }),
    expiresAt,
  };
}
