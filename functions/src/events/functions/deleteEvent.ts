/**
 * `deleteEvent`: only the owner or a superAdmin (IBS let any signed-in user delete any event: docs/ibs-flaws.md#4).
 * Stops what runs on Vonage first; if that fails nothing is deleted (no id is lost) and a retry finishes.
 * Then removes the live record, the event and everything derived from it, and its images.
 */
import { eventAction } from "./eventAction";
import { deleteEventEverywhere } from "../lifecycle/deletion";

export const deleteEvent = eventAction("deleteEvent", async (eventId, caller) => {
  await deleteEventEverywhere(eventId, caller);
  return { id: eventId, deleted: true };
});
