/**
 * `getMostRecentEvent`: public fields of the admin's current show, the newest live event, else the
 * newest preshow event (IBS returned the oldest: flaw 19). No show running is an answer, not an error:
 * `null`.
 */
import { z } from "zod";
import { validatedCallable } from "../lib/callable";
import { id } from "../lib/schemas";
import { publicEvent } from "../lib/events";
import { eventsOfAdmin, mostRecentEvent } from "../lib/eventStore";

export const getMostRecentEvent = validatedCallable({
  name: "getMostRecentEvent",
  input: z.object({ adminId: id }).strict(),
  allow: "anyone",
  handler: async ({ adminId }) => {
    const event = mostRecentEvent(await eventsOfAdmin(adminId));
    return event ? publicEvent(event) : null;
  },
});
