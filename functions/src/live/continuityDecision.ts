/**
 * Whether the backend restarts an event's archive or broadcast on its own (pure; ./continuity acts on
 * it under the event's lease). Only during a live show, only the run the event records as current,
 * never one the producer or a close stopped (`stoppedAt`), and only when its end was not wanted:
 * Vonage reported it `failed`, or it ended around a media server rotation (Vonage's stop callback
 * carries no reason, so a rotation notice within ROTATION_WINDOW_MS, before or after, marks it).
 * Every restart is bounded per show. A decision depends only on the stored state and what Vonage says
 * now, so duplicated or reordered callbacks decide the same: once the new run is recorded, the old
 * one's callbacks find nothing to restart.
 */
import type { ContinuityRun } from "../events/model";

/** Around a rotation (the platform's grace period is about 10 minutes). */
export const ROTATION_WINDOW_MS = 15 * 60_000;
/** Restarts per run kind and show: a run that keeps failing is left to the producer. */
export const MAX_RESTARTS_PER_SHOW = 10;

const ENDED = ["stopped", "uploaded", "available", "failed", "expired"];

export type RestartCause = ContinuityRun["cause"];

export interface RestartInput {
  live: boolean;
  /** The run the event records as current. */
  state: { id?: string; status: string; stoppedAt?: number } | null | undefined;
  /** What the event records of earlier restarts of this kind. */
  continuity: ContinuityRun | null | undefined;
  /** The run's status as Vonage reports it now, when it was asked. */
  vonageStatus?: string;
  rotationAt?: number | null;
  now: number;
}

export type RestartDecision =
  | { restart: true; cause: RestartCause; endedStatus: string; retry: boolean }
  | { restart: false; why: "notLive" | "nothingRecorded" | "stoppedOnPurpose" | "running" | "endedOnItsOwn" | "tooManyRestarts" };

export function decideRestart(input: RestartInput): RestartDecision {
  const { live, state, continuity, vonageStatus, rotationAt, now } = input;
  if (!live) return { restart: false, why: "notLive" };
  const restarts = continuity?.restarts ?? 0;
  const status = vonageStatus !== undefined && ENDED.includes(vonageStatus) ? vonageStatus : state?.status;
  const running = Boolean(state?.id) && (status === "started" || status === "paused");
  if (running) return { restart: false, why: "running" };
  if (restarts >= MAX_RESTARTS_PER_SHOW) return { restart: false, why: "tooManyRestarts" };
  // A restart that began and did not succeed (the start failed, the instance died): finish it.
  if (continuity?.pending) return { restart: true, cause: continuity.cause, endedStatus: status ?? "stopped", retry: true };
  if (!state?.id) return { restart: false, why: "nothingRecorded" };
  if (state.stoppedAt) return { restart: false, why: "stoppedOnPurpose" };
  if (!status || !ENDED.includes(status)) return { restart: false, why: "running" };
  if (status === "failed") return { restart: true, cause: "failed", endedStatus: status, retry: false };
  if (rotationAt && Math.abs(now - rotationAt) <= ROTATION_WINDOW_MS) {
    return { restart: true, cause: "serverRotation", endedStatus: status, retry: false };
  }
  // Stopped without a rotation (for example an empty stage for a minute): not restarted.
  return { restart: false, why: "endedOnItsOwn" };
}
