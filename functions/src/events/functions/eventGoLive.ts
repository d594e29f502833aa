/** `eventGoLive`: the producer's "Go live" (preshow -> live), the same transition as changeStatus. */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { id } from "../../platform/schemas";
import { changeEventStatus, throwIfFailed, VONAGE_SECRETS } from "../lifecycle/runner";

export const eventGoLive = validatedCallable({
  name: "eventGoLive",
  input: z.object({ id }).strict(),
  allow: ["admin"],
  secrets: VONAGE_SECRETS,
  options: { timeoutSeconds: 120 },
  handler: async ({ id: eventId }, caller) => {
    const report = await changeEventStatus(eventId, "live", caller);
    throwIfFailed(report);
    return report.event;
  },
});
