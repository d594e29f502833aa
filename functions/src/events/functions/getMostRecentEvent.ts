/**
 * `getMostRecentEvent`: public fields of the admin's current show, the newest live event, else the
 * newest preshow event (IBS returned the oldest: docs/ibs-flaws.md#19). No show running is an answer, not an error:
 * `null`.
 */
import { validatedCallable } from "../../platform/callable";
import { currentPublicEvent } from "../queries";
import type { CallableOutput } from "../../contract/callables";
import { eventCallableInputs } from "../input";

export const getMostRecentEvent = validatedCallable({
  name: "getMostRecentEvent",
  input: eventCallableInputs.getMostRecentEvent,
  allow: "anyone",
  handler: ({ adminId }): Promise<CallableOutput<"getMostRecentEvent">> => currentPublicEvent(adminId),
});
