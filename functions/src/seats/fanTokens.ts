/**
 * A fan's other tokens: the stage publisher token once the producer brought them on stage, and the
 * embed flow's tokens by user type for the admin's current show.
 */
import { db } from "../platform/firebase";
import { paths } from "../contract/paths";
import { notFound, permissionDenied } from "../platform/errors";
import type { Caller } from "../platform/roles";
import { prefetchCredentials } from "../admins/tenants";
import { currentEventId } from "../events/store";
import { ownsFanId, fanJoin } from "./fanJoin";
import { refuseRemoved } from "../live/bans";
import {
  forgetEventIdentity,
  gateStatus,
  hostCelebTokens,
  identityForLogin,
  loginEvent,
  refuseNotOpen,
  signerFor,
  stagePublisher,
  type EventIdentity,
} from "./showTokens";

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

/**
 * A publisher token on stage, only for a fan the owner admin has moved on stage
 * (`activeBroadcasts/{adminId}/{fanUrl}/activeFans/{fanId}/isOnStage === true`, a flag only the server
 * sets: bringOnStage) and only for the caller's own presence key. Everything else is
 * permission-denied: a fan never publishes on stage on their own (docs/ibs-flaws.md#6).
 */
export async function stageFanTokens(caller: Caller, fanId: string) {
  const login = loginEvent(caller);
  if (!ownsFanId(caller.uid, fanId)) throw permissionDenied("fanId must be your own presence key.");
  prefetchCredentials(login.adminId);
  let identity = await identityForLogin(login);
  const [status, signer, onStageNow] = await Promise.all([
    gateStatus(login.eventId),
    signerFor(identity),
    onStage(identity, fanId),
    refuseRemoved(login.eventId, caller.uid),
  ]);
  refuseNotOpen(status);
  let allowed = onStageNow;
  if (!allowed) {
    // The cached fan slug may be stale (the event was renamed): check once more with a fresh read.
    forgetEventIdentity(login.eventId);
    identity = await identityForLogin(login);
    allowed = await onStage(identity, fanId);
  }
  if (!allowed) throw permissionDenied("Only the producer can bring you on stage; you are not on stage.");
  return stagePublisher(signer, identity, { uid: caller.uid, userType: "fan" }, status);
}

/**
 * The embed flow, for the admin's current show: `userType` must be the caller's own login role and
 * the login must be for that show (the caller can never pick a role: docs/ibs-flaws.md#6b). The same tokens
 * as createTokensFan / createTokenHostCeleb.
 */
export async function tokensByUserType(caller: Caller, adminId: string, userType: "fan" | "host" | "celebrity") {
  if (userType !== caller.role) throw permissionDenied(`Your login is as ${caller.role}; you cannot ask for ${userType} tokens.`);
  if (caller.adminId !== adminId) throw permissionDenied("Your login is for another admin's show.");
  const currentId = await currentEventId(adminId);
  if (!currentId) throw notFound("This admin has no show running.");
  if (currentId !== caller.eventId) throw permissionDenied("Your login is for another show than this admin's current one: log in again.");
  return userType === "fan" ? fanJoin(caller) : hostCelebTokens(caller, userType);
}
