/**
 * `deleteEvent`: only the owner or a superAdmin (IBS let any signed-in user delete any event: flaw 4).
 * Stops what runs on Vonage first; if that fails nothing is deleted (no id is lost) and a retry finishes.
 * Then removes the live record, the event and everything derived from it, and its images.
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { id } from "../../platform/schemas";
import { deleteEventEverywhere, VONAGE_SECRETS } from "../lifecycle/runner";
import { deleteImages } from "../images";

export const deleteEvent = validatedCallable({
  name: "deleteEvent",
  input: z.object({ id }).strict(),
  allow: ["admin"],
  secrets: VONAGE_SECRETS,
  options: { timeoutSeconds: 120 },
  handler: async ({ id: eventId }, caller) => {
    const event = await deleteEventEverywhere(eventId, caller);
    await deleteImages([event.startImage, event.endImage]);
    return { id: eventId, deleted: true };
  },
});
