import assert from "node:assert/strict";
import { expectHttpsError, fft } from "../../testing/harness";
import {
  asAdmin,
  asFan,
  asHost,
  asSuperAdmin,
  createAs,
  eventIn,
  imageDeletions,
  lifecycleWorld,
  statusAs,
  stored,
  type LifecycleWorld,
} from "../../testing/lifecycleFixtures";
import { archivesOf, broadcastsOf } from "../../testing/vonageStandin";
import { deleteEvent } from "./deleteEvent";
import { db } from "../../platform/firebase";
import type { EventRecord } from "../model";

describe("events/deleteEvent", () => {
  const call = fft.wrap(deleteEvent);
  const remove = (id: string, auth = asAdmin("adm1")) => call({ data: { id }, auth } as never) as Promise<{ id: string; deleted: boolean }>;
  let world: LifecycleWorld;

  beforeEach(async () => {
    world = await lifecycleWorld({ drainSeconds: 60 });
  });

  it("IBS flaw 4: fans, hosts and other admins cannot delete an event; it stays intact", async () => {
    const event = await eventIn("preshow");
    const before = await stored(`events/${event.id}`);
    await expectHttpsError(remove(event.id, asFan("f1", "adm1", event.id)), "permission-denied");
    await expectHttpsError(remove(event.id, asHost("h1", "adm1", event.id)), "permission-denied");
    await expectHttpsError(remove(event.id, asAdmin("adm2")), "permission-denied");
    await expectHttpsError(call({ data: { id: event.id } } as never), "unauthenticated");
    assert.deepEqual(await stored(`events/${event.id}`), before);
    assert.ok(await stored(`activeBroadcasts/adm1/${event.fanUrl}`));
  });

  it("deletes a live event: stops archive and broadcast at once, removes everything derived and its images", async () => {
    const event = await eventIn("live", {
      archiveEvent: true,
      startImage: { id: "eventImages/adm1/s.png", url: "https://cdn.example.com/s.png" },
    });
    await db().ref(`attendance/${event.id}/x`).set(1);
    assert.deepEqual(await remove(event.id), { id: event.id, deleted: true });
    assert.match(archivesOf(world.standin, event.stageSessionId)[0].status, /^(stopped|available|uploaded)$/, "no longer recording");
    assert.equal(broadcastsOf(world.standin, event.stageSessionId)[0].status, "stopped");
    for (const path of [
      `events/${event.id}`,
      `eventKeys/adm1`,
      `stageGates/${event.id}`,
      `sessionIndex/${event.sessionId}`,
      `sessionIndex/${event.stageSessionId}`,
      `activeBroadcasts/adm1/${event.fanUrl}`,
      `attendance/${event.id}`,
      "currentEvents/adm1",
    ]) {
      assert.equal(await stored(path), null, path);
    }
    assert.deepEqual(await imageDeletions(), ["eventImages/adm1/s.png"]);
    await expectHttpsError(remove(event.id), "not-found");
  });

  it("a superAdmin may delete any event; a closed event's slug now used by a newer event is left alone", async () => {
    const old = await eventIn("closed");
    const newer = await createAs(asAdmin("adm1"), { name: "Newer", fanUrl: old.fanUrl });
    await statusAs(asAdmin("adm1"), newer.id, "preshow");
    await remove(old.id, asSuperAdmin("root"));
    assert.equal(await stored(`events/${old.id}`), null);
    assert.equal((await stored<{ eventId: string }>(`eventKeys/adm1/fan/${old.fanUrl}`)).eventId, newer.id);
    assert.equal((await stored<{ eventId: string }>(`activeBroadcasts/adm1/${old.fanUrl}`)).eventId, newer.id);
    assert.equal((await stored<{ eventId: string }>("currentEvents/adm1")).eventId, newer.id);
  });

  it("when a Vonage stop fails nothing is deleted (ids kept) and a retry finishes", async () => {
    const event = await eventIn("live", { archiveEvent: true });
    world.standin.injectFault({ method: "POST", pathRegex: "/broadcast/[^/]+/stop$", status: 500, count: 0 });
    await expectHttpsError(remove(event.id), "unavailable");
    const kept = await stored<EventRecord>(`events/${event.id}`);
    assert.equal(kept.broadcast?.id, event.broadcast?.id);
    assert.equal(kept.broadcast?.status, "started");
    assert.ok(kept.lifecycle?.errors?.broadcastStop);
    assert.equal(kept.archive?.status, "stopped", "what could stop did stop");
    assert.ok(await stored(`activeBroadcasts/adm1/${event.fanUrl}`));
    world.standin.clearFaults();
    await remove(event.id);
    assert.equal(await stored(`events/${event.id}`), null);
    assert.equal(broadcastsOf(world.standin, event.stageSessionId)[0].status, "stopped");
  });
});
