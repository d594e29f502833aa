/**
 * `finishDrainedBroadcasts` (every 5 minutes): the backstop of the drain task. Finishes every close
 * whose `broadcast.stopAfter` passed (indexed query; the field is cleared once the broadcast stopped),
 * so a lost or exhausted task never leaves a broadcast running.
 */
import { onSchedule } from "firebase-functions/v2/scheduler";
import { db } from "../../platform/firebase";
import { paths } from "../../platform/paths";
import { functionsRegion } from "../../platform/config";
import { finishClose, VONAGE_SECRETS } from "../lifecycle/runner";
import { info, warn } from "../../platform/logs";

const BATCH = 100;

export const finishDrainedBroadcasts = onSchedule(
  { schedule: "every 5 minutes", region: functionsRegion, secrets: VONAGE_SECRETS, timeoutSeconds: 300 },
  async () => {
    const due = await db()
      .ref(paths.events())
      .orderByChild("broadcast/stopAfter")
      .startAt(1)
      .endAt(Date.now())
      .limitToFirst(BATCH)
      .once("value");
    const ids: string[] = [];
    due.forEach((child) => {
      ids.push(child.key);
    });
    for (const eventId of ids) {
      const progress = await finishClose(eventId, 0).catch((error: Error) => {
        warn("backstop could not finish a close", { eventId, message: error.message });
        return "failed" as const;
      });
      info("backstop close", { eventId, progress });
    }
  },
);
