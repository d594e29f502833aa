/**
 * The work of the two scheduled functions: the backstop of the broadcast drain task, and the deletion
 * of closed shows' images. Both find what is due with an indexed query on a field set only while
 * something is due (`broadcast.stopAfter`, `imagesClosedAt`), so neither ever scans all events.
 */
import { imageRetentionDays } from "../platform/config";
import { info, warn } from "../platform/logs";
import { eventsDue, syncDerived, updateEventWith } from "./store";
import { deleteImages } from "./images";
import { finishClose } from "./lifecycle/runner";

const DAY_MS = 24 * 3600 * 1000;

/**
 * Finishes every close whose `broadcast.stopAfter` passed (the field is cleared once the broadcast
 * stopped), and every other unfinished close (`lifecycle.unfinishedSince`, cleared with its last step:
 * a failed archive stop, a close whose instance died before the drain was set).
 */
export async function finishDueCloses(batch: number): Promise<void> {
  const now = Date.now();
  const due = [...(await eventsDue("broadcast/stopAfter", now, batch)), ...(await eventsDue("lifecycle/unfinishedSince", now, batch))];
  for (const eventId of new Set(due.map((event) => event.id))) {
    const progress = await finishClose(eventId, 0, "finishDrainedBroadcasts").catch((error: Error) => {
      warn("backstop could not finish a close", { eventId, message: error.message });
      return "failed" as const;
    });
    info("backstop close", { eventId, progress });
  }
}

/** Deletes the images of events closed more than IMAGE_RETENTION_DAYS ago and clears the image fields. */
export async function cleanupClosedEventImages(batch: number): Promise<void> {
  const cutoff = Date.now() - Math.max(0, imageRetentionDays.value()) * DAY_MS;
  const events = await eventsDue("imagesClosedAt", cutoff, batch);
  for (const event of events) {
    if (event.status !== "closed") continue;
    await deleteImages([event.startImage, event.endImage]);
    await updateEventWith(event.id, { startImage: null, endImage: null, imagesClosedAt: null, updatedAt: Date.now() }, {});
    // The host/celebrity lookup entries carry the images too.
    await syncDerived(event.id);
  }
  info("event images cleaned up", { events: events.length });
}
