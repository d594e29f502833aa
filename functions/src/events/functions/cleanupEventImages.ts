/**
 * `cleanupEventImages` (daily): deletes the images of events closed more than IMAGE_RETENTION_DAYS ago
 * and clears the image fields. Finds them with an indexed query on `imagesClosedAt` (set at close when
 * the event has images, cleared here), so it never scans all events. IBS's cron never worked: flaw 17.
 */
import { onSchedule } from "firebase-functions/v2/scheduler";
import { db } from "../../platform/firebase";
import { paths } from "../../platform/paths";
import { functionsRegion, imageRetentionDays } from "../../platform/config";
import type { EventRecord } from "../model";
import { deleteImages } from "../images";
import { syncDerived } from "../store";
import { info } from "../../platform/logs";

const BATCH = 200;
const DAY_MS = 24 * 3600 * 1000;

export const cleanupEventImages = onSchedule({ schedule: "every 24 hours", region: functionsRegion, timeoutSeconds: 300 }, async () => {
  const cutoff = Date.now() - Math.max(0, imageRetentionDays.value()) * DAY_MS;
  const due = await db().ref(paths.events()).orderByChild("imagesClosedAt").startAt(1).endAt(cutoff).limitToFirst(BATCH).once("value");
  const events: EventRecord[] = [];
  due.forEach((child) => {
    events.push(child.val() as EventRecord);
  });
  for (const event of events) {
    if (event.status !== "closed") continue;
    await deleteImages([event.startImage, event.endImage]);
    await db().ref(paths.event(event.id)).update({ startImage: null, endImage: null, imagesClosedAt: null, updatedAt: Date.now() });
    // The host/celebrity lookup entries carry the images too.
    await syncDerived(event.id);
  }
  info("event images cleaned up", { events: events.length });
});
