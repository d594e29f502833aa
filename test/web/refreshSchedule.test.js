// @ts-check
/** The web app's token refresh schedule (web/src/lib/refreshSchedule.ts, run as TypeScript by Node). */
"use strict";
const assert = require("node:assert/strict");
const path = require("node:path");
const { pathToFileURL } = require("node:url");

const MODULE = pathToFileURL(path.resolve(__dirname, "..", "..", "web", "src", "lib", "refreshSchedule.ts")).href;

describe("web: when the pages refresh their tokens", () => {
  /** @type {typeof import("../../web/src/lib/refreshSchedule")} */
  let schedule;
  before(async () => {
    schedule = await import(MODULE);
  });

  const now = 1_800_000_000_000;
  const minutes = (/** @type {number} */ n) => n * 60_000;

  it("asks a margin before expiry, not at it and not at once", () => {
    const delay = schedule.refreshDelay(now + minutes(360), now);
    assert.equal(delay, minutes(360) - schedule.REFRESH_MARGIN_MS);
    assert.ok(delay > 0 && delay < minutes(360));
  });

  it("keeps a quarter of the remaining life as margin for short-lived tokens", () => {
    assert.equal(schedule.refreshDelay(now + minutes(1), now), 45_000);
    assert.equal(schedule.refreshDelay(now + 4_000, now), 3_000);
  });

  it("is due at once when the tokens have expired or the expiry is unusable", () => {
    assert.equal(schedule.refreshDelay(now - 1, now), 0);
    assert.equal(schedule.refreshDelay(now, now), 0);
    assert.equal(schedule.refreshDelay(Number.NaN, now), 0);
  });

  it("never asks a timer to wait longer than it can (30-day tokens)", () => {
    const delay = schedule.refreshDelay(now + minutes(30 * 24 * 60), now);
    assert.equal(delay, schedule.MAX_TIMER_MS);
    // Where the timer would wrap, a later look still finds the refresh in the future, before expiry.
    const later = now + delay;
    const rest = schedule.refreshDelay(now + minutes(30 * 24 * 60), later);
    assert.ok(rest > 0 && later + rest < now + minutes(30 * 24 * 60));
  });

  it("fixes the moment when the tokens arrive: the timer firing then finds the refresh due", () => {
    for (const life of [minutes(1), minutes(20), minutes(360)]) {
      const dueAt = schedule.refreshDueAt(now + life, now);
      assert.equal(dueAt - now, schedule.refreshDelay(now + life, now));
      // A look at the due moment (or a little early, as timers fire) must refresh, not wait again.
      assert.equal(schedule.waitUntil(dueAt, dueAt), 0, `life ${life}`);
      assert.equal(schedule.waitUntil(dueAt, dueAt - 500), 500);
    }
    assert.equal(schedule.refreshDueAt(now - 1, now), now);
    assert.equal(schedule.refreshDueAt(Number.NaN, now), now);
    const monthDue = schedule.refreshDueAt(now + minutes(30 * 24 * 60), now);
    assert.equal(schedule.waitUntil(monthDue, now), schedule.MAX_TIMER_MS);
    assert.ok(monthDue < now + minutes(30 * 24 * 60) && schedule.waitUntil(monthDue, now + schedule.MAX_TIMER_MS) > 0);
  });

  it("backs off after transient failures, up to a minute", () => {
    const waits = [1, 2, 3, 4, 5, 10, 100].map((attempt) => schedule.retryDelay(attempt));
    assert.deepEqual(waits, [5_000, 10_000, 20_000, 40_000, 60_000, 60_000, 60_000]);
  });

  it("gives up only on refusals that asking again cannot change", () => {
    for (const code of ["permission-denied", "failed-precondition", "unauthenticated"]) assert.equal(schedule.refreshGivesUp(code), true);
    for (const code of ["unavailable", "deadline-exceeded", "internal", "resource-exhausted", undefined]) {
      assert.equal(schedule.refreshGivesUp(code), false, String(code));
    }
  });
});
