/**
 * `restoreShowContinuity` (Cloud Tasks): enqueued by `vonageCallbacks` on a server rotation of a
 * live show's stage session, or when its archive or broadcast stopped or failed; restarts what must
 * run, exactly once (../continuity). Throwing makes Cloud Tasks retry a restart that failed.
 */
import { onTaskDispatched } from "firebase-functions/v2/tasks";
import { z } from "zod";
import { id } from "../../contract/schemas";
import { functionsRegion, VONAGE_CREDENTIAL_SECRETS } from "../../platform/config";
import { warn } from "../../platform/logs";
import { restoreContinuity } from "../continuity";

const taskSchema = z
  .object({
    eventId: id,
    cause: z.enum(["serverRotation", "failed", "stopped"]),
    at: z.number().int().nonnegative(),
    kind: z.enum(["archive", "broadcast"]).optional(),
    runId: z.string().min(1).max(256).optional(),
  })
  .strict();

export const restoreShowContinuity = onTaskDispatched(
  {
    region: functionsRegion,
    secrets: VONAGE_CREDENTIAL_SECRETS,
    // Under the event lease's 180 s (events/lifecycle/lease): the lease outlives its holder.
    timeoutSeconds: 150,
    retryConfig: { maxAttempts: 5, minBackoffSeconds: 10, maxBackoffSeconds: 300 },
    rateLimits: { maxConcurrentDispatches: 20 },
  },
  async (request) => {
    const parsed = taskSchema.safeParse(request.data);
    if (!parsed.success) {
      warn("dropping a malformed continuity task", { data: JSON.stringify(request.data).slice(0, 200) });
      return;
    }
    await restoreContinuity(parsed.data);
  },
);
