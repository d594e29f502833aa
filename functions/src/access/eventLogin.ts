/**
 * The one event login behind `loginFan`, `loginHost` and `loginCelebrity`: one database read of a
 * login lookup entry (events/model EventKeyRecord), then a Firebase custom token whose claims carry
 * role, adminId and eventId, so callables and rules decide without further reads. The roles differ
 * only in where their entry is (fan slugs, host secrets and celebrity secrets each in their own
 * namespace, so one never logs in as another) and in the uid the token is for.
 */
import { randomBytes } from "node:crypto";
import { adminAuth, db } from "../platform/firebase";
import { paths } from "../contract/paths";
import { failedPrecondition, notFound } from "../platform/errors";
import type { Caller } from "../platform/roles";
import type { EventLoginAnswer } from "../contract/callables/access";
import { eventKeyRecord, type EventKeyRecord } from "../events/model";

export type EventRole = "fan" | "host" | "celebrity";
export type StageRole = Exclude<EventRole, "fan">;

/** What the client needs for its first screen; never session ids or the host/celebrity secrets (the contract's answer). */
export type { LoginEvent } from "../contract/callables/access";
export type EventLoginResult = EventLoginAnswer;

/** One message for an unknown admin and an unknown slug: the answer must not say which was wrong. */
export const NO_SUCH_EVENT = "No event matches this admin and link.";

export async function readEventKey(path: string): Promise<EventKeyRecord> {
  const key = (await db().ref(path).once("value")).val() as EventKeyRecord | null;
  if (!key || typeof key.eventId !== "string") throw notFound(NO_SUCH_EVENT);
  if (key.status === "closed") throw failedPrecondition("This show has ended.", { status: "closed" });
  return key;
}

async function eventLogin(role: EventRole, adminId: string, key: EventKeyRecord, uid: string): Promise<EventLoginResult> {
  const token = await adminAuth().createCustomToken(uid, { role, adminId, eventId: key.eventId });
  return { token, uid, event: eventKeyRecord({ ...key, id: key.eventId }) };
}

/**
 * A fan: with a slug, the event of that fan link; without one (an embed that only knows the admin),
 * the admin's current show. The token's uid is the caller's own when they are already a fan (signed
 * in anonymously, or with an earlier fan token), so presence keys `<uid>-...` and a held seat survive
 * a page reload; anyone else gets a fresh random uid (never the uid of an admin, host or celebrity).
 */
export async function fanLogin(caller: Caller | null, adminId: string, slug?: string): Promise<EventLoginResult> {
  const key = await readEventKey(slug ? paths.eventKey(adminId, "fan", slug) : paths.currentEvent(adminId));
  // Alphanumeric only: the presence rules match `<uid>-...`, so a uid must not contain '-'.
  const keepUid = caller && (caller.anonymous || caller.role === "fan");
  const uid = keepUid ? caller.uid : `fan${randomBytes(16).toString("hex")}`;
  return eventLogin("fan", adminId, key, uid);
}

/**
 * A host or celebrity, by the event's link secret for that role. The uid is fixed per event and role
 * (`host-<eventId>`): re-joins are one participant for presence and attendance.
 */
export async function stageLogin(role: StageRole, adminId: string, secret: string): Promise<EventLoginResult> {
  const key = await readEventKey(paths.eventKey(adminId, role, secret));
  return eventLogin(role, adminId, key, `${role}-${key.eventId}`);
}
