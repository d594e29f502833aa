/**
 * `endBroadcast`: the producer's "End show" (-> closed), the same transition as changeStatus. The
 * broadcast keeps running for the drain delay so HLS viewers see the end; a task stops it.
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { id } from "../../platform/schemas";
import { changeEventStatus, throwIfFailed, VONAGE_SECRETS } from "../lifecycle/runner";

export const endBroadcast = validatedCallable({
  name: "endBroadcast",
  input: z.object({ id }).strict(),
  allow: ["admin"],
  secrets: VONAGE_SECRETS,
  options: { timeoutSeconds: 120 },
  handler: async ({ id: eventId }, caller) => {
    const report = await changeEventStatus(eventId, "closed", caller);
    throwIfFailed(report);
    return report.event;
  },
});
