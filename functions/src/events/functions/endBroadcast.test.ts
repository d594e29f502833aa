import assert from "node:assert/strict";
import { expectHttpsError, fft } from "../../testing/harness";
import { asAdmin, asFan, eventIn, lifecycleWorld, stored, type LifecycleWorld } from "../../testing/lifecycleFixtures";
import { archivesOf, broadcastsOf } from "../../testing/vonageStandin";
import { endBroadcast } from "./endBroadcast";
import type { EventRecord } from "../model";

describe("broadcast/endBroadcast", () => {
  const call = fft.wrap(endBroadcast);
  let world: LifecycleWorld;

  beforeEach(async () => {
    world = await lifecycleWorld({ drainSeconds: 30 });
  });

  it("closes a live show: archive stopped now, broadcast drained through a queued task", async () => {
    const event = await eventIn("live", { archiveEvent: true });
    const closed = await call({ data: { id: event.id }, auth: asAdmin("adm1") } as never);
    assert.equal(closed.status, "closed");
    assert.match(archivesOf(world.standin, event.stageSessionId)[0].status, /^(stopped|available|uploaded)$/, "no longer recording");
    assert.equal(broadcastsOf(world.standin, event.stageSessionId)[0].status, "started");
    assert.equal(world.tasks.length, 1);
    assert.equal((await stored<{ status: string }>(`activeBroadcasts/adm1/${event.fanUrl}`)).status, "closed");
  });

  it("refuses a fan and another admin; a closed event stays closed (idempotent end)", async () => {
    const event = await eventIn("preshow");
    await expectHttpsError(call({ data: { id: event.id }, auth: asFan("f", "adm1", event.id) } as never), "permission-denied");
    await expectHttpsError(call({ data: { id: event.id }, auth: asAdmin("adm2") } as never), "permission-denied");
    assert.equal((await stored<EventRecord>(`events/${event.id}`)).status, "preshow");
    await call({ data: { id: event.id }, auth: asAdmin("adm1") } as never);
    const again = await call({ data: { id: event.id }, auth: asAdmin("adm1") } as never);
    assert.equal(again.status, "closed");
  });
});
