import assert from "node:assert/strict";
import { expectHttpsError, fft } from "../../testing/harness";
import { asAdmin, asFan, eventIn, lifecycleWorld, stored, type LifecycleWorld } from "../../testing/lifecycleFixtures";
import { archivesOf } from "../../testing/vonageStandin";
import { startArchive } from "./startArchive";
import { stopArchive } from "./stopArchive";
import type { EventRecord } from "../model";

describe("archive/startArchive", () => {
  const call = fft.wrap(startArchive);
  const stop = fft.wrap(stopArchive);
  const start = (id: string, auth = asAdmin("adm1")) =>
    call({ data: { id }, auth } as never) as Promise<{ archive: { id: string; status: string } }>;
  let world: LifecycleWorld;

  beforeEach(async () => {
    world = await lifecycleWorld();
  });

  it("starts an archive on the stage of a live show, idempotently, and flags the live record", async () => {
    const event = await eventIn("live");
    const first = await start(event.id);
    assert.equal(first.archive.status, "started");
    const second = await start(event.id);
    assert.equal(second.archive.id, first.archive.id);
    assert.equal(archivesOf(world.standin, event.stageSessionId).length, 1);
    assert.equal((await stored<{ archiving: boolean }>(`activeBroadcasts/adm1/${event.fanUrl}`)).archiving, true);
  });

  it("a restart after a stop keeps the earlier archive's id in previousArchives", async () => {
    const event = await eventIn("live", { archiveEvent: true });
    await stop({ data: { id: event.id }, auth: asAdmin("adm1") } as never);
    const restarted = await start(event.id);
    assert.notEqual(restarted.archive.id, event.archive?.id);
    const saved = await stored<EventRecord>(`events/${event.id}`);
    assert.deepEqual(
      saved.previousArchives?.map((archive) => archive.id),
      [event.archive?.id],
    );
    assert.equal(archivesOf(world.standin, event.stageSessionId).length, 2);
  });

  it("refuses outside a live show and for others; a failed start is recorded and retried", async () => {
    const preshow = await eventIn("preshow");
    await expectHttpsError(start(preshow.id), "failed-precondition");
    assert.equal((await stored<EventRecord>(`events/${preshow.id}`)).archive, undefined);
    const event = await eventIn("live");
    await expectHttpsError(start(event.id, asAdmin("adm2")), "permission-denied");
    await expectHttpsError(start(event.id, asFan("f", "adm1", event.id)), "permission-denied");
    world.standin.injectFault({ method: "POST", pathRegex: "/archive$", status: 500, count: 1 });
    await expectHttpsError(start(event.id), "unavailable");
    const failed = await stored<EventRecord>(`events/${event.id}`);
    assert.equal(failed.archive?.status, "failed");
    assert.ok(failed.archive?.error);
    assert.equal(failed.lifecycle?.lease, undefined);
    assert.equal((await start(event.id)).archive.status, "started");
  });
});
