/**
 * `getEvents`: the caller's own events, full records, as a map keyed by event id (the IBS shape); a
 * superAdmin may name another admin.
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { id } from "../../platform/schemas";
import { eventsByIdOf } from "../queries";

export const getEvents = validatedCallable({
  name: "getEvents",
  input: z.object({ adminId: id.optional() }).strict(),
  allow: ["admin"],
  handler: ({ adminId }, caller) => eventsByIdOf(caller, adminId),
});
