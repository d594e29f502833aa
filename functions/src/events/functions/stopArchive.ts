/**
 * `stopArchive`: the owner stops the event's archive. Idempotent: on a stopped archive it refreshes
 * the status and download URL from Vonage (the URL appears once the file is available).
 */
import { eventAction } from "./eventAction";
import { stopArchiveNow } from "../lifecycle/archiveControl";

export const stopArchive = eventAction("stopArchive", async (eventId, caller) => ({
  eventId,
  archive: (await stopArchiveNow(eventId, caller)).archive ?? null,
}));
