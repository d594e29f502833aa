/**
 * The fan join, the product's hot path: the seat decision (./gate), then tokens for a seated fan.
 * Warm, it is one database write (the transaction on one seat shard) plus local signing, and an HLS
 * answer no write at all; cold, the event identity and the tenant's credentials are read in parallel
 * with the seat decision, not before it.
 */
import { admitFan, releaseClaim, type HlsReason } from "./gate";
import { prefetchCredentials } from "../admins/tenants";
import { noteLiveRecord } from "./counters";
import { forgetEventIdentity, identityForLogin, loginEvent, mintToken, signerFor, tokenExpiry } from "./showTokens";
import { failedPrecondition, notFound, permissionDenied } from "../platform/errors";
import type { Caller } from "../platform/roles";
import type { EventStatus } from "../events/model";
import { refuseRemoved } from "../live/bans";
import { offerRef } from "./offers";

export interface InteractiveAnswer {
  mode: "interactive";
  /** True when the fan already held a seat (a reload or a second tab): still one seat. */
  keptSeat: boolean;
  eventId: string;
  status: EventStatus;
  apiKey: string;
  /** The session each token is for: the client SDK needs it to connect (the token carries it too). */
  sessionId: string;
  stageSessionId: string;
  /** Publisher on backstage (getting in line), connection data `backstageFan`. */
  backstageToken: string;
  /** Subscriber on stage: a fan cannot publish on stage with it. Its connection confirms the seat. */
  stageToken: string;
  /** Where the seat is held: register `onDisconnect(ref(db, seatPath)).remove()` right away; `remove()` to leave. */
  seatPath: string;
  expiresAt: number;
}

export interface HlsAnswer {
  mode: "hls";
  reason: HlsReason;
  message: string;
  eventId: string;
  status: EventStatus;
  /** Null until the broadcast runs (it starts when the show goes live). */
  hlsUrl: string | null;
}

export interface FullAnswer {
  mode: "full";
  reason: HlsReason;
  message: string;
  eventId: string;
  status: EventStatus;
}

export type FanAnswer = InteractiveAnswer | HlsAnswer | FullAnswer;

/** A presence key belongs to the fan when it is their uid or `<uid>-<anything>` (web tabs). */
export function ownsFanId(uid: string, fanId: string): boolean {
  return fanId === uid || fanId.startsWith(`${uid}-`);
}

export async function fanJoin(caller: Caller, fanId?: string): Promise<FanAnswer> {
  const login = loginEvent(caller);
  if (fanId !== undefined && !ownsFanId(caller.uid, fanId))
    throw permissionDenied("fanId must be your own presence key (your uid, or your uid followed by '-').");
  const admission = admitFan(login.eventId, { uid: caller.uid, adminId: login.adminId, fanId });
  // Started together with the transaction; on a warm instance both answer from memory.
  prefetchCredentials(login.adminId);
  const identity = identityForLogin(login);
  const signer = identity.then(signerFor);
  // The live record's place, for the batched approximate counts (./counters).
  identity.then((event) => noteLiveRecord(event.eventId, event.adminId, event.fanUrl)).catch(() => undefined);
  signer.catch(() => undefined);
  // Read beside the seat transaction; a removed fan's claim is given back below.
  const removal = refuseRemoved(login.eventId, caller.uid);
  removal.catch(() => undefined);
  const { decision, seatPath, shard, taken } = await admission;
  try {
    await removal;
  } catch (error) {
    if (seatPath) await releaseClaim(seatPath).catch(() => undefined);
    throw error;
  }
  // The seat offered to this fan (./offers) is theirs now: the offer is used up.
  if (taken) await offerRef(login.eventId, caller.uid).remove();

  switch (decision.kind) {
    case "missing":
      forgetEventIdentity(login.eventId);
      throw notFound("This event does not exist (any more).");
    case "otherAdmin":
      throw permissionDenied("Your login is for another admin's event.");
    case "notOpen":
      if (decision.status === "closed") throw failedPrecondition("This show has ended.", { status: decision.status });
      throw failedPrecondition("This show has not opened yet: fans can join from preshow on.", { status: decision.status });
    case "hls":
      return {
        mode: "hls",
        reason: decision.reason,
        message:
          (decision.reason === "seatsFull"
            ? "All interactive seats are taken: watch the HLS stream."
            : "This show has no interactive seats: watch the HLS stream.") +
          (decision.hlsUrl ? "" : " The stream is not ready yet (it starts when the show goes live); ask again or poll getBroadcastData."),
        eventId: login.eventId,
        status: decision.status,
        hlsUrl: decision.hlsUrl,
      };
    case "full":
      return {
        mode: "full",
        reason: decision.reason,
        message:
          decision.reason === "seatsFull"
            ? "All interactive seats are taken and this show has no HLS stream; try again later."
            : "This show has no interactive seats and no HLS stream.",
        eventId: login.eventId,
        status: decision.status,
      };
    case "interactive":
      break;
  }
  try {
    const [event, tokenSigner] = await Promise.all([identity, signer]);
    const { expireTime, expiresAt } = tokenExpiry();
    const common = { uid: caller.uid, eventId: event.eventId, expireTime };
    return {
      mode: "interactive",
      keptSeat: decision.kept,
      eventId: event.eventId,
      status: decision.status,
      apiKey: tokenSigner.apiKey,
      sessionId: event.sessionId,
      stageSessionId: event.stageSessionId,
      backstageToken: mintToken(tokenSigner, { ...common, sessionId: event.sessionId, role: "publisher", userType: "backstageFan" }),
      // The stage token carries the claim: its connectionCreated callback confirms the seat (./confirm).
      stageToken: mintToken(tokenSigner, {
        ...common,
        sessionId: event.stageSessionId,
        role: "subscriber",
        userType: "fan",
        seat: `${shard as string}/${decision.claimId}`,
      }),
      seatPath: seatPath as string,
      expiresAt,
    };
  } catch (error) {
    // No tokens, no seat: give the claim back so a failure never leaks a seat.
    await releaseClaim(seatPath as string).catch(() => undefined);
    throw error;
  }
}
