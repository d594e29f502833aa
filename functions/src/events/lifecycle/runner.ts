/**
 * The show lifecycle: `notStarted -> preshow -> live -> closed` (and notStarted|preshow -> closed).
 *
 * A status change is claimed in a transaction on `events/{id}` that records the steps to run and a
 * lease. Only the caller holding the lease runs them, so two producers clicking at once, a retried
 * call, the drain task and the scheduled backstop never run a side effect twice. Every step is
 * idempotent and its progress is written to the event (`lifecycle.pending`, `lifecycle.errors`,
 * `archive`, `broadcast`), so after a failure a retry runs only what is still missing.
 *
 * What "live" means: the event's status becomes `live` only once everything it needs is running (the
 * archive when `archiveEvent`, the broadcast when the admin has HLS or the event has RTMP outputs).
 * Until then it stays `preshow`, with whatever Vonage did start recorded (ids are kept) and the failure
 * written in `lifecycle.errors`; nothing is half-live. Closing commits `closed` at once and then stops
 * what runs; a failed stop is recorded and retried by the next close call or the backstop.
 */
import { randomUUID } from "node:crypto";
import { db } from "../../platform/firebase";
import { paths } from "../../platform/paths";
import { broadcastDrainSeconds, VONAGE_CREDENTIAL_SECRETS } from "../../platform/config";
import { failedPrecondition, isHttpsError, notFound, unavailable } from "../../platform/errors";
import { redact, warn } from "../../platform/logs";
import { eventCredentials } from "../../admins/tenants";
import type { VonageCredential } from "../../platform/vonage/credentials";
import { VonageError } from "../../platform/vonage/client";
import * as vonage from "../../platform/vonage/operations";
import type { ArchiveState, BroadcastState, EventRecord, EventStatus, LifecycleState, LifecycleStep } from "../model";
import {
  assertOwner,
  derivedUpdates,
  leaseActive,
  liveRecordFields,
  liveRecordOwner,
  mutateEvent,
  readAdmin,
  readEvent,
  refreshCurrentEvent,
  syncDerived,
} from "../store";
import { enqueueTask, taskId } from "../../platform/tasks";
import type { Caller } from "../../platform/roles";

export const NEXT_STATUSES: Record<EventStatus, readonly EventStatus[]> = {
  notStarted: ["preshow", "closed"],
  preshow: ["live", "closed"],
  live: ["closed"],
  closed: [],
};

/** Secrets every function that calls Vonage must bind (a tenant's sealed secret, or the project-wide one). */
export const VONAGE_SECRETS = VONAGE_CREDENTIAL_SECRETS;

/** Longer than any runner's function timeout, so an expired lease means its holder is gone. */
export const LEASE_MS = 180_000;
/** The `onTaskDispatched` function that stops a broadcast after the drain delay. */
export const STOP_BROADCAST_FUNCTION = "stopBroadcastAfterDrain";

export interface StepFailure {
  step: LifecycleStep;
  kind: string;
  message: string;
}

export interface TransitionReport {
  outcome: "transitioned" | "resumed" | "unchanged" | "busy";
  event: EventRecord;
  failures: StepFailure[];
}

export function stepsFor(target: EventStatus, event: EventRecord, hls: boolean): LifecycleStep[] {
  switch (target) {
    case "preshow":
      return ["liveRecord", "commit", "currentEvent"];
    case "live":
      return [
        ...(event.archiveEvent ? (["archive"] as const) : []),
        ...(needsBroadcast(event, hls) ? (["broadcast"] as const) : []),
        "commit",
        "currentEvent",
      ];
    case "closed":
      return ["markClosed", "currentEvent", "archiveStop", "broadcastDrain", "broadcastStop", "removeLiveRecord"];
    default:
      return [];
  }
}

function needsBroadcast(event: EventRecord, hls: boolean): boolean {
  return hls || (event.rtmpOutputs?.length ?? 0) > 0;
}

export function refusedMessage(from: EventStatus, to: EventStatus): string {
  const allowed = NEXT_STATUSES[from];
  const next = allowed.length ? `allowed next: ${allowed.join(", ")}` : "a closed event is final";
  return `Cannot change the event from ${from} to ${to} (${next}).`;
}

type Decision =
  | { kind: "missing" }
  | { kind: "busy" }
  | { kind: "conflict"; inProgress: EventStatus }
  | { kind: "refused"; from: EventStatus }
  | { kind: "unchanged" }
  | { kind: "resumed" }
  | { kind: "transitioned" };

function newLease(now: number): { id: string; until: number } {
  return { id: randomUUID(), until: now + LEASE_MS };
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

  const { outcome, event } = await mutateEvent<Decision>(eventId, (current) => {
    if (!current) return { outcome: { kind: "missing" } };
    const lifecycle = current.lifecycle;
    const busy = leaseActive(current, now);
    if (lifecycle?.target === target && (lifecycle.pending?.length ?? 0) > 0) {
      if (busy) return { outcome: { kind: "busy" } };
      return { outcome: { kind: "resumed" }, next: { ...current, lifecycle: { ...lifecycle, lease, updatedAt: now } } };
    }
    if (current.status === target) return { outcome: { kind: "unchanged" } };
    if (busy) return { outcome: { kind: "conflict", inProgress: lifecycle!.target } };
    if (!NEXT_STATUSES[current.status].includes(target)) return { outcome: { kind: "refused", from: current.status } };
    const next: EventRecord = {
      ...current,
      lifecycle: { target, pending: stepsFor(target, current, hls), lease, errors: null, hls, startedAt: now, updatedAt: now },
      updatedAt: now,
    };
    if (target === "closed") {
      // Closing takes effect at once (no new logins, clients end); the rest follows in the steps.
      next.status = "closed";
      next.showEndedAt = now;
      next.imagesClosedAt = current.startImage || current.endImage ? now : null;
    }
    return { outcome: { kind: "transitioned" }, next };
  });

  switch (outcome.kind) {
    case "missing":
      throw notFound(`No event ${eventId}.`);
    case "refused":
      throw failedPrecondition(refusedMessage(outcome.from, target), { status: outcome.from, allowed: NEXT_STATUSES[outcome.from] });
    case "conflict":
      throw failedPrecondition(`A change to ${outcome.inProgress} is in progress for this event; retry in a moment.`, {
        inProgress: outcome.inProgress,
      });
    case "busy":
    case "unchanged":
      return { outcome: outcome.kind, event: event!, failures: [] };
  }
  const failures = await runSteps(eventId, lease.id);
  return { outcome: outcome.kind, event: (await readEvent(eventId)) ?? event!, failures };
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

// ---- the steps -------------------------------------------------------------------------------

interface StepContext {
  /** Local copy of the event, kept in step with what the steps saved. */
  event: EventRecord;
  hls: boolean;
  save(set: Record<string, unknown>): Promise<void>;
  credentials(): Promise<VonageCredential>;
}

type StepOutcome = "done" | "wait";

const STEPS: Record<LifecycleStep, (ctx: StepContext) => Promise<StepOutcome>> = {
  liveRecord: async (ctx) => {
    await writeLiveRecord(ctx.event, "preshow", ctx.hls);
    return "done";
  },
  archive: (ctx) => startArchiveStep(ctx),
  broadcast: (ctx) => startBroadcastStep(ctx),
  commit: async (ctx) => {
    const event = ctx.event;
    const target = event.lifecycle!.target;
    const now = Date.now();
    const set: Record<string, unknown> = { status: target };
    if (target === "live" && !event.showStartedAt) set.showStartedAt = now;
    const next = { ...event, ...set };
    // The status, the live record and the derived nodes change in one atomic update: fans never see
    // a live event without its live record fields (HLS URL, archiving flag).
    const updates: Record<string, unknown> = { [`${paths.event(event.id)}/updatedAt`]: now };
    for (const [key, value] of Object.entries(set)) updates[`${paths.event(event.id)}/${key}`] = value;
    if (target === "live") Object.assign(updates, await liveRecordUpdates(next, "live", ctx.hls));
    Object.assign(updates, derivedUpdates(next, ctx.hls));
    await db().ref().update(updates);
    Object.assign(ctx.event, set, { updatedAt: now });
    await syncDerived(event.id, ctx.hls);
    return "done";
  },
  currentEvent: async (ctx) => {
    await refreshCurrentEvent(ctx.event.adminId);
    return "done";
  },
  markClosed: async (ctx) => {
    const event = ctx.event;
    if ((await liveRecordOwner(event)) === event.id) {
      await db().ref(paths.liveRecord(event.adminId, event.fanUrl)).update({ status: "closed" });
    }
    await syncDerived(event.id);
    return "done";
  },
  archiveStop: (ctx) => stopArchiveStep(ctx),
  broadcastDrain: (ctx) => drainBroadcastStep(ctx),
  broadcastStop: (ctx) => stopBroadcastStep(ctx, false),
  removeLiveRecord: async (ctx) => {
    const event = ctx.event;
    if ((await liveRecordOwner(event)) === event.id) await db().ref(paths.liveRecord(event.adminId, event.fanUrl)).remove();
    return "done";
  },
};

function stepContext(event: EventRecord): StepContext {
  const ref = db().ref(paths.event(event.id));
  return {
    event,
    hls: event.lifecycle?.hls === true,
    async save(set) {
      const now = Date.now();
      // A transaction, not update(): a field-level update after a concurrent deletion (deleteAdmin,
      // deleteEvent) would recreate a headless event record that nothing ever removes.
      const result = await ref.transaction(
        (current: Record<string, unknown> | null) => {
          if (current === null) return null;
          for (const [key, value] of Object.entries(set)) setPath(current, key, value);
          current.updatedAt = now;
          return current;
        },
        undefined,
        false,
      );
      if (!result.snapshot.exists()) throw notFound(`Event ${event.id} was deleted while this change ran.`);
      for (const [key, value] of Object.entries(set)) setPath(event as unknown as Record<string, unknown>, key, value);
      event.updatedAt = now;
    },
    credentials: () => eventCredentials(event),
  };
}

/** Applies a `a/b/c`-style update to a plain object as the database would (null deletes). */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split("/");
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (typeof node[part] !== "object" || node[part] === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  const last = parts[parts.length - 1];
  if (value === null || value === undefined) delete node[last];
  else node[last] = value;
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
      let outcome: StepOutcome;
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
        [`lifecycle/errors/${step}`]: null,
        "lifecycle/updatedAt": Date.now(),
      });
    }
  } finally {
    await releaseLease(eventId, leaseId);
  }
  return failures;
}

async function releaseLease(eventId: string, leaseId: string): Promise<void> {
  await db()
    .ref(`${paths.event(eventId)}/lifecycle/lease`)
    .transaction((lease: { id?: string } | null) => (lease === null ? null : lease.id === leaseId ? null : undefined), undefined, false)
    .catch((error: Error) => warn("lease release failed; it expires on its own", { eventId, message: error.message }));
}

export function failureOf(step: LifecycleStep, error: unknown): StepFailure {
  if (error instanceof VonageError) return { step, kind: error.kind, message: redact(error.message) ?? error.kind };
  if (isHttpsError(error)) return { step, kind: error.code, message: error.message };
  const message = (error as { message?: string })?.message ?? String(error);
  return { step, kind: "internal", message: redact(message.slice(0, 300)) ?? "failed" };
}

// ---- live record ------------------------------------------------------------------------------

/** Creates or updates the live record without touching fans or presence (IBS `set` wiped them: flaw 20). */
async function writeLiveRecord(event: EventRecord, status: EventStatus, hls: boolean): Promise<void> {
  const updates = await liveRecordUpdates(event, status, hls);
  await db().ref().update(updates);
}

async function liveRecordUpdates(event: EventRecord, status: EventStatus, hls: boolean): Promise<Record<string, unknown>> {
  const base = paths.liveRecord(event.adminId, event.fanUrl);
  const fields = liveRecordFields(event, status, hls);
  const owner = await liveRecordOwner(event);
  // A record left by another (closed, still draining) event with the same slug is replaced, not merged.
  if (owner && owner !== event.id) return { [base]: fields };
  const updates: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) updates[`${base}/${key}`] = value;
  return updates;
}

// ---- archive ----------------------------------------------------------------------------------

export function archiveStatusFrom(vonageStatus: string | undefined): ArchiveState["status"] {
  switch (vonageStatus) {
    case "started":
    case "paused":
      return "started";
    case "uploaded":
    case "available":
    case "failed":
    case "stopped":
      return vonageStatus;
    default:
      return "stopped";
  }
}

function archiveName(event: EventRecord): string {
  return `Archive ${event.name} ${new Date().toISOString().slice(0, 10)}`.slice(0, 200);
}

const isRunningArchive = (archive: ArchiveState | null | undefined) => Boolean(archive?.id && archive.status === "started");

/** Starts the event's archive on the stage session unless one is recorded as running. */
async function startArchiveStep(ctx: StepContext): Promise<StepOutcome> {
  const event = ctx.event;
  if (isRunningArchive(event.archive)) return "done";
  const outputMode = event.uncomposed ? "individual" : "composed";
  const previous = event.archive?.id ? [...(event.previousArchives ?? []), event.archive] : (event.previousArchives ?? null);
  // Record the attempt before calling Vonage: a crash or timeout leaves a trace the close reconciles.
  await ctx.save({ archive: { status: "starting", outputMode, updatedAt: Date.now() }, previousArchives: previous });
  try {
    const archive = await vonage.startArchive(await ctx.credentials(), event.stageSessionId, { name: archiveName(event), outputMode });
    await ctx.save({ archive: { id: archive.id, status: "started", outputMode, startedAt: Date.now(), updatedAt: Date.now() } });
  } catch (error) {
    await ctx.save({ archive: { status: "failed", outputMode, error: failureOf("archive", error).message, updatedAt: Date.now() } });
    throw error;
  }
  return "done";
}

/**
 * Stops the recorded archive. An attempt that failed without an id may still have started one on
 * Vonage (a lost answer): look for it on the stage session and stop that.
 */
async function stopArchiveStep(ctx: StepContext): Promise<StepOutcome> {
  let archive = ctx.event.archive;
  if (!archive) return "done";
  if (!archive.id && (archive.status === "starting" || archive.status === "failed")) {
    const found = await vonage.findStartedArchive(await ctx.credentials(), ctx.event.stageSessionId);
    if (!found) return "done";
    archive = { ...archive, id: found.id, status: "started", error: null, updatedAt: Date.now() };
    await ctx.save({ archive });
  }
  if (!archive.id || !["started", "starting", "stopping"].includes(archive.status)) return "done";
  try {
    const stopped = await vonage.stopArchive(await ctx.credentials(), archive.id);
    await ctx.save({
      archive: {
        ...archive,
        status: archiveStatusFrom(stopped.status),
        url: stopped.url ?? null,
        error: null,
        stoppedAt: Date.now(),
        updatedAt: Date.now(),
      },
    });
  } catch (error) {
    if (error instanceof VonageError && error.kind === "notFound") {
      // Vonage no longer knows it (deleted or expired): nothing is running.
      await ctx.save({ archive: { ...archive, status: "stopped", error: null, stoppedAt: Date.now(), updatedAt: Date.now() } });
      return "done";
    }
    await ctx.save({ "archive/error": failureOf("archiveStop", error).message, "archive/updatedAt": Date.now() });
    throw error;
  }
  return "done";
}

// ---- broadcast --------------------------------------------------------------------------------

const isRunningBroadcast = (broadcast: BroadcastState | null | undefined) => Boolean(broadcast?.id && broadcast.status === "started");

async function startBroadcastStep(ctx: StepContext): Promise<StepOutcome> {
  const event = ctx.event;
  if (isRunningBroadcast(event.broadcast)) return "done";
  const rtmp = event.rtmpOutputs ?? [];
  await ctx.save({ broadcast: { status: "starting", ...(rtmp.length ? { rtmp } : {}), updatedAt: Date.now() } });
  try {
    const started = await vonage.startBroadcast(await ctx.credentials(), event.stageSessionId, { hls: ctx.hls, rtmp });
    await ctx.save({
      broadcast: {
        id: started.id,
        status: "started",
        hlsUrl: ctx.hls ? (started.broadcastUrls?.hls ?? null) : null,
        ...(rtmp.length ? { rtmp } : {}),
        startedAt: Date.now(),
        updatedAt: Date.now(),
      },
    });
  } catch (error) {
    await ctx.save({
      broadcast: {
        status: "failed",
        ...(rtmp.length ? { rtmp } : {}),
        error: failureOf("broadcast", error).message,
        updatedAt: Date.now(),
      },
    });
    throw error;
  }
  return "done";
}

/** Records when the broadcast may stop and enqueues the durable task that stops it then. */
async function drainBroadcastStep(ctx: StepContext): Promise<StepOutcome> {
  let broadcast = ctx.event.broadcast;
  if (!broadcast) return "done";
  if (!broadcast.id && (broadcast.status === "starting" || broadcast.status === "failed")) {
    const found = await vonage.findStartedBroadcast(await ctx.credentials(), ctx.event.stageSessionId);
    if (!found) return "done";
    broadcast = { ...broadcast, id: found.id, status: "started", hlsUrl: ctx.hls ? (found.broadcastUrls?.hls ?? null) : null, error: null };
    await ctx.save({ broadcast });
  }
  if (!isRunningBroadcast(broadcast)) return "done";
  const drainMs = Math.max(0, broadcastDrainSeconds.value()) * 1000;
  const stopAfter = broadcast.stopAfter ?? Date.now() + drainMs;
  if (!broadcast.stopAfter) await ctx.save({ "broadcast/stopAfter": stopAfter });
  try {
    await enqueueTask(
      STOP_BROADCAST_FUNCTION,
      { eventId: ctx.event.id },
      { scheduleDelaySeconds: (stopAfter - Date.now()) / 1000, id: taskId("stop", ctx.event.id, broadcast.id!) },
    );
  } catch (error) {
    // Already queued (a retry) or Cloud Tasks unavailable: the scheduled backstop stops it anyway.
    warn("could not enqueue the broadcast stop; the backstop will stop it", { eventId: ctx.event.id, message: (error as Error).message });
  }
  return "done";
}

/** Stops the broadcast once the drain delay is over (`immediately`: deleting the event). */
async function stopBroadcastStep(ctx: StepContext, immediately: boolean): Promise<StepOutcome> {
  const broadcast = ctx.event.broadcast;
  if (!broadcast || !isRunningBroadcast(broadcast)) return "done";
  if (!immediately && broadcast.stopAfter && Date.now() < broadcast.stopAfter) return "wait";
  try {
    await vonage.stopBroadcast(await ctx.credentials(), broadcast.id!);
  } catch (error) {
    if (!(error instanceof VonageError && error.kind === "notFound")) {
      await ctx.save({ "broadcast/error": failureOf("broadcastStop", error).message, "broadcast/updatedAt": Date.now() });
      throw error;
    }
  }
  await ctx.save({
    broadcast: { ...broadcast, status: "stopped", stopAfter: null, error: null, stoppedAt: Date.now(), updatedAt: Date.now() },
  });
  return "done";
}

// ---- manual archive control and deletion --------------------------------------------------------

type LeaseDecision =
  | { kind: "missing" }
  | { kind: "conflict"; inProgress: EventStatus }
  | { kind: "refused"; message: string }
  | { kind: "noop" }
  | { kind: "leased" };

/**
 * Takes the event's lease for an operation outside a status change (manual archive, deletion), so it
 * cannot interleave with a status change. `check` refuses (message) or skips (noop) the operation.
 */
async function withEventLease<T>(
  eventId: string,
  check: (event: EventRecord) => { refuse?: string; noop?: boolean },
  run: (ctx: StepContext) => Promise<T>,
): Promise<{ event: EventRecord; result?: T }> {
  const now = Date.now();
  const lease = newLease(now);
  const { outcome, event } = await mutateEvent<LeaseDecision>(eventId, (current) => {
    if (!current) return { outcome: { kind: "missing" } };
    if (leaseActive(current, now)) return { outcome: { kind: "conflict", inProgress: current.lifecycle!.target } };
    const verdict = check(current);
    if (verdict.refuse) return { outcome: { kind: "refused", message: verdict.refuse } };
    if (verdict.noop) return { outcome: { kind: "noop" } };
    const lifecycle: LifecycleState = current.lifecycle ?? { target: current.status, startedAt: now, updatedAt: now };
    return { outcome: { kind: "leased" }, next: { ...current, lifecycle: { ...lifecycle, lease, updatedAt: now } } };
  });
  if (outcome.kind === "missing") throw notFound(`No event ${eventId}.`);
  if (outcome.kind === "conflict") {
    throw failedPrecondition(`A change to ${outcome.inProgress} is in progress for this event; retry in a moment.`, {
      inProgress: outcome.inProgress,
    });
  }
  if (outcome.kind === "refused") throw failedPrecondition(outcome.message);
  if (outcome.kind === "noop") return { event: event! };
  try {
    const fresh = (await readEvent(eventId))!;
    const result = await run(stepContext(fresh));
    return { event: (await readEvent(eventId)) ?? fresh, result };
  } finally {
    await releaseLease(eventId, lease.id);
  }
}

export async function startArchiveNow(eventId: string, caller: Caller): Promise<EventRecord> {
  const before = await readEvent(eventId);
  if (!before) throw notFound(`No event ${eventId}.`);
  assertOwner(before, caller);
  const { event } = await withEventLease(
    eventId,
    (current) => {
      if (current.status !== "live") return { refuse: `Archives start only during a live show; the event is ${current.status}.` };
      return { noop: isRunningArchive(current.archive) };
    },
    async (ctx) => {
      try {
        await startArchiveStep(ctx);
      } catch (error) {
        throw vonageFailure(failureOf("archive", error), `Starting the archive failed: `, ctx.event);
      }
      await setArchivingFlag(ctx.event, true);
    },
  );
  return event;
}

export async function stopArchiveNow(eventId: string, caller: Caller): Promise<EventRecord> {
  const before = await readEvent(eventId);
  if (!before) throw notFound(`No event ${eventId}.`);
  assertOwner(before, caller);
  const { event } = await withEventLease(
    eventId,
    (current) => ({ noop: !current.archive }),
    async (ctx) => {
      const wasRunning = isRunningArchive(ctx.event.archive) || (!ctx.event.archive?.id && ctx.event.archive?.status !== "stopped");
      if (wasRunning) {
        try {
          await stopArchiveStep(ctx);
        } catch (error) {
          throw vonageFailure(failureOf("archiveStop", error), `Stopping the archive failed: `, ctx.event);
        }
      } else if (ctx.event.archive?.id) {
        // Already stopped: refresh where it is (Vonage sets the URL once the file is available).
        const current = await vonage.getArchive(await ctx.credentials(), ctx.event.archive.id).catch(() => null);
        if (current) {
          await ctx.save({
            "archive/status": archiveStatusFrom(current.status),
            "archive/url": current.url ?? null,
            "archive/updatedAt": Date.now(),
          });
        }
      }
      const pending = ctx.event.lifecycle?.pending ?? [];
      if (pending.includes("archiveStop")) {
        const rest = pending.filter((step) => step !== "archiveStop");
        await ctx.save({ "lifecycle/pending": rest.length ? rest : null, "lifecycle/errors/archiveStop": null });
      }
      await setArchivingFlag(ctx.event, false);
    },
  );
  return event;
}

async function setArchivingFlag(event: EventRecord, archiving: boolean): Promise<void> {
  if (event.status !== "live") return;
  if ((await liveRecordOwner(event)) !== event.id) return;
  await db().ref(paths.liveRecord(event.adminId, event.fanUrl)).update({ archiving });
}

/**
 * Deletes an event and everything derived from it. What runs on Vonage is stopped first (no drain:
 * the event is going away); if a stop fails, nothing is deleted, so no id is lost and a retry can
 * finish. Returns the images to delete (the caller deletes them after the database is clean).
 */
export async function deleteEventEverywhere(eventId: string, caller: Caller): Promise<EventRecord> {
  const before = await readEvent(eventId);
  if (!before) throw notFound(`No event ${eventId}.`);
  assertOwner(before, caller);
  const { event } = await withEventLease(
    eventId,
    () => ({}),
    async (ctx) => {
      const failures: StepFailure[] = [];
      for (const [step, run] of [
        ["archiveStop", () => stopArchiveStep(ctx)],
        ["broadcastStop", () => drainlessReconcile(ctx).then(() => stopBroadcastStep(ctx, true))],
      ] as const) {
        try {
          await run();
        } catch (error) {
          failures.push(failureOf(step, error));
        }
      }
      if (failures.length) {
        await ctx.save({ "lifecycle/errors": Object.fromEntries(failures.map((failure) => [failure.step, failure.message])) });
        throw vonageFailure(failures[0], "Nothing was deleted: stopping what runs on Vonage failed: ", ctx.event, failures);
      }
    },
  );
  await removeEventData(event);
  return event;
}

/** For deletion: adopt a broadcast a failed start may have left running, so it is stopped too. */
async function drainlessReconcile(ctx: StepContext): Promise<void> {
  const broadcast = ctx.event.broadcast;
  if (!broadcast || broadcast.id || (broadcast.status !== "starting" && broadcast.status !== "failed")) return;
  const found = await vonage.findStartedBroadcast(await ctx.credentials(), ctx.event.stageSessionId);
  if (found) await ctx.save({ broadcast: { ...broadcast, id: found.id, status: "started", error: null } });
}

async function removeEventData(event: EventRecord): Promise<void> {
  const updates: Record<string, unknown> = {
    [paths.event(event.id)]: null,
    [paths.eventKey(event.adminId, "host", event.hostUrl)]: null,
    [paths.eventKey(event.adminId, "celebrity", event.celebrityUrl)]: null,
    [paths.stageGate(event.id)]: null,
    [paths.sessionIndex(event.sessionId)]: null,
    [paths.sessionIndex(event.stageSessionId)]: null,
    [paths.attendance(event.id)]: null,
  };
  const [fanKeyOwner, recordOwner, current] = await Promise.all([
    db()
      .ref(`${paths.eventKey(event.adminId, "fan", event.fanUrl)}/eventId`)
      .once("value"),
    liveRecordOwner(event),
    db()
      .ref(`${paths.currentEvent(event.adminId)}/eventId`)
      .once("value"),
  ]);
  // The slug and the live record may already belong to a newer event with the same fan slug.
  if (fanKeyOwner.val() === event.id) updates[paths.eventKey(event.adminId, "fan", event.fanUrl)] = null;
  if (recordOwner === event.id) updates[paths.liveRecord(event.adminId, event.fanUrl)] = null;
  await db().ref().update(updates);
  if (current.val() === event.id) await refreshCurrentEvent(event.adminId);
}

// ---- reporting --------------------------------------------------------------------------------

function vonageFailure(
  first: StepFailure,
  prefix: string,
  event: EventRecord,
  all: StepFailure[] = [first],
  extra: Record<string, unknown> = {},
): Error {
  const details = {
    eventId: event.id,
    status: event.status,
    errors: Object.fromEntries(all.map((failure) => [failure.step, failure.message])),
    ...extra,
  };
  const message = `${prefix}${all.map((failure) => failure.message).join("; ")}`;
  if (all.some((failure) => failure.kind === "auth" || failure.kind === "failed-precondition")) return failedPrecondition(message, details);
  return unavailable(`${message}. Retry; only what is missing is done again.`, details);
}

/** Turns a report with failures into the error the callable answers; the stored event says the same. */
export function throwIfFailed(report: TransitionReport): void {
  if (!report.failures.length) return;
  const event = report.event;
  const target = event.lifecycle?.target ?? event.status;
  const prefix =
    target === "closed"
      ? "The show is closed, but finishing it failed: "
      : `The change to ${target} did not complete (the event stays ${event.status}): `;
  throw vonageFailure(report.failures[0], prefix, event, report.failures, { pending: event.lifecycle?.pending ?? [] });
}
