/**
 * Runs status changes: the change is claimed in a transaction on `events/{id}` that records the
 * steps to run and a lease (./transitions decides, ./lease explains why); only the caller holding the
 * lease runs the steps (./steps), and every step's progress is written to the event
 * (`lifecycle.pending`, `lifecycle.errors`, `archive`, `broadcast`), so after a failure a retry runs
 * only what is still missing. Until a change to live completes, the event stays `preshow` with
 * whatever Vonage did start recorded (ids are kept) and the failure in `lifecycle.errors`; a failed
 * stop after a close is recorded and retried by the next close call or the backstop.
 */
import { failedPrecondition, notFound } from "../../platform/errors";
import type { Caller } from "../../platform/roles";
import { readAdmin } from "../../admins/records";
import type { EventRecord, EventStatus } from "../model";
import { mutateEvent, readEvent } from "../store";
import { assertOwner } from "../queries";
import { decideTransition, NEXT_STATUSES, refusedMessage, type TransitionDecision } from "./transitions";
import { inProgress, newLease, releaseLease } from "./lease";
import { stepContext } from "./context";
import { STEPS } from "./steps";
import { failureOf, throwIfFailed, type StepFailure } from "./failures";

export interface TransitionReport {
  outcome: "transitioned" | "resumed" | "unchanged" | "busy";
  event: EventRecord;
  failures: StepFailure[];
}

/**
 * Changes an event's status (caller null: the system resuming its own change, e.g. the drain task).
 * Throws failed-precondition for a refused transition; returns what happened otherwise. Side-effect
 * failures are returned in `failures` (and stored on the event), not thrown.
 */
export async function changeEventStatus(eventId: string, target: EventStatus, caller: Caller | null): Promise<TransitionReport> {
  const before = await readEvent(eventId);
  if (!before) throw notFound(`No event ${eventId}.`);
  if (caller) assertOwner(before, caller);
  const hls = (await readAdmin(before.adminId))?.hls === true;
  const now = Date.now();
  const lease = newLease(now);

  const { outcome, event } = await mutateEvent<TransitionDecision>(eventId, (current) =>
    decideTransition(current, target, { now, lease, hls }),
  );

  switch (outcome.kind) {
    case "missing":
      throw notFound(`No event ${eventId}.`);
    case "refused":
      throw failedPrecondition(refusedMessage(outcome.from, target), { status: outcome.from, allowed: NEXT_STATUSES[outcome.from] });
    case "conflict":
      throw inProgress(outcome.inProgress);
    case "busy":
    case "unchanged":
      return { outcome: outcome.kind, event: event!, failures: [] };
  }
  const failures = await runSteps(eventId, lease.id);
  return { outcome: outcome.kind, event: (await readEvent(eventId)) ?? event!, failures };
}

/** A caller's status change: the event as stored, or the error that says what did not complete. */
export async function changeStatusOrThrow(eventId: string, target: EventStatus, caller: Caller): Promise<EventRecord> {
  const report = await changeEventStatus(eventId, target, caller);
  throwIfFailed(report);
  return report.event;
}

/** Resumes an unfinished status change for the system (drain task, backstop). */
export async function resumeStatusChange(eventId: string): Promise<TransitionReport | null> {
  const event = await readEvent(eventId);
  const target = event?.lifecycle?.target;
  if (!event || !target || !(event.lifecycle?.pending?.length ?? 0)) return null;
  return changeEventStatus(eventId, target, null);
}

export type CloseProgress = "nothing" | "done" | "notDue" | "busy" | "failed";

/**
 * Finishes a close whose drain delay is over: stops the broadcast and removes the live record (and
 * retries any close step that failed). Used by the drain task and the scheduled backstop. Waits in
 * process for a drain that ends within `maxWaitMs` (the Cloud Tasks emulator delivers tasks at once,
 * ignoring their schedule time); answers `notDue` for a later one.
 */
export async function finishClose(eventId: string, maxWaitMs: number): Promise<CloseProgress> {
  const event = await readEvent(eventId);
  if (!event || event.status !== "closed" || !(event.lifecycle?.pending?.length ?? 0)) return "nothing";
  const stopAfter = event.broadcast?.status === "started" ? event.broadcast.stopAfter : null;
  const wait = stopAfter ? stopAfter - Date.now() : 0;
  if (wait > maxWaitMs) return "notDue";
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const report = await resumeStatusChange(eventId);
  if (!report) return "nothing";
  if (report.outcome === "busy") return "busy";
  if (report.failures.length || (report.event.lifecycle?.pending?.length ?? 0) > 0) return "failed";
  return "done";
}

async function runSteps(eventId: string, leaseId: string): Promise<StepFailure[]> {
  const event = await readEvent(eventId);
  if (!event || event.lifecycle?.lease?.id !== leaseId) return [];
  const ctx = stepContext(event);
  let pending = [...(event.lifecycle.pending ?? [])];
  const failures: StepFailure[] = [];
  try {
    for (const step of [...pending]) {
      // Nothing is half-live: the status commits only when every start before it succeeded.
      if (step === "commit" && failures.length) break;
      if (step === "currentEvent" && pending.includes("commit")) break;
      // The live record goes only after the broadcast stopped (HLS viewers read its `closed` status).
      if (step === "removeLiveRecord" && pending.includes("broadcastStop")) break;
      let outcome;
      try {
        outcome = await STEPS[step](ctx);
      } catch (error) {
        const failure = failureOf(step, error);
        failures.push(failure);
        await ctx.save({ [`lifecycle/errors/${step}`]: failure.message, "lifecycle/updatedAt": Date.now() });
        continue;
      }
      if (outcome === "wait") continue;
      pending = pending.filter((candidate) => candidate !== step);
      await ctx.save({
        "lifecycle/pending": pending.length ? pending : null,
        ...(pending.length ? {} : { "lifecycle/unfinishedSince": null }),
        [`lifecycle/errors/${step}`]: null,
        "lifecycle/updatedAt": Date.now(),
      });
    }
  } finally {
    await releaseLease(eventId, leaseId);
  }
  return failures;
}
