/**
 * The steps of a status change (the order per target is ./transitions `stepsFor`). Every step is
 * idempotent and saves its progress on the event, so after a failure a retry runs only what is still
 * missing; `wait` leaves a step pending without failing it (the broadcast stop before its drain ends).
 */
import { broadcastDrainSeconds } from "../../platform/config";
import { warn } from "../../platform/logs";
import { enqueueTask, taskId } from "../../platform/tasks";
import type { LifecycleStep } from "../model";
import { derivedPatch } from "../derived";
import { refreshCurrentEvent, syncDerived, updateEventWith } from "../store";
import { liveRecordUpdates, removeOwnLiveRecord, updateOwnLiveRecord, writeLiveRecord } from "../liveRecord";
import type { StepContext, StepOutcome } from "./context";
import { auditUpdate } from "../../live/audit";
import { ARCHIVE, BROADCAST, adoptLostStart, isRunning, startRun, stopRun, stopWhatRuns } from "./vonageResource";

/** The `onTaskDispatched` function that stops a broadcast after the drain delay. */
export const STOP_BROADCAST_FUNCTION = "stopBroadcastAfterDrain";

export const STEPS: Record<LifecycleStep, (ctx: StepContext) => Promise<StepOutcome>> = {
  liveRecord: async (ctx) => {
    await writeLiveRecord(ctx.event, "preshow", ctx.hls);
    return "done";
  },
  archive: (ctx) => startRun(ARCHIVE, ctx),
  broadcast: (ctx) => startRun(BROADCAST, ctx),
  commit: async (ctx) => {
    const event = ctx.event;
    const target = event.lifecycle!.target;
    const now = Date.now();
    const set: Record<string, unknown> = { status: target };
    if (target === "live" && !event.showStartedAt) set.showStartedAt = now;
    const next = { ...event, ...set };
    // The status change is audited in the same update: the trail never misses nor invents one.
    const [auditKey, auditValue] = auditUpdate(event.id, {
      actor: ctx.audit.actor,
      action: ctx.audit.action,
      target: { eventId: event.id },
      outcome: "ok",
      details: {
        from: event.status,
        to: target,
        ...(next.archive?.id ? { archiveId: next.archive.id } : {}),
        ...(next.broadcast?.id ? { broadcastId: next.broadcast.id } : {}),
      },
    });
    // The status, the live record and the derived nodes change in one atomic update: fans never see
    // a live event without its live record fields (HLS URL, archiving flag).
    await updateEventWith(
      event.id,
      { updatedAt: now, ...set },
      {
        ...(target === "live" ? await liveRecordUpdates(next, "live", ctx.hls) : {}),
        ...derivedPatch(next, ctx.hls).updates,
        [auditKey]: auditValue,
      },
    );
    Object.assign(ctx.event, set, { updatedAt: now });
    await syncDerived(event.id, ctx.hls);
    return "done";
  },
  currentEvent: async (ctx) => {
    await refreshCurrentEvent(ctx.event.adminId);
    return "done";
  },
  markClosed: async (ctx) => {
    await updateOwnLiveRecord(ctx.event, { status: "closed" });
    await syncDerived(ctx.event.id);
    return "done";
  },
  archiveStop: async (ctx) => {
    await stopWhatRuns(ARCHIVE, ctx);
    return "done";
  },
  broadcastDrain: (ctx) => drainBroadcast(ctx),
  broadcastStop: async (ctx) => {
    const broadcast = ctx.event.broadcast;
    if (!isRunning(broadcast)) return "done";
    if (broadcast.stopAfter && Date.now() < broadcast.stopAfter) return "wait";
    await stopRun(BROADCAST, ctx, broadcast);
    return "done";
  },
  removeLiveRecord: async (ctx) => {
    await removeOwnLiveRecord(ctx.event);
    return "done";
  },
};

/** Records when the broadcast may stop and enqueues the durable task that stops it then. */
async function drainBroadcast(ctx: StepContext): Promise<StepOutcome> {
  const broadcast = await adoptLostStart(BROADCAST, ctx);
  if (!isRunning(broadcast)) return "done";
  const drainMs = Math.max(0, broadcastDrainSeconds.value()) * 1000;
  const stopAfter = broadcast.stopAfter ?? Date.now() + drainMs;
  if (!broadcast.stopAfter) await ctx.save({ "broadcast/stopAfter": stopAfter });
  try {
    await enqueueTask(
      STOP_BROADCAST_FUNCTION,
      { eventId: ctx.event.id },
      { scheduleDelaySeconds: (stopAfter - Date.now()) / 1000, id: taskId("stop", ctx.event.id, broadcast.id) },
    );
  } catch (error) {
    // Already queued (a retry) or Cloud Tasks unavailable: the scheduled backstop stops it anyway.
    warn("could not enqueue the broadcast stop; the backstop will stop it", { eventId: ctx.event.id, message: (error as Error).message });
  }
  return "done";
}
