/**
 * The control of the live area's documented-error rows (testing/documentedErrors/live.ts): on the
 * show they start from, every producer action, joinLine, leaveLine and refreshTokens succeed, so each
 * row's code comes from what the row changes (a closed show, a fan gone, Vonage down), not from a
 * set-up that fails anyway.
 */
import assert from "node:assert/strict";
import { resetDatabase, useFakeAuth } from "../testing/harness";
import { seedAdmin } from "../testing/fixtures";
import { useVonageStandin } from "../testing/vonageStandin";
import { resetRateLimits } from "../platform/rateLimit";
import { db } from "../platform/firebase";
import { admin, callAs } from "../testing/documentedErrors/support";
import { act, ACTIONS, liveShow } from "../testing/documentedErrors/live";

describe("hardening: the live rows' show accepts what the rows refuse", function () {
  this.timeout(60_000);

  beforeEach(async () => {
    useFakeAuth();
    resetRateLimits();
    await resetDatabase();
    (await useVonageStandin()).clearFaults();
    await seedAdmin("adm1");
    await seedAdmin("adm2");
  });

  /** What the Vonage-bound actions must have done at the stand-in (the rows' faults hit these calls). */
  const reached: Record<string, Record<string, unknown>> = {
    removeParticipant: { disconnected: 1 },
    sendSignal: { connections: 1 },
    muteAll: { session: "stage" },
    muteStream: { session: "backstage" },
  };
  for (const fn of Object.keys(ACTIONS)) {
    it(`${fn} succeeds for the owner`, async () => {
      const show = await liveShow();
      const answer = (await act(fn, admin, show)) as Record<string, unknown>;
      assert.equal(answer.eventId, show.event.id);
      for (const [key, value] of Object.entries(reached[fn] ?? {})) assert.equal(answer[key], value, key);
    });
  }

  it("the fan refreshes their tokens, joins again and leaves the line; the producer reads the line and the audit log", async () => {
    const show = await liveShow();
    const { fan, event } = show;
    assert.equal(((await callAs("refreshTokens", fan.auth, { fanId: fan.fanId })) as { userType: string }).userType, "fan");
    assert.equal(((await callAs("joinLine", fan.auth, { fanId: fan.fanId })) as { position: number }).position, 1);
    assert.equal(((await callAs("getLine", admin, { eventId: event.id })) as { size: number }).size, 1);
    assert.equal(((await callAs("leaveLine", fan.auth, { fanId: fan.fanId })) as { left: boolean }).left, true);
    assert.ok(Array.isArray(((await callAs("getAuditLog", admin, { eventId: event.id })) as { entries: unknown[] }).entries));
    assert.equal(typeof ((await callAs("getSessionAnalytics", admin, { eventId: event.id })) as { name: string }).name, "string");
  });

  after(async () => {
    await db().ref().set(null);
  });
});
