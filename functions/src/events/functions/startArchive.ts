/**
 * `startArchive`: the owner starts recording the stage during a live show. Idempotent: a running
 * archive is returned as is; a failed start records the error and a repeat call retries it (finding
 * an archive Vonage started despite a lost answer instead of starting a second one).
 */
import { eventAction } from "./eventAction";
import { startArchiveNow } from "../lifecycle/archiveControl";

export const startArchive = eventAction("startArchive", async (eventId, caller) => ({
  eventId,
  archive: (await startArchiveNow(eventId, caller)).archive ?? null,
}));
