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
import { ownerEventOf, type OwnerEvent } from "../../contract/callables/events";
import { assertOwner } from "../queries";
import { decideTransition, NEXT_STATUSES, refusedMessage, type TransitionDecision } from "./transitions";
import { inProgress, newLease, releaseLease } from "./lease";
import { stepContext, type AuditAs } from "./context";
import { actorFor, auditStatus, auditStep, isVonageStep } from "./auditing";
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
 * failures are returned in `failures` (and stored on the event), not thrown. `action` names the
 * change in the audit trail (the callable or the system job that asked for it).
 */
export async function changeEventStatus(
  eventId: string,
  target: EventStatus,
  caller: Caller | null,
  action = "changeStatus",
): Promise<TransitionReport> {
  const before = await readEvent(eventId);
  if (!before) throw notFound(`No event ${eventId}.`);
  if (caller) assertOwner(before, caller);
  const audit: AuditAs = { actor: actorFor(caller), action };
  const hls = (await readAdmin(before.adminId))?.hls === true;
  const now = Date.now();
  const lease = newLease(now);

  let from: EventStatus | undefined;
  const { outcome, event } = await mutateEvent<TransitionDecision>(eventId, (current) => {
    from = current?.status;
    return decideTransition(current, target, { now, lease, hls });
  });

  switch (outcome.kind) {
    case "missing":
      throw notFound(`No event ${eventId}.`);
    case "refused": {
      const refusal = failedPrecondition(refusedMessage(outcome.from, target), {
        status: outcome.from,
        allowed: NEXT_STATUSES[outcome.from],
      });
      await auditStatus(eventId, audit, { from: outcome.from, to: target }, refusal);
      throw refusal;
    }
    case "conflict": {
      const conflict = inProgress(outcome.inProgress);
      await auditStatus(eventId, audit, { from, to: target }, conflict);
      throw conflict;
    }
    case "busy":
    case "unchanged":
      return { outcome: outcome.kind, event: event!, failures: [] };
  }
  // A close commits in the transaction itself (no other path can join it): audited right after.
  if (outcome.kind === "transitioned" && target === "closed") await auditStatus(eventId, audit, { from, to: "closed" });
  const failures = await runSteps(eventId, lease.id, audit);
  return { outcome: outcome.kind, event: (await readEvent(eventId)) ?? event!, failures };
}

/** A caller's status change: the event as stored, or the error that says what did not complete. */
/** A status change for a callable: a failure thrown as its HttpsError, else the owner's view of the event. */
export async function changeStatusOrThrow(eventId: string, target: EventStatus, caller: Caller, action?: string): Promise<OwnerEvent> {
  const report = await changeEventStatus(eventId, target, caller, action);
  throwIfFailed(report);
  return ownerEventOf(report.event);
}

/** Resumes an unfinished status change for the system (drain task, backstop). */
export async function resumeStatusChange(eventId: string, action = "resumeStatusChange"): Promise<TransitionReport | null> {
  const event = await readEvent(eventId);
  const target = event?.lifecycle?.target;
  if (!event || !target || !(event.lifecycle?.pending?.length ?? 0)) return null;
  return changeEventStatus(eventId, target, null, action);
}

export type CloseProgress = "nothing" | "done" | "notDue" | "busy" | "failed";

/**
 * Finishes a close whose drain delay is over: stops the broadcast and removes the live record (and
 * retries any close step that failed). Used by the drain task and the scheduled backstop. Waits in
 * process for a drain that ends within `maxWaitMs` (the Cloud Tasks emulator delivers tasks at once,
 * ignoring their schedule time); answers `notDue` for a later one.
 */
export async function finishClose(eventId: string, maxWaitMs: number, action = "finishClose"): Promise<CloseProgress> {
  const event = await readEvent(eventId);
  if (!event || event.status !== "closed" || !(event.lifecycle?.pending?.length ?? 0)) return "nothing";
  const stopAfter = event.broadcast?.status === "started" ? event.broadcast.stopAfter : null;
  const wait = stopAfter ? stopAfter - Date.now() : 0;
  if (wait > maxWaitMs) return "notDue";
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const report = await resumeStatusChange(eventId, action);
  if (!report) return "nothing";
  if (report.outcome === "busy") return "busy";
  if (report.failures.length || (report.event.lifecycle?.pending?.length ?? 0) > 0) return "failed";
  return "done";
}

async function runSteps(eventId: string, leaseId: string, audit: AuditAs): Promise<StepFailure[]> {
  const event = await readEvent(eventId);
  if (!event || event.lifecycle?.lease?.id !== leaseId) return [];
  const ctx = stepContext(event, audit);
  const to = event.lifecycle.target;
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
        await auditStep(ctx, step, to, error);
        continue;
      }
      if (outcome === "wait") continue;
      if (isVonageStep(step)) await auditStep(ctx, step, to);
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
