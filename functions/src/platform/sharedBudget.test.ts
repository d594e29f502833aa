import assert from "node:assert/strict";
import { db } from "./firebase";
import { expectHttpsError, resetDatabase } from "../testing/harness";
import { resetSharedBudgetPruning, takeSharedBudget } from "./sharedBudget";

describe("platform/sharedBudget", () => {
  beforeEach(async () => {
    await resetDatabase();
    resetSharedBudgetPruning();
  });

  it("admits `limit` calls per key and minute, then resource-exhausted with retryAfterSeconds; other keys and the next minute are free", async () => {
    const minute = 29_000_000 * 60_000;
    for (let i = 0; i < 3; i++) await takeSharedBudget("probe", "a", 3, minute + 1000);
    const error = await expectHttpsError(takeSharedBudget("probe", "a", 3, minute + 20_000), "resource-exhausted");
    assert.equal((error.details as { retryAfterSeconds: number }).retryAfterSeconds, 40);
    await takeSharedBudget("probe", "b", 3, minute + 20_000);
    await takeSharedBudget("other", "a", 3, minute + 20_000);
    await takeSharedBudget("probe", "a", 3, minute + 60_000);
  });

  it("counts concurrent calls exactly (a transaction, as across instances)", async () => {
    const now = 29_000_100 * 60_000;
    const outcomes = await Promise.allSettled(Array.from({ length: 12 }, () => takeSharedBudget("probe", "a", 5, now)));
    assert.equal(outcomes.filter((outcome) => outcome.status === "fulfilled").length, 5);
  });

  it("deletes the buckets older than the previous minute (bounded storage)", async () => {
    const minute = 29_000_200;
    for (const window of [minute - 5, minute - 2, minute - 1]) await takeSharedBudget("probe", "a", 3, window * 60_000);
    resetSharedBudgetPruning();
    await takeSharedBudget("probe", "a", 3, minute * 60_000);
    const windows = Object.keys(((await db().ref("budgets").get()).val() as Record<string, unknown>) ?? {});
    assert.deepEqual(windows.sort(), [String(minute - 1), String(minute)]);
  });
});
