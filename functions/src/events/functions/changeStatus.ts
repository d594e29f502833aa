/**
 * `changeStatus`: the lifecycle state machine (events/lifecycle). Returns the event as stored; a
 * refused transition is failed-precondition naming the allowed next states; a Vonage failure is
 * `unavailable` (the event says what failed and a repeat of the call finishes only what is missing).
 */
import { validatedCallable } from "../../platform/callable";
import { VONAGE_CREDENTIAL_SECRETS } from "../../platform/config";
import { changeStatusOrThrow } from "../lifecycle/runner";
import type { CallableOutput } from "../../contract/callables";
import { eventCallableInputs } from "../input";

export const changeStatus = validatedCallable({
  name: "changeStatus",
  input: eventCallableInputs.changeStatus,
  allow: ["admin"],
  secrets: VONAGE_CREDENTIAL_SECRETS,
  options: { timeoutSeconds: 120 },
  handler: ({ id: eventId, status }, caller): Promise<CallableOutput<"changeStatus">> => changeStatusOrThrow(eventId, status, caller),
});
