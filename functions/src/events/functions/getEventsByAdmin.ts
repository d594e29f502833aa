/**
 * `getEventsByAdmin`: public list of an admin's events that are not closed, oldest first, public fields
 * only (IBS returned host and celebrity slugs here: flaw 5; no session ids either: flaw 7).
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { id } from "../../platform/schemas";
import { publicEvent } from "../model";
import { eventsOfAdmin, oldestFirst } from "../store";

export const getEventsByAdmin = validatedCallable({
  name: "getEventsByAdmin",
  input: z.object({ adminId: id }).strict(),
  allow: "anyone",
  handler: async ({ adminId }) =>
    oldestFirst(await eventsOfAdmin(adminId))
      .filter((event) => event.status !== "closed")
      .map(publicEvent),
});
