import assert from "node:assert/strict";
import { decideRestart, MAX_RESTARTS_PER_SHOW, ROTATION_WINDOW_MS, type RestartInput } from "./continuityDecision";

const NOW = 1_900_000_000_000;
const base: RestartInput = { live: true, state: { id: "a1", status: "started" }, continuity: null, now: NOW };
const decide = (input: Partial<RestartInput>) => decideRestart({ ...base, ...input });

describe("live/continuityDecision: when the backend restarts a run on its own", () => {
  it("restarts a run Vonage reported failed, whether the stored state or Vonage's answer says so", () => {
    assert.deepEqual(decide({ state: { id: "a1", status: "failed" } }), {
      restart: true,
      cause: "failed",
      endedStatus: "failed",
      retry: false,
    });
    assert.deepEqual(decide({ vonageStatus: "failed" }), { restart: true, cause: "failed", endedStatus: "failed", retry: false });
  });

  it("restarts a run that ended around a rotation notice (before or after it), not one that ended on its own", () => {
    for (const status of ["stopped", "available", "uploaded"]) {
      const decision = decide({ state: { id: "a1", status }, rotationAt: NOW - 1000 });
      assert.deepEqual(decision, { restart: true, cause: "serverRotation", endedStatus: status, retry: false });
    }
    assert.equal(decide({ vonageStatus: "stopped", rotationAt: NOW + 1000 }).restart, true);
    assert.deepEqual(decide({ state: { id: "a1", status: "stopped" } }), { restart: false, why: "endedOnItsOwn" });
    assert.deepEqual(decide({ state: { id: "a1", status: "stopped" }, rotationAt: NOW - ROTATION_WINDOW_MS - 1 }), {
      restart: false,
      why: "endedOnItsOwn",
    });
  });

  it("leaves a running run, one stopped on purpose, no run, and anything outside a live show", () => {
    assert.deepEqual(decide({ rotationAt: NOW }), { restart: false, why: "running" });
    assert.deepEqual(decide({ vonageStatus: "started", rotationAt: NOW }), { restart: false, why: "running" });
    assert.deepEqual(decide({ state: { id: "a1", status: "stopped", stoppedAt: NOW - 5 }, rotationAt: NOW }), {
      restart: false,
      why: "stoppedOnPurpose",
    });
    assert.deepEqual(decide({ state: { id: "a1", status: "failed", stoppedAt: NOW - 5 } }), { restart: false, why: "stoppedOnPurpose" });
    assert.deepEqual(decide({ state: null, rotationAt: NOW }), { restart: false, why: "nothingRecorded" });
    assert.deepEqual(decide({ state: { status: "failed" } }), { restart: false, why: "nothingRecorded" });
    assert.deepEqual(decide({ live: false, state: { id: "a1", status: "failed" } }), { restart: false, why: "notLive" });
  });

  it("finishes a restart that began and did not succeed, and stops restarting after the per-show bound", () => {
    const pending = { cause: "serverRotation" as const, previousId: "a0", pending: true, restarts: 2 };
    assert.deepEqual(decide({ state: { status: "failed" }, continuity: pending }), {
      restart: true,
      cause: "serverRotation",
      endedStatus: "failed",
      retry: true,
    });
    // A pending restart whose run runs after all (adopted by a later start) is done.
    assert.deepEqual(decide({ continuity: pending }), { restart: false, why: "running" });
    const exhausted = { cause: "failed" as const, previousId: "a0", restarts: MAX_RESTARTS_PER_SHOW };
    assert.deepEqual(decide({ state: { id: "a1", status: "failed" }, continuity: exhausted }), { restart: false, why: "tooManyRestarts" });
  });

  it("decides the same for a duplicate: once the new run is recorded, the old run's reports find it running", () => {
    const afterRestart: Partial<RestartInput> = {
      state: { id: "a2", status: "started" },
      continuity: { cause: "failed", previousId: "a1", id: "a2", restarts: 1, restartedAt: NOW },
      rotationAt: NOW,
    };
    assert.deepEqual(decide(afterRestart), { restart: false, why: "running" });
  });
});
