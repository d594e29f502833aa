/**
 * `createEvent`: an admin creates an event (a superAdmin may create one for another admin). Both Vonage
 * sessions (backstage and stage) are created with the owner's credentials; the fan slug is claimed
 * atomically; host and celebrity get unguessable secrets (IBS derived both from the name: docs/ibs-flaws.md#5).
 */
import { validatedCallable } from "../../platform/callable";
import { VONAGE_CREDENTIAL_SECRETS } from "../../platform/config";
import { createEventFor } from "../create";
import { readEvent } from "../store";
import { createOnce } from "../../platform/idempotency";
import type { CallableOutput } from "../../contract/callables";
import { ownerEventOf } from "../../contract/callables/events";
import { eventCallableInputs } from "../input";

export const createEvent = validatedCallable({
  name: "createEvent",
  input: eventCallableInputs.createEvent,
  allow: ["admin"],
  secrets: VONAGE_CREDENTIAL_SECRETS,
  options: { timeoutSeconds: 60 },
  // A retry with the same requestId answers the event the first call created.
  handler: ({ requestId: clientRequestId, ...data }, caller): Promise<CallableOutput<"createEvent">> =>
    createOnce(
      "createEvent",
      caller.uid,
      clientRequestId,
      () => createEventFor(caller, data),
      (event) => event.id,
      readEvent,
    ).then(ownerEventOf),
});
