import assert from "node:assert/strict";
import { expectHttpsError, fft } from "../../testing/harness";
import { asAdmin, eventIn, lifecycleWorld, sleep, stored, type LifecycleWorld } from "../../testing/lifecycleFixtures";
import { archivesOf } from "../../testing/vonageStandin";
import { stopArchive } from "./stopArchive";
import { changeStatus } from "./changeStatus";
import type { EventRecord } from "../model";

describe("archive/stopArchive", () => {
  const call = fft.wrap(stopArchive);
  const stop = (id: string, auth = asAdmin("adm1")) =>
    call({ data: { id }, auth } as never) as Promise<{ archive: { id: string; status: string; url?: string } | null }>;
  let world: LifecycleWorld;

  beforeEach(async () => {
    world = await lifecycleWorld();
  });

  it("stops the running archive; a repeat refreshes status and URL from Vonage", async () => {
    const event = await eventIn("live", { archiveEvent: true });
    const stopped = await stop(event.id);
    assert.equal(stopped.archive?.status, "stopped");
    assert.match(archivesOf(world.standin, event.stageSessionId)[0].status, /^(stopped|available|uploaded)$/, "no longer recording");
    assert.equal((await stored<{ archiving: boolean }>(`activeBroadcasts/adm1/${event.fanUrl}`)).archiving, false);
    await sleep(300); // the stand-in makes the file available shortly after the stop
    const refreshed = await stop(event.id);
    assert.equal(refreshed.archive?.status, "available");
    assert.match(refreshed.archive?.url ?? "", /^http/);
  });

  it("finishes a close whose archive stop failed, and refuses other admins", async () => {
    const event = await eventIn("live", { archiveEvent: true });
    world.standin.injectFault({ method: "POST", pathRegex: "/archive/[^/]+/stop$", status: 500, count: 0 });
    await expectHttpsError(
      fft.wrap(changeStatus)({ data: { id: event.id, status: "closed" }, auth: asAdmin("adm1") } as never),
      "unavailable",
    );
    await expectHttpsError(stop(event.id, asAdmin("adm2")), "permission-denied");
    await expectHttpsError(stop(event.id), "unavailable");
    world.standin.clearFaults();
    assert.equal((await stop(event.id)).archive?.status, "stopped");
    const saved = await stored<EventRecord>(`events/${event.id}`);
    assert.equal(saved.lifecycle?.pending, undefined);
    assert.equal(saved.lifecycle?.errors, undefined);
  });

  it("answers with no archive when there is none", async () => {
    const event = await eventIn("live");
    assert.deepEqual(await stop(event.id), { eventId: event.id, archive: null });
  });
});
