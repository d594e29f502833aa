/**
 * The callable shape of the producer's floor actions: `{eventId, ...}` input, admins only (the domain
 * checks the event's owner or a superAdmin), the Vonage credential secrets and a timeout with room
 * for retried Vonage calls.
 */
import type { CallableFunction } from "firebase-functions/v2/https";
import type { input as inputOf, output } from "zod";
import { validatedCallable } from "../../platform/callable";
import { VONAGE_CREDENTIAL_SECRETS } from "../../platform/config";
import type { Caller } from "../../platform/roles";
import type { CallableOutput } from "../../contract/callables";
import { liveInputs } from "../../contract/callables/live";

/** The producer's floor actions: each input is the contract's `{eventId, ...}` object. */
type ProducerActionName =
  | "bringBackstage"
  | "bringOnStage"
  | "takeOffStage"
  | "startPrivateCall"
  | "endPrivateCall"
  | "removeParticipant"
  | "muteStream"
  | "muteAll"
  | "sendSignal";

export function producerCallable<N extends ProducerActionName>(
  name: N,
  run: (input: output<(typeof liveInputs)[N]>, caller: Caller) => Promise<CallableOutput<N>>,
): CallableFunction<inputOf<(typeof liveInputs)[N]>, Promise<CallableOutput<N>>> {
  // Spelled out: inferred through the generic name, the input type would collapse to unknown.
  return validatedCallable({
    name,
    input: liveInputs[name],
    allow: ["admin", "superAdmin"],
    secrets: VONAGE_CREDENTIAL_SECRETS,
    options: { timeoutSeconds: 120 },
    handler: (input, caller) => run(input as never, caller),
  });
}
