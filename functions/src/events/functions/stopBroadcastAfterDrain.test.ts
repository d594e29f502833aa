import assert from "node:assert/strict";
import { asAdmin, eventIn, lifecycleWorld, statusAs, stored, type LifecycleWorld } from "../../testing/lifecycleFixtures";
import { broadcastsOf } from "../../testing/vonageStandin";
import { stopBroadcastAfterDrain } from "./stopBroadcastAfterDrain";
import { db } from "../../platform/firebase";
import type { EventRecord } from "../model";

describe("broadcast/stopBroadcastAfterDrain (Cloud Tasks)", () => {
  let world: LifecycleWorld;
  const run = async (data: unknown): Promise<void> => {
    await stopBroadcastAfterDrain.run({ data } as never);
  };

  it("IBS flaw 12: the queued task stops the broadcast after the drain and then removes the live record", async () => {
    world = await lifecycleWorld({ drainSeconds: 1 });
    const event = await eventIn("live");
    await statusAs(asAdmin("adm1"), event.id, "closed");
    assert.equal(broadcastsOf(world.standin, event.stageSessionId)[0].status, "started");
    const [task] = world.tasks;
    assert.equal(task.functionName, "stopBroadcastAfterDrain");
    // Delivered early (as the emulator does): it waits out the rest of the drain itself.
    await run(task.data);
    assert.equal(broadcastsOf(world.standin, event.stageSessionId)[0].status, "stopped");
    const after = await stored<EventRecord>(`events/${event.id}`);
    assert.equal(after.broadcast?.status, "stopped");
    assert.equal(after.broadcast?.stopAfter, undefined);
    assert.equal(after.lifecycle?.pending, undefined);
    assert.ok(after.showEndedAt! + 1000 <= after.broadcast.stoppedAt!, "not before the drain ended");
    assert.equal(await stored(`activeBroadcasts/adm1/${event.fanUrl}`), null);
    // A duplicate delivery finds nothing left to do.
    await run(task.data);
  });

  it("throws (so Cloud Tasks retries) while the drain is far off or a stop fails, and drops malformed tasks", async () => {
    world = await lifecycleWorld({ drainSeconds: 600 });
    const event = await eventIn("live");
    await statusAs(asAdmin("adm1"), event.id, "closed");
    await assert.rejects(run({ eventId: event.id }), /notDue/);
    await db()
      .ref(`events/${event.id}/broadcast/stopAfter`)
      .set(Date.now() - 1);
    world.standin.injectFault({ method: "POST", pathRegex: "/broadcast/[^/]+/stop$", status: 500, count: 0 });
    await assert.rejects(run({ eventId: event.id }), /failed/);
    assert.ok(await stored(`activeBroadcasts/adm1/${event.fanUrl}`), "the record stays until the broadcast stopped");
    world.standin.clearFaults();
    await run({ eventId: event.id });
    assert.equal(await stored(`activeBroadcasts/adm1/${event.fanUrl}`), null);
    await run({ nonsense: true });
    await run({ eventId: "gone" });
  });
});
