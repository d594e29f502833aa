/**
 * `stopBroadcastAfterDrain` (Cloud Tasks): enqueued at close with the drain delay, it stops the HLS/RTMP
 * broadcast and removes the live record. A durable task, not an in-process timer (IBS lost its 60 s
 * timer on every restart: docs/ibs-flaws.md#12). Throwing makes Cloud Tasks retry; a lost task is covered by the
 * scheduled `finishDrainedBroadcasts`.
 */
import { onTaskDispatched } from "firebase-functions/v2/tasks";
import { z } from "zod";
import { id } from "../../contract/schemas";
import { functionsRegion, VONAGE_CREDENTIAL_SECRETS } from "../../platform/config";
import { finishClose } from "../lifecycle/runner";
import { warn } from "../../platform/logs";

/** In-process wait for a task delivered early (the emulator); well under the function timeout. */
const MAX_EARLY_WAIT_MS = 60_000;

export const stopBroadcastAfterDrain = onTaskDispatched(
  {
    region: functionsRegion,
    secrets: VONAGE_CREDENTIAL_SECRETS,
    timeoutSeconds: 120,
    retryConfig: { maxAttempts: 10, minBackoffSeconds: 5, maxBackoffSeconds: 300 },
    rateLimits: { maxConcurrentDispatches: 20 },
  },
  async (request) => {
    const parsed = z.object({ eventId: id }).strict().safeParse(request.data);
    if (!parsed.success) {
      warn("dropping a malformed broadcast stop task", { data: JSON.stringify(request.data).slice(0, 200) });
      return;
    }
    const progress = await finishClose(parsed.data.eventId, MAX_EARLY_WAIT_MS, "stopBroadcastAfterDrain");
    if (progress === "notDue" || progress === "busy" || progress === "failed") {
      throw new Error(`broadcast stop for ${parsed.data.eventId}: ${progress}; retrying later`);
    }
  },
);
