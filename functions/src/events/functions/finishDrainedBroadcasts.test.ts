import assert from "node:assert/strict";
import { asAdmin, eventIn, lifecycleWorld, statusAs, stored, type LifecycleWorld } from "../../testing/lifecycleFixtures";
import { broadcastsOf } from "../../testing/vonageStandin";
import { finishDrainedBroadcasts } from "./finishDrainedBroadcasts";
import { db } from "../../platform/firebase";

describe("scheduled/finishDrainedBroadcasts (backstop)", () => {
  let world: LifecycleWorld;

  beforeEach(async () => {
    world = await lifecycleWorld({ drainSeconds: 600 });
  });

  it("stops broadcasts whose drain passed even when the task was lost, and leaves the others draining", async () => {
    const due = await eventIn("live");
    const draining = await eventIn("live");
    await statusAs(asAdmin("adm1"), due.id, "closed");
    await statusAs(asAdmin("adm1"), draining.id, "closed");
    world.tasks.length = 0; // the tasks are lost
    await db()
      .ref(`events/${due.id}/broadcast/stopAfter`)
      .set(Date.now() - 1000);
    await finishDrainedBroadcasts.run({} as never);
    assert.equal(broadcastsOf(world.standin, due.stageSessionId)[0].status, "stopped");
    assert.equal(await stored(`activeBroadcasts/adm1/${due.fanUrl}`), null);
    assert.equal(await stored(`events/${due.id}/broadcast/stopAfter`), null);
    assert.equal(broadcastsOf(world.standin, draining.stageSessionId)[0].status, "started");
    assert.ok(await stored(`activeBroadcasts/adm1/${draining.fanUrl}`));
  });
});
