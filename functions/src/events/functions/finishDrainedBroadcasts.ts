/**
 * `finishDrainedBroadcasts` (every 5 minutes): the backstop of the drain task. Finishes every close
 * whose `broadcast.stopAfter` passed (indexed query; the field is cleared once the broadcast stopped),
 * so a lost or exhausted task never leaves a broadcast running.
 */
import { onSchedule } from "firebase-functions/v2/scheduler";
import { functionsRegion, VONAGE_CREDENTIAL_SECRETS } from "../../platform/config";
import { finishDueCloses } from "../scheduled";

export const finishDrainedBroadcasts = onSchedule(
  { schedule: "every 5 minutes", region: functionsRegion, secrets: VONAGE_CREDENTIAL_SECRETS, timeoutSeconds: 300 },
  () => finishDueCloses(100),
);
