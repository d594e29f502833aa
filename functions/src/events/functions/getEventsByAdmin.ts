/**
 * `getEventsByAdmin`: public list of an admin's events that are not closed, oldest first, public fields
 * only (IBS returned host and celebrity slugs here: docs/ibs-flaws.md#5; no session ids either: docs/ibs-flaws.md#7).
 */
import { validatedCallable } from "../../platform/callable";
import { openPublicEvents } from "../queries";
import type { CallableOutput } from "../../contract/callables";
import { eventCallableInputs } from "../input";

export const getEventsByAdmin = validatedCallable({
  name: "getEventsByAdmin",
  input: eventCallableInputs.getEventsByAdmin,
  allow: "anyone",
  handler: ({ adminId }): Promise<CallableOutput<"getEventsByAdmin">> => openPublicEvents(adminId),
});
