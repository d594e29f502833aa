/**
 * Show continuity: after a media server rotation, or when Vonage reports the archive or the broadcast
 * `failed`, the backend restarts what a live show must run, exactly once. Runs under the event's lease
 * (so never beside a status change, a manual archive operation, a deletion or another instance
 * handling a duplicate callback), decides with ./continuityDecision on the stored state and what
 * Vonage says now, retries a start a bounded number of times, records the new ids and HLS URL on the
 * event, the stage gate and the live record (`hlsUrl`, `archiving`, `continuity`) in one update, and
 * writes every step to the audit trail with the `system` actor.
 */
import { failedPrecondition, isHttpsError } from "../platform/errors";
import { info } from "../platform/logs";
import * as vonage from "../platform/vonage/operations";
import { VonageError } from "../platform/vonage/client";
import type { BroadcastState, ContinuityRun, EventRecord } from "../events/model";
import { derivedPatch } from "../events/derived";
import { updateEventWith } from "../events/store";
import { liveRecordOwner, liveRecordUpdates } from "../events/liveRecord";
import { paths } from "../contract/paths";
import { withEventLease } from "../events/lifecycle/lease";
import { stepContext, type StepContext } from "../events/lifecycle/context";
import { ARCHIVE, BROADCAST, isRunning, startRun } from "../events/lifecycle/vonageResource";
import { failureOf } from "../events/lifecycle/failures";
import { appendAudit, auditUpdate, SYSTEM_ACTOR } from "./audit";
import { decideRestart, type RestartCause, type RestartDecision } from "./continuityDecision";

/** What set a continuity check off (a callback, through the `restoreShowContinuity` task). */
export interface ContinuityTrigger {
  eventId: string;
  cause: "serverRotation" | "failed" | "stopped";
  /** When Vonage says it happened (the callback's timestamp), ms. */
  at: number;
  kind?: "archive" | "broadcast";
  runId?: string;
}

type Field = "archive" | "broadcast";

export interface ContinuityReport {
  /** Whether the check ran (false: the show is not live). */
  checked: boolean;
  restarted: Field[];
  decisions: Partial<Record<Field, RestartDecision>>;
}

/** Start attempts per restart (each start adopts what a lost answer started); the task retries after. */
export const START_ATTEMPTS = 3;
const BACKOFF_MS = 500;
/** How long a check waits for the event's lease (a status change or another check holding it). */
const LEASE_WAIT_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function restoreContinuity(trigger: ContinuityTrigger, leaseWaitMs = LEASE_WAIT_MS): Promise<ContinuityReport> {
  const deadline = Date.now() + leaseWaitMs;
  for (let wait = 250; ; wait = Math.min(wait * 2, 4000)) {
    try {
      const { result } = await withEventLease(
        trigger.eventId,
        (current) => ({ noop: current.status !== "live" }),
        (stored) => check(stored, trigger),
      );
      return result ?? { checked: false, restarted: [], decisions: {} };
    } catch (error) {
      const busy = isHttpsError(error) && error.code === "failed-precondition" && (error.details as { inProgress?: string })?.inProgress;
      if (!busy || Date.now() + wait > deadline) throw error;
      await sleep(wait);
    }
  }
}

async function check(stored: EventRecord, trigger: ContinuityTrigger): Promise<ContinuityReport> {
  const ctx = stepContext(stored);
  const now = Date.now();
  if (trigger.cause === "serverRotation") {
    const rotationAt = Math.max(ctx.event.continuity?.rotationAt ?? 0, trigger.at);
    await ctx.save({ "continuity/rotationAt": rotationAt });
  }
  const report: ContinuityReport = { checked: true, restarted: [], decisions: {} };
  let failed: Error | undefined;
  for (const field of ["archive", "broadcast"] as const) {
    const state = ctx.event[field];
    // After a rotation notice Vonage may already have ended a run whose stop callback has not
    // arrived (or never will), and a report may have lost its race with the stored state: ask.
    const asks = trigger.cause === "serverRotation" || (trigger.kind === field && trigger.runId === state?.id);
    const vonageStatus = asks && isRunning(state) ? await statusOnVonage(ctx, field, state.id) : undefined;
    const decision = decideRestart({
      live: ctx.event.status === "live",
      state,
      continuity: ctx.event.continuity?.[field],
      vonageStatus,
      rotationAt: ctx.event.continuity?.rotationAt,
      now,
    });
    report.decisions[field] = decision;
    if (!decision.restart) continue;
    try {
      await restart(ctx, field, decision.cause, decision.endedStatus, decision.retry);
      report.restarted.push(field);
    } catch (error) {
      // The other run is still restarted; the failed one stays pending for the task's retry.
      failed ??= error as Error;
    }
  }
  info("show continuity checked", { eventId: stored.id, cause: trigger.cause, restarted: report.restarted });
  if (failed) throw failed;
  return report;
}

async function statusOnVonage(ctx: StepContext, field: Field, id: string): Promise<string | undefined> {
  try {
    const credentials = await ctx.credentials();
    return (field === "archive" ? await vonage.getArchive(credentials, id) : await vonage.getBroadcast(credentials, id)).status;
  } catch (error) {
    // Vonage no longer knows it: it ended. Any other failure: decide on what is stored.
    return error instanceof VonageError && error.kind === "notFound" ? "stopped" : undefined;
  }
}

const idKey = (field: Field) => `${field}Id`;

async function restart(ctx: StepContext, field: Field, cause: RestartCause, endedStatus: string, retry: boolean): Promise<void> {
  const eventId = ctx.event.id;
  const old = ctx.event[field];
  const before = ctx.event.continuity?.[field];
  const previousId = (retry ? before?.previousId : old?.id) ?? old?.id ?? "unknown";
  if (!retry) {
    await appendAudit(eventId, {
      actor: SYSTEM_ACTOR,
      action: `${field}Ended`,
      target: { [idKey(field)]: previousId },
      outcome: "ok",
      details: { status: endedStatus, cause },
    });
    // The ended run is kept (its id, its final status) before the new one replaces it.
    const ended = old ? { ...old, status: endedStatus, updatedAt: Date.now() } : null;
    const set: Record<string, unknown> = {
      [`continuity/${field}`]: { cause, previousId, id: null, pending: true, restarts: before?.restarts ?? 0, error: null },
    };
    if (ended) set[field] = ended;
    // The archive keeps its ended runs itself (ARCHIVE.beforeStart); the broadcast's are kept here.
    if (field === "broadcast" && ended) set.previousBroadcasts = [...(ctx.event.previousBroadcasts ?? []), ended as BroadcastState];
    await ctx.save(set);
  }
  for (let attempt = 1; ; attempt++) {
    try {
      if (field === "archive") await startRun(ARCHIVE, ctx);
      else await startRun(BROADCAST, ctx);
      await recordRestart(ctx, field, { cause, previousId, restarts: (before?.restarts ?? 0) + 1 }, attempt);
      return;
    } catch (error) {
      const failure = failureOf(field, error);
      await appendAudit(eventId, {
        actor: SYSTEM_ACTOR,
        action: `${field}Restart`,
        target: { [idKey(field)]: previousId },
        outcome: "failed",
        error: { code: failure.kind, message: failure.message },
        details: { attempt, cause },
      });
      if (attempt >= START_ATTEMPTS) {
        await ctx.save({ [`continuity/${field}/error`]: failure.message });
        // The task is retried later; the pending restart is finished then.
        throw failedPrecondition(`Restarting the ${field} failed ${attempt} times: ${failure.message}`);
      }
      await sleep(BACKOFF_MS * 2 ** (attempt - 1));
    }
  }
}

/** The new run on the event, the stage gate and the live record, and its audit entry, in one update. */
async function recordRestart(
  ctx: StepContext,
  field: Field,
  run: Pick<ContinuityRun, "cause" | "previousId" | "restarts">,
  attempt: number,
): Promise<void> {
  const event = ctx.event;
  const now = Date.now();
  const current = event[field];
  const record: ContinuityRun = { ...run, id: current?.id ?? null, pending: null, restartedAt: now, error: null };
  const next: EventRecord = { ...event, continuity: { ...event.continuity, [field]: record } };
  const hlsUrl = field === "broadcast" ? ((current as BroadcastState | null)?.hlsUrl ?? null) : undefined;
  const [auditKey, auditValue] = auditUpdate(event.id, {
    actor: SYSTEM_ACTOR,
    action: `${field}Restarted`,
    target: { [idKey(field)]: current?.id ?? null },
    outcome: "ok",
    details: { previousId: run.previousId, cause: run.cause, attempt, restarts: run.restarts, ...(hlsUrl !== undefined ? { hlsUrl } : {}) },
  });
  const others: Record<string, unknown> = { ...derivedPatch(next, ctx.hls).updates, [auditKey]: auditValue };
  if ((await liveRecordOwner(event)) === event.id) {
    Object.assign(others, await liveRecordUpdates(next, "live", ctx.hls));
    others[`${paths.liveRecord(event.adminId, event.fanUrl)}/continuity`] = publicContinuity(next);
  }
  await updateEventWith(event.id, { [`continuity/${field}`]: record, updatedAt: now }, others);
  event.continuity = next.continuity;
  event.updatedAt = now;
}

/** What participants read in the live record: what restarted, why and when (no ids). */
export function publicContinuity(event: EventRecord): Record<string, unknown> {
  const view = (run: ContinuityRun | null | undefined) =>
    run?.restartedAt ? { cause: run.cause, restartedAt: run.restartedAt, restarts: run.restarts } : null;
  return {
    rotationAt: event.continuity?.rotationAt ?? null,
    archive: view(event.continuity?.archive),
    broadcast: view(event.continuity?.broadcast),
  };
}
