/**
 * `getEventsByAdmin`: public list of an admin's events that are not closed, oldest first, public fields
 * only (IBS returned host and celebrity slugs here: flaw 5; no session ids either: flaw 7).
 */
import { z } from "zod";
import { validatedCallable } from "../lib/callable";
import { id } from "../lib/schemas";
import { publicEvent } from "../lib/events";
import { eventsOfAdmin, oldestFirst } from "../lib/eventStore";

export const getEventsByAdmin = validatedCallable({
  name: "getEventsByAdmin",
  input: z.object({ adminId: id }).strict(),
  allow: "anyone",
  handler: async ({ adminId }) =>
    oldestFirst(await eventsOfAdmin(adminId))
      .filter((event) => event.status !== "closed")
      .map(publicEvent),
});
