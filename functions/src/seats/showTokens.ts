/**
 * Vonage client tokens for a show's participants: who gets which role on which session, with
 * connection data set here only (docs/ibs-flaws.md#6b) and an expiry tied to the show.
 *
 * | participant   | backstage session              | stage session                          |
 * | ------------- | ------------------------------ | -------------------------------------- |
 * | producer      | moderator, `producer`          | moderator, `producer`                  |
 * | host/celebrity| -                              | publisher, `host` / `celebrity`        |
 * | fan (seated)  | publisher, `backstageFan`      | SUBSCRIBER, `fan`                      |
 * | fan on stage  | -                              | publisher, `fan` (after the producer moved them) |
 *
 * Expiry rule: `now + TOKEN_LIFETIME_MINUTES`, capped just below Vonage's 30 days, and never minted for
 * a closed show. Vonage checks a token when a client connects (or reconnects), so the lifetime only has
 * to cover one show; a client that reconnects after it asks again.
 *
 * What never changes for an event (owner, session ids, fan slug) is cached per instance, so the fan
 * join reads nothing but the seat gate once warm; state (status, seats) is always read fresh.
 */
import { db } from "../platform/firebase";
import { BoundedCache } from "../platform/cache";
import { paths } from "../contract/paths";
import { tokenLifetimeMinutes, VONAGE_MAX_TOKEN_SECONDS } from "../platform/config";
import { eventCredentials, prefetchCredentials } from "../admins/tenants";
import { tokenSigner, type ClientTokenSigner, type VonageRole } from "../platform/vonage/tokens";
import type { CredentialRef } from "../platform/vonage/credentials";
import { connectionData, type UserType } from "./connectionData";
import { failedPrecondition, notFound, permissionDenied } from "../platform/errors";
import type { EventRecord, EventStatus } from "../events/model";
import type { Caller } from "../platform/roles";
import { refuseRemoved } from "../live/bans";
import type { HostCelebTokens } from "../contract/callables/seats";
// The shapes answered to clients are the contract's (contract/callables/seats.ts)
export type { HostCelebTokens } from "../contract/callables/seats";

/** The parts of an event that never change after it is created. */
export interface EventIdentity {
  eventId: string;
  adminId: string;
  sessionId: string;
  stageSessionId: string;
  fanUrl: string;
  /** The credential the sessions were created with (absent on events older than applications). */
  vonage: CredentialRef | null;
}

const identities = new BoundedCache<string, EventIdentity>({ max: 2_000 });

/** The event's immutable identity: from this instance's cache, else one read of the event. */
export async function eventIdentity(eventId: string): Promise<EventIdentity | null> {
  const hit = identities.get(eventId);
  if (hit) return hit;
  // once(), not get(): the SDK's get() trips "listen() called twice" when a transaction on the same
  // event (updateEvent, changeStatus) runs in this instance at that moment.
  const event = (await db().ref(paths.event(eventId)).once("value")).val() as EventRecord | null;
  if (!event || !event.sessionId || !event.stageSessionId || !event.adminId) return null;
  const identity: EventIdentity = {
    eventId,
    adminId: event.adminId,
    sessionId: event.sessionId,
    stageSessionId: event.stageSessionId,
    fanUrl: event.fanUrl,
    vonage: event.vonage ?? null,
  };
  return identities.set(eventId, identity);
}

/** Drops a cached identity (the event is gone, or its fan slug moved). */
export function forgetEventIdentity(eventId: string): void {
  identities.delete(eventId);
}

export function resetEventIdentitiesForTests(): void {
  identities.clear();
}

/** The show's current status, read fresh from its seat gate (a small node). */
export async function gateStatus(eventId: string): Promise<EventStatus | null> {
  const value = (
    await db()
      .ref(`${paths.stageGate(eventId)}/status`)
      .get()
  ).val() as unknown;
  return typeof value === "string" ? (value as EventStatus) : null;
}

/** Unix seconds for Vonage and ms for clients. */
export interface TokenExpiry {
  expireTime: number;
  expiresAt: number;
}

/** The param's default; also used when the value is unset or not positive (params read 0 then). */
export const DEFAULT_TOKEN_LIFETIME_MINUTES = 360;

export function tokenExpiry(nowMs = Date.now(), lifetimeMinutes = tokenLifetimeMinutes.value()): TokenExpiry {
  const now = Math.floor(nowMs / 1000);
  const minutes = Number.isFinite(lifetimeMinutes) && lifetimeMinutes > 0 ? lifetimeMinutes : DEFAULT_TOKEN_LIFETIME_MINUTES;
  const lifetime = Math.max(60, Math.floor(minutes * 60));
  // A minute of margin: the signer refuses anything beyond 30 days from its own clock.
  const expireTime = now + Math.min(lifetime, VONAGE_MAX_TOKEN_SECONDS - 60);
  return { expireTime, expiresAt: expireTime * 1000 };
}

/** The signer for an event's sessions: the credential that created them, whichever kind it is. */
export async function signerFor(identity: Pick<EventIdentity, "adminId" | "vonage">): Promise<ClientTokenSigner> {
  return tokenSigner(await eventCredentials(identity));
}

export function mintToken(
  signer: ClientTokenSigner,
  request: { sessionId: string; role: VonageRole; userType: UserType; uid: string; eventId: string; expireTime: number; seat?: string },
): string {
  return signer.mint({
    sessionId: request.sessionId,
    role: request.role,
    data: connectionData({ userType: request.userType, participantId: request.uid, eventId: request.eventId, seat: request.seat }),
    expireTime: request.expireTime,
  });
}

/** Refusals for a show that is not (or no longer) running. */
export function refuseClosed(status: EventStatus | null): void {
  if (status === null) throw notFound("This event does not exist (any more).");
  if (status === "closed") throw failedPrecondition("This show has ended: no new tokens are issued for it.", { status });
}

export function refuseNotOpen(status: EventStatus | null): void {
  refuseClosed(status);
  if (status === "notStarted") {
    throw failedPrecondition("This show has not opened yet: fans can join from preshow on.", { status });
  }
}

/** The event a host, celebrity or fan logged in to, from their claims (no read). */
export function loginEvent(caller: Caller): { adminId: string; eventId: string } {
  if (!caller.adminId || !caller.eventId) {
    throw permissionDenied("Your login carries no event: sign in through the event's login function first.");
  }
  return { adminId: caller.adminId, eventId: caller.eventId };
}

/** Identity of the caller's event, checked against the admin in the claims. */
export async function identityForLogin(login: { adminId: string; eventId: string }): Promise<EventIdentity> {
  const identity = await eventIdentity(login.eventId);
  if (!identity) throw notFound("This event does not exist (any more).");
  if (identity.adminId !== login.adminId) throw permissionDenied("Your login is for another admin's event.");
  return identity;
}

/** A publisher token on the stage session, and what the client needs to connect with it. */
export function stagePublisher(
  signer: ClientTokenSigner,
  identity: EventIdentity,
  who: { uid: string; userType: UserType },
  status: EventStatus | null,
) {
  const { expireTime, expiresAt } = tokenExpiry();
  return {
    eventId: identity.eventId,
    status: status as EventStatus,
    apiKey: signer.apiKey,
    stageSessionId: identity.stageSessionId,
    stageToken: mintToken(signer, { sessionId: identity.stageSessionId, role: "publisher", ...who, eventId: identity.eventId, expireTime }),
    expiresAt,
  };
}

/** Host and celebrity: a publisher token on stage, connection data from the login's role. */
export async function hostCelebTokens(caller: Caller, userType: "host" | "celebrity"): Promise<HostCelebTokens> {
  const login = loginEvent(caller);
  prefetchCredentials(login.adminId);
  const identityRead = identityForLogin(login);
  const [identity, status, signer] = await Promise.all([
    identityRead,
    gateStatus(login.eventId),
    identityRead.then(signerFor),
    refuseRemoved(login.eventId, caller.uid),
  ]);
  refuseClosed(status);
  return { userType, ...stagePublisher(signer, identity, { uid: caller.uid, userType }, status) };
}

/**
 * The producer (the owner admin or a superAdmin): moderator tokens on both sessions with connection
 * data `producer`, the only way to get either (docs/ibs-flaws.md#6b). Signed with the event owner's Vonage
 * credentials, also when a superAdmin produces another admin's show.
 */
export async function producerTokens(caller: Caller, eventId: string) {
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
}
