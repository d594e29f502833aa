import assert from "node:assert/strict";
import { expectHttpsError, fft } from "../../testing/harness";
import { asAdmin, asFan, eventIn, lifecycleWorld, stored, type LifecycleWorld } from "../../testing/lifecycleFixtures";
import { archivesOf, broadcastsOf } from "../../testing/vonageStandin";
import { eventGoLive } from "./eventGoLive";
import type { EventRecord } from "../model";

describe("broadcast/eventGoLive", () => {
  const call = fft.wrap(eventGoLive);
  let world: LifecycleWorld;

  beforeEach(async () => {
    world = await lifecycleWorld();
  });

  it("takes a preshow event live (archive + HLS) and is idempotent", async () => {
    const event = await eventIn("preshow", { archiveEvent: true });
    const live = await call({ data: { id: event.id }, auth: asAdmin("adm1") } as never);
    assert.equal(live.status, "live");
    await call({ data: { id: event.id }, auth: asAdmin("adm1") } as never);
    assert.equal(archivesOf(world.standin, event.stageSessionId).length, 1);
    assert.equal(broadcastsOf(world.standin, event.stageSessionId).length, 1);
  });

  it("refuses notStarted and closed events, other admins and fans, with the stored state unchanged", async () => {
    const fresh = await eventIn("notStarted");
    const error = await expectHttpsError(call({ data: { id: fresh.id }, auth: asAdmin("adm1") } as never), "failed-precondition");
    assert.match(error.message, /allowed next: preshow, closed/);
    assert.equal((await stored<EventRecord>(`events/${fresh.id}`)).status, "notStarted");
    assert.equal(await stored(`activeBroadcasts/adm1/${fresh.fanUrl}`), null, "no partial live record (IBS flaw 21)");
    const closed = await eventIn("closed");
    await expectHttpsError(call({ data: { id: closed.id }, auth: asAdmin("adm1") } as never), "failed-precondition");
    assert.equal((await stored<EventRecord>(`events/${closed.id}`)).status, "closed");
    const preshow = await eventIn("preshow");
    await expectHttpsError(call({ data: { id: preshow.id }, auth: asAdmin("adm2") } as never), "permission-denied");
    await expectHttpsError(call({ data: { id: preshow.id }, auth: asFan("f", "adm1", preshow.id) } as never), "permission-denied");
    assert.equal((await stored<EventRecord>(`events/${preshow.id}`)).status, "preshow");
    assert.equal(broadcastsOf(world.standin, preshow.stageSessionId).length, 0);
  });
});
