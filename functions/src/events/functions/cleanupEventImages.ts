/**
 * `cleanupEventImages` (daily): deletes the images of events closed more than IMAGE_RETENTION_DAYS ago
 * and clears the image fields. Finds them with an indexed query on `imagesClosedAt` (set at close when
 * the event has images, cleared here), so it never scans all events. IBS's cron never worked: docs/ibs-flaws.md#17.
 */
import { onSchedule } from "firebase-functions/v2/scheduler";
import { functionsRegion } from "../../platform/config";
import { cleanupClosedEventImages } from "../scheduled";

export const cleanupEventImages = onSchedule({ schedule: "every 24 hours", region: functionsRegion, timeoutSeconds: 300 }, () =>
  cleanupClosedEventImages(200),
);
