/**
 * `sweepSeats` (every 2 minutes): frees the seats of open shows whose claims no Vonage connection
 * confirmed within SEAT_CONFIRM_SECONDS (a client that took a seat and never connected) and the seats
 * held for upgrade offers that were not taken in time (their offers expire), then offers the freed
 * seats to the HLS viewers who asked. The next join that needs such a seat reclaims it too; this frees
 * them for the counts and the upgrade offers without waiting for one.
 */
import { onSchedule } from "firebase-functions/v2/scheduler";
import { functionsRegion } from "../../platform/config";
import { sweepOpenShows } from "../confirm";

export const sweepSeats = onSchedule({ schedule: "every 2 minutes", region: functionsRegion, timeoutSeconds: 120 }, async () => {
  await sweepOpenShows();
});
