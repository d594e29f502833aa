import assert from "node:assert/strict";
import { fft } from "../../testing/harness";
import { asAdmin, eventIn, lifecycleWorld, stored } from "../../testing/lifecycleFixtures";
import { deleteEvent } from "./deleteEvent";
import { db } from "../../platform/firebase";

describe("events/deleteEvent: callback dedupe claims", () => {
  const call = fft.wrap(deleteEvent);

  beforeEach(async () => {
    await lifecycleWorld({ drainSeconds: 60 });
  });

  it("drops the event's callback dedupe claims with it, and only the event's", async () => {
    const gone = await eventIn("preshow");
    const kept = await eventIn("preshow");
    await db().ref(`processedCallbacks/${gone.id}/k1`).set({ claimedAt: Date.now(), state: "done" });
    await db().ref(`processedCallbacks/${kept.id}/k2`).set({ claimedAt: Date.now(), state: "done" });
    await call({ data: { id: gone.id }, auth: asAdmin("adm1") } as never);
    assert.equal(await stored(`processedCallbacks/${gone.id}`), null);
    assert.ok(await stored(`processedCallbacks/${kept.id}/k2`), "another event's claims stay");
  });
});
