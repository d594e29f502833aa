/**
 * The shared core of `loginFan`, `loginHost` and `loginCelebrity`: one database read of a login
 * lookup record (lib/events EventKeyRecord), then a Firebase custom token whose claims carry role,
 * adminId and eventId, so callables and rules decide without further reads.
 */
import { adminAuth, db } from "../platform/firebase";
import { failedPrecondition, notFound } from "../platform/errors";
import type { EventKeyRecord } from "../events/model";

export type EventRole = "fan" | "host" | "celebrity";

/** What the client needs for its first screen; never session ids or the host/celebrity secrets. */
export interface LoginEvent {
  eventId: string;
  name: string;
  status: EventKeyRecord["status"];
  fanUrl: string;
  startImage: EventKeyRecord["startImage"] | null;
  endImage: EventKeyRecord["endImage"] | null;
  redirectUrl: string | null;
}

export interface EventLoginResult {
  token: string;
  uid: string;
  event: LoginEvent;
}

/** One message for an unknown admin and an unknown slug: the answer must not say which was wrong. */
export const NO_SUCH_EVENT = "No event matches this admin and link.";

export async function readEventKey(path: string): Promise<EventKeyRecord> {
  const key = (await db().ref(path).once("value")).val() as EventKeyRecord | null;
  if (!key || typeof key.eventId !== "string") throw notFound(NO_SUCH_EVENT);
  if (key.status === "closed") throw failedPrecondition("This show has ended.", { status: "closed" });
  return key;
}

export async function eventLogin(role: EventRole, adminId: string, key: EventKeyRecord, uid: string): Promise<EventLoginResult> {
  const token = await adminAuth().createCustomToken(uid, { role, adminId, eventId: key.eventId });
  return {
    token,
    uid,
    event: {
      eventId: key.eventId,
      name: key.name,
      status: key.status,
      fanUrl: key.fanUrl,
      startImage: key.startImage ?? null,
      endImage: key.endImage ?? null,
      redirectUrl: key.redirectUrl ?? null,
    },
  };
}
