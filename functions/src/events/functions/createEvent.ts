/**
 * `createEvent`: an admin creates an event (a superAdmin may create one for another admin). Both Vonage
 * sessions (backstage and stage) are created with the owner's credentials; the fan slug is claimed
 * atomically; host and celebrity get unguessable secrets (IBS derived both from the name: docs/ibs-flaws.md#5).
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { VONAGE_CREDENTIAL_SECRETS } from "../../platform/config";
import { id } from "../../platform/schemas";
import { dateTime, eventImage, eventName, httpsUrl, interactiveLimit, rtmpOutputs, slug } from "../input";
import { createEventFor } from "../create";
import { readEvent } from "../store";
import { createOnce, requestId } from "../../platform/idempotency";

const input = z
  .object({
    adminId: id.optional(),
    name: eventName,
    fanUrl: slug.optional(),
    archiveEvent: z.boolean().optional(),
    uncomposed: z.boolean().optional(),
    redirectUrl: httpsUrl.optional(),
    rtmpOutputs: rtmpOutputs.optional(),
    interactiveLimit: interactiveLimit.optional(),
    dateTimeStart: dateTime.optional(),
    dateTimeEnd: dateTime.optional(),
    startImage: eventImage.optional(),
    endImage: eventImage.optional(),
    requestId,
  })
  .strict();

export const createEvent = validatedCallable({
  name: "createEvent",
  input,
  allow: ["admin"],
  secrets: VONAGE_CREDENTIAL_SECRETS,
  options: { timeoutSeconds: 60 },
  // A retry with the same requestId answers the event the first call created.
  handler: ({ requestId: clientRequestId, ...data }, caller) =>
    createOnce(
      "createEvent",
      caller.uid,
      clientRequestId,
      () => createEventFor(caller, data),
      (event) => event.id,
      readEvent,
    ),
});
