/**
 * The callbacks that may call for show continuity (live/continuity): session monitoring's server
 * rotation notices, and an archive or broadcast of a live show that stopped or failed. The callback is
 * answered fast: the notice goes to the audit trail and the restart to the `restoreShowContinuity`
 * task, named after the callback so a redelivery cannot enqueue it twice. A failed enqueue throws, so
 * the claim is given back and the platform's retry enqueues it.
 */
import { db } from "../platform/firebase";
import { enqueueTask, taskId } from "../platform/tasks";
import { auditUpdate, SYSTEM_ACTOR } from "../live/audit";
import { readEvent } from "../events/store";
import type { ArchiveEvent, BroadcastEvent, SessionNoticeEvent } from "./callbacks";
import { donePatch, markDone } from "./dedupe";
import type { Outcome, SessionTarget } from "./appliers";

/** The `onTaskDispatched` function that restarts what a live show must run. */
export const CONTINUITY_FUNCTION = "restoreShowContinuity";

export interface ContinuityTask {
  eventId: string;
  cause: "serverRotation" | "failed" | "stopped";
  at: number;
  kind?: "archive" | "broadcast";
  runId?: string;
}

export async function applySessionNotice(
  callback: SessionNoticeEvent,
  target: SessionTarget,
  claimPath: string,
  now: number,
): Promise<Outcome> {
  const rotation = callback.event === "sessionDestroyed" && callback.reason === "serverRotation";
  if (callback.event === "sessionDestroyed" && !rotation) {
    // A session's ordinary end (everyone left): nothing to do.
    await markDone(claimPath, now);
    return "applied";
  }
  const [auditKey, auditValue] = auditUpdate(target.eventId, {
    actor: SYSTEM_ACTOR,
    action: rotation ? "serverRotation" : "serverRotationNotice",
    target: { session: target.kind, sessionId: callback.sessionId },
    outcome: "ok",
    details: { at: callback.timestamp },
  });
  if (!rotation || target.kind !== "stage") {
    // The advance notice, or the backstage session (nothing runs there): recorded only.
    await db()
      .ref()
      .update({ [auditKey]: auditValue, ...donePatch(claimPath, now) });
    return "applied";
  }
  // The notice first, so the trail reads in order: rotation, then what was restarted.
  await db()
    .ref()
    .update({ [auditKey]: auditValue });
  await enqueueContinuity({ eventId: target.eventId, cause: "serverRotation", at: callback.timestamp }, claimPath);
  await markDone(claimPath, now);
  return "applied";
}

/** After an archive or broadcast report: a live show's current run that stopped or failed is checked. */
export async function continueAfterReport(
  callback: ArchiveEvent | BroadcastEvent,
  target: SessionTarget,
  claimPath: string,
): Promise<void> {
  if (target.kind !== "stage" || (callback.status !== "failed" && callback.status !== "stopped")) return;
  const event = await readEvent(target.eventId);
  if (!event || event.status !== "live" || event[callback.event]?.id !== callback.id) return;
  await enqueueContinuity(
    { eventId: target.eventId, cause: callback.status, at: callback.updatedAt ?? Date.now(), kind: callback.event, runId: callback.id },
    claimPath,
  );
}

async function enqueueContinuity(task: ContinuityTask, claimPath: string): Promise<void> {
  const dedupeKey = claimPath.slice(claimPath.lastIndexOf("/") + 1);
  try {
    await enqueueTask(CONTINUITY_FUNCTION, { ...task }, { scheduleDelaySeconds: 0, id: taskId("continuity", task.eventId, dedupeKey) });
  } catch (error) {
    // Already enqueued by an earlier delivery of this callback.
    const { code, message } = error as { code?: string; message?: string };
    if (/already[-_ ]?exists/i.test(`${code ?? ""} ${message ?? ""}`)) return;
    throw error;
  }
}
