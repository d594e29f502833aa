/**
 * `changeStatus`: the lifecycle state machine (events/lifecycle). Returns the event as stored; a
 * refused transition is failed-precondition naming the allowed next states; a Vonage failure is
 * `unavailable` (the event says what failed and a repeat of the call finishes only what is missing).
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { VONAGE_CREDENTIAL_SECRETS } from "../../platform/config";
import { id } from "../../platform/schemas";
import { EVENT_STATUSES } from "../model";
import { changeStatusOrThrow } from "../lifecycle/runner";

export const changeStatus = validatedCallable({
  name: "changeStatus",
  input: z.object({ id, status: z.enum(EVENT_STATUSES) }).strict(),
  allow: ["admin"],
  secrets: VONAGE_CREDENTIAL_SECRETS,
  options: { timeoutSeconds: 120 },
  handler: ({ id: eventId, status }, caller) => changeStatusOrThrow(eventId, status, caller),
});
