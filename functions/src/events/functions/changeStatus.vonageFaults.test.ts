/**
 * Every Vonage side effect of the lifecycle against every fault the stand-in injects: the stored state
 * afterwards is consistent and says what failed (no half-live event, no lost id), and a retry once the
 * fault is gone finishes only what is missing.
 */
import assert from "node:assert/strict";
import { expectHttpsError, fft } from "../../testing/harness";
import { asAdmin, eventIn, lifecycleWorld, sleep, stored, type LifecycleWorld } from "../../testing/lifecycleFixtures";
import { archivesOf, broadcastsOf } from "../../testing/vonageStandin";
import { changeStatus } from "./changeStatus";
import type { EventRecord } from "../model";

type Fault = { name: string; status?: number; delayMs?: number };
const FAULTS: Fault[] = [
  { name: "500", status: 500 },
  { name: "429", status: 429 },
  { name: "409", status: 409 },
  // No answer within VONAGE_TIMEOUT_MS. For starts the request still goes through later (a lost
  // answer); for stops it never does (503 after the delay), so the archive/broadcast keeps running.
  { name: "timeout", delayMs: 900 },
];
const TIMEOUT_MS = "300";

describe("events/changeStatus: Vonage faults", () => {
  const call = fft.wrap(changeStatus);
  const change = (id: string, status: string) => call({ data: { id, status }, auth: asAdmin("adm1") } as never) as Promise<EventRecord>;
  let world: LifecycleWorld;
  const timeoutBefore = process.env.VONAGE_TIMEOUT_MS;

  beforeEach(async () => {
    world = await lifecycleWorld({ drainSeconds: 0 });
  });
  afterEach(() => {
    process.env.VONAGE_TIMEOUT_MS = timeoutBefore;
    world.standin.clearFaults();
  });

  function inject(fault: Fault, method: string, pathRegex: string, stop: boolean): void {
    if (fault.delayMs) process.env.VONAGE_TIMEOUT_MS = TIMEOUT_MS;
    world.standin.injectFault({
      method,
      pathRegex,
      ...(fault.status ? { status: fault.status } : {}),
      ...(fault.delayMs ? { delayMs: fault.delayMs, ...(stop ? { status: 503 } : {}) } : {}),
      // Stops are retried with backoff: the fault stays until cleared. Starts are tried once.
      count: stop ? 0 : 1,
    });
  }

  for (const fault of FAULTS) {
    it(`archive start ${fault.name}: the event stays preshow, the broadcast id is kept, the retry starts only the archive`, async () => {
      const event = await eventIn("preshow", { archiveEvent: true });
      inject(fault, "POST", "/archive$", false);
      const error = await expectHttpsError(change(event.id, "live"), "unavailable");
      assert.match(error.message, /stays preshow/);
      const after = await stored<EventRecord>(`events/${event.id}`);
      assert.equal(after.status, "preshow");
      assert.equal(after.showStartedAt, undefined);
      assert.equal(after.archive?.status, "failed");
      assert.equal(after.archive?.id, undefined);
      assert.ok(after.archive?.error);
      assert.ok(after.lifecycle?.errors?.archive);
      assert.deepEqual(after.lifecycle?.pending, ["archive", "commit", "currentEvent"]);
      assert.equal(after.lifecycle?.lease, undefined, "the lease is released for the retry");
      assert.equal(after.broadcast?.status, "started");
      const broadcastId = after.broadcast?.id;
      assert.ok(broadcastId);
      assert.equal((await stored<{ status: string }>(`activeBroadcasts/adm1/${event.fanUrl}`)).status, "preshow");
      assert.equal((await stored<{ status: string }>(`stageGates/${event.id}`)).status, "preshow");
      assert.doesNotMatch(JSON.stringify(after), /local0000stand/, "no secret in the stored error");

      if (fault.delayMs) await sleep(fault.delayMs + 200); // the lost answer's archive now runs
      world.standin.clearFaults();
      const live = await change(event.id, "live");
      assert.equal(live.status, "live");
      const archives = archivesOf(world.standin, event.stageSessionId);
      assert.equal(archives.length, 1, "no second archive");
      assert.equal(live.archive?.id, archives[0].id);
      assert.equal(live.broadcast?.id, broadcastId);
      assert.equal(broadcastsOf(world.standin, event.stageSessionId).length, 1);
      assert.equal(live.lifecycle?.errors, undefined);
      assert.equal((await stored<{ archiving: boolean }>(`activeBroadcasts/adm1/${event.fanUrl}`)).archiving, true);
    });

    it(`broadcast start ${fault.name}: the event stays preshow, the archive id is kept, the retry starts only the broadcast`, async () => {
      const event = await eventIn("preshow", { archiveEvent: true });
      inject(fault, "POST", "/broadcast$", false);
      await expectHttpsError(change(event.id, "live"), "unavailable");
      const after = await stored<EventRecord>(`events/${event.id}`);
      assert.equal(after.status, "preshow");
      assert.equal(after.broadcast?.status, "failed");
      assert.ok(after.lifecycle?.errors?.broadcast);
      assert.equal(after.archive?.status, "started");
      const archiveId = after.archive?.id;
      assert.equal(archivesOf(world.standin, event.stageSessionId).length, 1);
      const record = await stored<Record<string, unknown>>(`activeBroadcasts/adm1/${event.fanUrl}`);
      assert.equal(record.status, "preshow");
      assert.equal(record.hlsUrl, undefined);

      if (fault.delayMs) await sleep(fault.delayMs + 200);
      world.standin.clearFaults();
      const live = await change(event.id, "live");
      assert.equal(live.status, "live");
      assert.equal(live.archive?.id, archiveId);
      const broadcasts = broadcastsOf(world.standin, event.stageSessionId);
      assert.equal(broadcasts.length, 1, "no second broadcast");
      assert.equal(live.broadcast?.id, broadcasts[0].id);
      assert.equal(archivesOf(world.standin, event.stageSessionId).length, 1, "the archive was not started again");
      assert.equal((await stored<{ hlsUrl: string }>(`activeBroadcasts/adm1/${event.fanUrl}`)).hlsUrl, live.broadcast?.hlsUrl);
    });

    it(`archive stop ${fault.name}: the show is closed, the archive id and error are kept, the retry stops it`, async () => {
      const event = await eventIn("live", { archiveEvent: true });
      inject(fault, "POST", "/archive/[^/]+/stop$", true);
      const error = await expectHttpsError(change(event.id, "closed"), "unavailable");
      assert.match(error.message, /closed, but/);
      const after = await stored<EventRecord>(`events/${event.id}`);
      assert.equal(after.status, "closed");
      assert.equal(after.archive?.status, "started");
      assert.equal(after.archive?.id, event.archive?.id);
      assert.ok(after.archive?.error);
      assert.ok(after.lifecycle?.errors?.archiveStop);
      assert.deepEqual(after.lifecycle?.pending, ["archiveStop"]);
      assert.equal(archivesOf(world.standin, event.stageSessionId)[0].status, "started");
      // The rest of the close went on: broadcast stopped (no drain here), record gone.
      assert.equal(broadcastsOf(world.standin, event.stageSessionId)[0].status, "stopped");
      assert.equal(await stored(`activeBroadcasts/adm1/${event.fanUrl}`), null);

      world.standin.clearFaults();
      const closed = await change(event.id, "closed");
      assert.equal(closed.archive?.status, "stopped");
      assert.equal(closed.archive?.error, undefined);
      assert.equal(closed.lifecycle?.pending, undefined);
      // Stopped, or already further along (the stand-in makes it available after 100 ms, sooner than a loaded machine reads).
      assert.match(archivesOf(world.standin, event.stageSessionId)[0].status, /^(stopped|available|uploaded)$/);
    });

    it(`broadcast stop ${fault.name}: the show is closed, the live record stays (closed) until the retry stops the broadcast`, async () => {
      const event = await eventIn("live", { archiveEvent: true });
      inject(fault, "POST", "/broadcast/[^/]+/stop$", true);
      await expectHttpsError(change(event.id, "closed"), "unavailable");
      const after = await stored<EventRecord>(`events/${event.id}`);
      assert.equal(after.status, "closed");
      assert.equal(after.archive?.status, "stopped");
      assert.equal(after.broadcast?.status, "started");
      assert.equal(after.broadcast?.id, event.broadcast?.id);
      assert.ok(after.broadcast?.error);
      assert.deepEqual(after.lifecycle?.pending, ["broadcastStop", "removeLiveRecord"]);
      assert.equal(broadcastsOf(world.standin, event.stageSessionId)[0].status, "started");
      assert.equal((await stored<{ status: string }>(`activeBroadcasts/adm1/${event.fanUrl}`)).status, "closed");

      world.standin.clearFaults();
      const closed = await change(event.id, "closed");
      assert.equal(closed.broadcast?.status, "stopped");
      assert.equal(closed.broadcast?.stopAfter, undefined, "off the backstop's index");
      assert.equal(broadcastsOf(world.standin, event.stageSessionId)[0].status, "stopped");
      assert.equal(await stored(`activeBroadcasts/adm1/${event.fanUrl}`), null);
    });
  }

  it("a close after a failed go-live stops the archive Vonage started despite the lost answer", async () => {
    const event = await eventIn("preshow", { archiveEvent: true });
    process.env.VONAGE_TIMEOUT_MS = TIMEOUT_MS;
    world.standin.injectFault({ method: "POST", pathRegex: "/archive$", delayMs: 900, count: 1 });
    await expectHttpsError(change(event.id, "live"), "unavailable");
    await sleep(1100);
    assert.equal(archivesOf(world.standin, event.stageSessionId)[0].status, "started", "Vonage did start it");
    const closed = await change(event.id, "closed");
    assert.equal(closed.archive?.id, archivesOf(world.standin, event.stageSessionId)[0].id, "the id is found and kept");
    // Stopped, or already further along (the stand-in makes it available after 100 ms, sooner than a loaded machine reads).
    assert.match(archivesOf(world.standin, event.stageSessionId)[0].status, /^(stopped|available|uploaded)$/);
    assert.equal(broadcastsOf(world.standin, event.stageSessionId)[0].status, "stopped");
  });

  it("credentials Vonage refuses give failed-precondition, not unavailable", async () => {
    const event = await eventIn("preshow", { archiveEvent: true });
    world.standin.injectFault({ method: "POST", pathRegex: "/archive$", status: 401, count: 1 });
    await expectHttpsError(change(event.id, "live"), "failed-precondition");
    assert.equal((await stored<EventRecord>(`events/${event.id}`)).status, "preshow");
  });
});
