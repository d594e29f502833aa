/**
 * Deleting an event and everything derived from it. What runs on Vonage is stopped first (no drain:
 * the event is going away); if a stop fails, nothing is deleted, so no id is lost and a retry can
 * finish. The images go last, once the database is clean.
 */
import type { Caller } from "../../platform/roles";
import type { EventRecord } from "../model";
import { deleteImages } from "../images";
import { removeEvent } from "../store";
import { loadOwnedEvent } from "../queries";
import { withEventLease } from "./lease";
import { stepContext } from "./context";
import { ARCHIVE, BROADCAST, stopWhatRuns } from "./vonageResource";
import { failureOf, vonageFailure, type StepFailure } from "./failures";
import { appendAudit } from "../../live/audit";
import { info } from "../../platform/logs";
import { actorFor } from "./auditing";

export async function deleteEventEverywhere(eventId: string, caller: Caller): Promise<EventRecord> {
  await loadOwnedEvent(eventId, caller);
  const { event } = await withEventLease(
    eventId,
    () => ({}),
    async (stored) => {
      const ctx = stepContext(stored);
      const failures: StepFailure[] = [];
      const stops = [
        ["archiveStop", () => stopWhatRuns(ARCHIVE, ctx)],
        ["broadcastStop", () => stopWhatRuns(BROADCAST, ctx)],
      ] as const;
      for (const [step, stop] of stops) {
        try {
          await stop();
        } catch (error) {
          failures.push(failureOf(step, error));
        }
      }
      if (failures.length) {
        await ctx.save({ "lifecycle/errors": Object.fromEntries(failures.map((failure) => [failure.step, failure.message])) });
        // Nothing was deleted, so the trail stays and says why.
        await appendAudit(eventId, {
          actor: actorFor(caller),
          action: "deleteEvent",
          target: { eventId },
          outcome: "failed",
          error: { code: failures[0].kind, message: failures.map((failure) => `${failure.step}: ${failure.message}`).join("; ") },
        });
        throw vonageFailure(failures[0], "Nothing was deleted: stopping what runs on Vonage failed: ", ctx.event, failures);
      }
    },
  );
  await removeEvent(event);
  // The trail goes with the event: the deletion itself is in the function logs.
  info("event deleted", { eventId, by: actorFor(caller).uid, role: actorFor(caller).role, status: event.status });
  await deleteImages([event.startImage, event.endImage]);
  return event;
}
