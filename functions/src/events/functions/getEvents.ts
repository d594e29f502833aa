/**
 * `getEvents`: the caller's own events, full records, as a map keyed by event id (the IBS shape); a
 * superAdmin may name another admin.
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { id } from "../../platform/schemas";
import { permissionDenied } from "../../platform/errors";
import { eventsOfAdmin } from "../store";
import type { EventRecord } from "../model";

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
