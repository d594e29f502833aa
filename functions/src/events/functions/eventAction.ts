/**
 * The callable shape of the owner's actions on one event that reach Vonage (go live, end the show,
 * start or stop the archive, delete): input `{id}`, admins only (the domain checks the owner), the
 * Vonage credential secrets, and a timeout with room for retried Vonage calls.
 */
import { validatedCallable } from "../../platform/callable";
import { VONAGE_CREDENTIAL_SECRETS } from "../../platform/config";
import type { Caller } from "../../platform/roles";
import type { CallableOutput } from "../../contract/callables";
import { eventCallableInputs } from "../input";

/** The owner's one-event actions: each takes the contract's `{id}` input. */
type EventActionName = "deleteEvent" | "eventGoLive" | "endBroadcast" | "startArchive" | "stopArchive";

export function eventAction<N extends EventActionName>(name: N, run: (eventId: string, caller: Caller) => Promise<CallableOutput<N>>) {
  return validatedCallable({
    name,
    // The same `{id}` schema for every action (contract/callables/events.ts).
    input: eventCallableInputs[name],
    allow: ["admin"],
    secrets: VONAGE_CREDENTIAL_SECRETS,
    options: { timeoutSeconds: 120 },
    handler: ({ id: eventId }, caller) => run(eventId, caller),
  });
}
