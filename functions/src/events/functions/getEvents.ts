/**
 * `getEvents`: the caller's own events, full records, as a map keyed by event id (the IBS shape); a
 * superAdmin may name another admin.
 */
import { validatedCallable } from "../../platform/callable";
import { eventsByIdOf } from "../queries";
import type { CallableOutput } from "../../contract/callables";
import { ownerEventOf } from "../../contract/callables/events";
import { eventCallableInputs } from "../input";

export const getEvents = validatedCallable({
  name: "getEvents",
  input: eventCallableInputs.getEvents,
  allow: ["admin"],
  handler: async ({ adminId }, caller): Promise<CallableOutput<"getEvents">> =>
    Object.fromEntries(Object.entries(await eventsByIdOf(caller, adminId)).map(([id, event]) => [id, ownerEventOf(event)])),
});
