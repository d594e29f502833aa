/**
 * The one start / reconcile / stop of what an event runs on Vonage on its stage session: its archive
 * and its broadcast. Each is described once (`ARCHIVE`, `BROADCAST`: where its state is recorded, how
 * to start, find and stop it); the rules are shared:
 *
 * - start: nothing if a run is recorded as running; the attempt is recorded before Vonage is called
 *   (a crash or timeout leaves a trace the close reconciles), then the id, or the failure;
 * - reconcile: a start that failed without an id may still have started one on Vonage (a lost
 *   answer): look for it on the stage session and record it, so it is stopped too;
 * - stop: one already stopped, or one Vonage no longer knows (deleted or expired), counts as stopped;
 *   a failed stop is recorded on the state and thrown (a retry or the backstop finishes it).
 */
import type OpenTok from "opentok";
import * as vonage from "../../platform/vonage/operations";
import { VonageError } from "../../platform/vonage/client";
import type { VonageCredential } from "../../platform/vonage/credentials";
import type { ArchiveState, BroadcastState, EventRecord, LifecycleStep } from "../model";
import type { StepContext, StepOutcome } from "./context";
import { failureOf } from "./failures";

type RunState = ArchiveState | BroadcastState;

export interface VonageResource<S extends RunState, A extends { id: string; status: string }> {
  /** The event field that records the current run. */
  field: "archive" | "broadcast";
  /** The steps whose failures are recorded for its start and its stop. */
  startStep: LifecycleStep;
  stopStep: LifecycleStep;
  /** Fields every state of a run records (the archive's output mode, the broadcast's RTMP outputs). */
  settings(ctx: StepContext): Partial<S>;
  /** Other event fields written with the attempt (the archive keeps the runs before it). */
  beforeStart?(ctx: StepContext): Record<string, unknown>;
  start(credentials: VonageCredential, ctx: StepContext): Promise<A>;
  /** What a running state records of Vonage's answer besides the id (the broadcast's HLS URL). */
  started(answer: A, ctx: StepContext): Partial<S>;
  find(credentials: VonageCredential, sessionId: string): Promise<A | undefined>;
  /** Whether a recorded run (with an id) may still run and needs a stop. */
  stoppable(state: S): boolean;
  stop(credentials: VonageCredential, id: string): Promise<A>;
  /** The state's fields after a stop (`answer` undefined: Vonage no longer knows the run). */
  stopped(answer: A | undefined): Partial<S>;
}

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

const outputMode = (event: EventRecord) => (event.uncomposed ? "individual" : "composed");

export const ARCHIVE: VonageResource<ArchiveState, OpenTok.Archive> = {
  field: "archive",
  startStep: "archive",
  stopStep: "archiveStop",
  settings: ({ event }) => ({ outputMode: outputMode(event) }),
  beforeStart: ({ event }) => ({
    previousArchives: event.archive?.id ? [...(event.previousArchives ?? []), event.archive] : (event.previousArchives ?? null),
  }),
  start: (credentials, { event }) =>
    vonage.startArchive(credentials, event.stageSessionId, { name: archiveName(event), outputMode: outputMode(event) }),
  started: () => ({}),
  find: vonage.findStartedArchive,
  stoppable: (state) => ["started", "starting", "stopping"].includes(state.status),
  stop: vonage.stopArchive,
  stopped: (answer) => (answer ? { status: archiveStatusFrom(answer.status), url: answer.url ?? null } : { status: "stopped" }),
};

export const BROADCAST: VonageResource<BroadcastState, OpenTok.Broadcast> = {
  field: "broadcast",
  startStep: "broadcast",
  stopStep: "broadcastStop",
  settings: ({ event }) => (event.rtmpOutputs?.length ? { rtmp: event.rtmpOutputs } : {}),
  start: (credentials, { event, hls }) => vonage.startBroadcast(credentials, event.stageSessionId, { hls, rtmp: event.rtmpOutputs ?? [] }),
  started: (answer, { hls }) => ({ hlsUrl: hls ? (answer.broadcastUrls?.hls ?? null) : null }),
  find: vonage.findStartedBroadcast,
  stoppable: (state) => state.status === "started",
  stop: vonage.stopBroadcast,
  stopped: () => ({ status: "stopped", stopAfter: null }),
};

export function isRunning<S extends RunState>(state: S | null | undefined): state is S & { id: string } {
  return Boolean(state?.id && state.status === "started");
}

const stateOf = <S extends RunState>(kind: { field: "archive" | "broadcast" }, ctx: StepContext) =>
  ctx.event[kind.field] as S | null | undefined;

/** Starts a run unless one is recorded as running. */
export async function startRun<S extends RunState, A extends { id: string; status: string }>(
  kind: VonageResource<S, A>,
  ctx: StepContext,
): Promise<StepOutcome> {
  if (isRunning(stateOf<S>(kind, ctx))) return "done";
  const settings = kind.settings(ctx);
  // Record the attempt before calling Vonage: a crash or timeout leaves a trace the close reconciles.
  await ctx.save({ [kind.field]: { status: "starting", ...settings, updatedAt: Date.now() }, ...kind.beforeStart?.(ctx) });
  try {
    const answer = await kind.start(await ctx.credentials(), ctx);
    await ctx.save({
      [kind.field]: {
        id: answer.id,
        status: "started",
        ...settings,
        ...kind.started(answer, ctx),
        startedAt: Date.now(),
        updatedAt: Date.now(),
      },
    });
  } catch (error) {
    await ctx.save({
      [kind.field]: { status: "failed", ...settings, error: failureOf(kind.startStep, error).message, updatedAt: Date.now() },
    });
    throw error;
  }
  return "done";
}

/**
 * The recorded run, after adopting what a start without an id may have left running on the stage
 * session (a lost answer). Null: nothing is recorded, or nothing runs.
 */
export async function adoptLostStart<S extends RunState, A extends { id: string; status: string }>(
  kind: VonageResource<S, A>,
  ctx: StepContext,
): Promise<S | null> {
  const state = stateOf<S>(kind, ctx);
  if (!state) return null;
  if (state.id || (state.status !== "starting" && state.status !== "failed")) return state;
  const found = await kind.find(await ctx.credentials(), ctx.event.stageSessionId);
  if (!found) return null;
  const adopted = { ...state, id: found.id, status: "started", ...kind.started(found, ctx), error: null, updatedAt: Date.now() } as S;
  await ctx.save({ [kind.field]: adopted });
  return adopted;
}

/** Stops a recorded run that may still run; records the failure and throws when the stop fails. */
export async function stopRun<S extends RunState, A extends { id: string; status: string }>(
  kind: VonageResource<S, A>,
  ctx: StepContext,
  state: S | null,
): Promise<void> {
  if (!state?.id || !kind.stoppable(state)) return;
  let answer: A | undefined;
  try {
    answer = await kind.stop(await ctx.credentials(), state.id);
  } catch (error) {
    if (!(error instanceof VonageError && error.kind === "notFound")) {
      await ctx.save({
        [`${kind.field}/error`]: failureOf(kind.stopStep, error).message,
        [`${kind.field}/updatedAt`]: Date.now(),
      });
      throw error;
    }
    // Vonage no longer knows it (deleted or expired): nothing is running.
  }
  await ctx.save({ [kind.field]: { ...state, ...kind.stopped(answer), error: null, stoppedAt: Date.now(), updatedAt: Date.now() } });
}

/** Stops whatever of this kind may run for the event, a run a lost start left behind included. */
export async function stopWhatRuns<S extends RunState, A extends { id: string; status: string }>(
  kind: VonageResource<S, A>,
  ctx: StepContext,
): Promise<void> {
  await stopRun(kind, ctx, await adoptLostStart(kind, ctx));
}
