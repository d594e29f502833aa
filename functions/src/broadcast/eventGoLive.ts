/** `eventGoLive`: the producer's "Go live" (preshow -> live), the same transition as changeStatus. */
import { z } from "zod";
import { validatedCallable } from "../lib/callable";
import { id } from "../lib/schemas";
import { changeEventStatus, throwIfFailed, VONAGE_SECRETS } from "../lib/lifecycle";

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
