/**
 * `restoreShowContinuity` (Cloud Tasks): enqueued by `vonageCallbacks` on a server rotation of a
 * live show's stage session, or when its archive or broadcast stopped or failed; restarts what must
 * run, exactly once (../continuity). Throwing makes Cloud Tasks retry a restart that failed.
 */
import { z } from "zod";
import { id } from "../../contract/schemas";
import { validatedTask } from "../../platform/tasks";
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

export const restoreShowContinuity = validatedTask(
  {
    // Under the event lease's 180 s (events/lifecycle/lease): the lease outlives its holder.
    timeoutSeconds: 150,
    retryConfig: { maxAttempts: 5, minBackoffSeconds: 10, maxBackoffSeconds: 300 },
    rateLimits: { maxConcurrentDispatches: 20 },
  },
  taskSchema,
  "continuity",
  async (trigger) => {
    await restoreContinuity(trigger);
  },
);
