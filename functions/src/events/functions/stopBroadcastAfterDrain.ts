/**
 * `stopBroadcastAfterDrain` (Cloud Tasks): enqueued at close with the drain delay, it stops the HLS/RTMP
 * broadcast and removes the live record. A durable task, not an in-process timer (IBS lost its 60 s
 * timer on every restart: docs/ibs-flaws.md#12). Throwing makes Cloud Tasks retry; a lost task is covered by the
 * scheduled `finishDrainedBroadcasts`.
 */
import { z } from "zod";
import { id } from "../../contract/schemas";
import { validatedTask } from "../../platform/tasks";
import { finishClose } from "../lifecycle/runner";

/** In-process wait for a task delivered early (the emulator); well under the function timeout. */
const MAX_EARLY_WAIT_MS = 60_000;

export const stopBroadcastAfterDrain = validatedTask(
  {
    timeoutSeconds: 120,
    retryConfig: { maxAttempts: 10, minBackoffSeconds: 5, maxBackoffSeconds: 300 },
    rateLimits: { maxConcurrentDispatches: 20 },
  },
  z.object({ eventId: id }).strict(),
  "broadcast stop",
  async ({ eventId }) => {
    const progress = await finishClose(eventId, MAX_EARLY_WAIT_MS, "stopBroadcastAfterDrain");
    if (progress === "notDue" || progress === "busy" || progress === "failed") {
      throw new Error(`broadcast stop for ${eventId}: ${progress}; retrying later`);
    }
  },
);
