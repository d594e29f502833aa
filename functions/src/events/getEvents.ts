/**
 * `getEvents`: the caller's own events, full records, as a map keyed by event id (the IBS shape); a
 * superAdmin may name another admin.
 */
import { z } from "zod";
import { validatedCallable } from "../lib/callable";
import { id } from "../lib/schemas";
import { permissionDenied } from "../lib/errors";
import { eventsOfAdmin } from "../lib/eventStore";
import type { EventRecord } from "../lib/events";

export const getEvents = validatedCallable({
  name: "getEvents",
  input: z.object({ adminId: id.optional() }).strict(),
  allow: ["admin"],
  handler: async ({ adminId }, caller) => {
    const owner = adminId ?? caller.uid;
    if (owner !== caller.uid && !caller.superAdmin) throw permissionDenied("Only a superAdmin lists another admin's events.");
    const events: Record<string, EventRecord> = {};
    for (const event of await eventsOfAdmin(owner)) events[event.id] = event;
    return events;
  },
});
