import assert from "node:assert/strict";
import { db } from "../platform/firebase";
import { connectionCallback, liveEventForCallbacks, outcome, postCallback, T0 } from "../testing/callbackRequests";
import { CLAIM_TTL_MS, forgetPrunes } from "./dedupe";

describe("attendance/dedupe claims expire", () => {
  it("a callback of an event deletes that event's claims older than the TTL, keeps the fresh ones and other events'", async () => {
    const event = await liveEventForCallbacks();
    forgetPrunes();
    const now = Date.now();
    await db()
      .ref()
      .update({
        [`processedCallbacks/${event.id}/old`]: { state: "done", event: "connectionCreated", claimedAt: now - CLAIM_TTL_MS - 60_000 },
        [`processedCallbacks/${event.id}/fresh`]: { state: "done", event: "connectionCreated", claimedAt: now - 60_000 },
        [`processedCallbacks/otherEvent/old`]: { state: "done", event: "connectionCreated", claimedAt: now - CLAIM_TTL_MS - 60_000 },
      });
    const res = await postCallback(connectionCallback(event, "connectionCreated", "c-prune", { participantId: "fan1" }, T0));
    assert.equal(outcome(res), "applied");
    const claims = Object.keys(((await db().ref(`processedCallbacks/${event.id}`).get()).val() ?? {}) as object);
    assert.ok(!claims.includes("old"), "the expired claim is gone");
    assert.ok(claims.includes("fresh"));
    assert.equal(claims.length, 2, "the fresh claim and the new callback's");
    assert.ok(
      (await db().ref("processedCallbacks/otherEvent/old").get()).exists(),
      "another event's claims wait for that event's callbacks",
    );
  });
});
