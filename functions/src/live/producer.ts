/**
 * The one check every producer action and producer read makes: the caller is the event's owner admin
 * or a superAdmin. Reads the event's immutable identity (cached per instance by seats/showTokens), so
 * a producer clicking through a show costs no extra database read per action.
 */
import { notFound, permissionDenied } from "../platform/errors";
import { canManageAdmin, type Caller } from "../platform/roles";
import { eventIdentity, type EventIdentity } from "../seats/showTokens";

/** The event's identity, once the caller is known to produce it; `what` names the action for the message. */
export async function producedEvent(caller: Caller, eventId: string, what: string): Promise<EventIdentity> {
  const identity = await eventIdentity(eventId);
  if (!identity) throw notFound(`No event ${eventId}: check the id (getEventsByAdmin lists yours).`);
  if (!canManageAdmin(caller, identity.adminId)) {
    throw permissionDenied(`Only the event's owner (or a superAdmin) can ${what}.`);
  }
  return identity;
}
