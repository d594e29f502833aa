/** `getEvent`: the full event (secrets and session ids included) for its owner or a superAdmin. */
import { validatedCallable } from "../../platform/callable";
import { loadOwnedEvent } from "../queries";
import type { CallableOutput } from "../../contract/callables";
import { ownerEventOf } from "../../contract/callables/events";
import { eventCallableInputs } from "../input";

export const getEvent = validatedCallable({
  name: "getEvent",
  input: eventCallableInputs.getEvent,
  allow: ["admin"],
  handler: async ({ id: eventId }, caller): Promise<CallableOutput<"getEvent">> => ownerEventOf(await loadOwnedEvent(eventId, caller)),
});
