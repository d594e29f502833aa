/**
 * Vonage unreachable for a long while (every request's connection dropped, as when the API is down
 * or the network to it is cut), first while a show is live, then while it closes. "Minutes" are
 * compressed: the outage lasts as many backstop runs and producer retries as a real one of several
 * minutes would see (the backstop runs every 5 minutes), not a measured time.
 */
import assert from "node:assert/strict";
import { fft } from "../../testing/harness";
import { asAdmin, asFan, eventIn, lifecycleWorld, stored, type LifecycleWorld } from "../../testing/lifecycleFixtures";
import { archivesOf, broadcastsOf } from "../../testing/vonageStandin";
import { connectionCallback, postCallback } from "../../testing/callbackRequests";
import { figure } from "../../testing/figures";
import { resetRateLimits } from "../../platform/rateLimit";
import { resetSeatWatchesForTests } from "../../seats/gate";
import { resetEventIdentitiesForTests } from "../../seats/showTokens";
import { finishDueCloses } from "../../events/scheduled";
import type { EventRecord } from "../../events/model";
import { createTokensFan } from "../../seats/functions/createTokensFan";
import { changeStatus } from "../../events/functions/changeStatus";

const BACKSTOP_RUNS_DOWN = 3;

describe("hardening: Vonage unreachable while a show is live and while it closes", function () {
  this.timeout(180_000);
  let world: LifecycleWorld;
  const timeoutBefore = process.env.VONAGE_TIMEOUT_MS;
  const wrap = (fn: unknown) => fft.wrap(fn as never) as unknown as (request: unknown) => Promise<Record<string, unknown>>;
  const join = wrap(createTokensFan);
  const status = wrap(changeStatus);
  const close = (id: string) => status({ data: { id, status: "closed" }, auth: asAdmin("adm1") });

  beforeEach(async () => {
    world = await lifecycleWorld({ hls: true, drainSeconds: 0 });
    resetRateLimits();
    resetSeatWatchesForTests();
    resetEventIdentitiesForTests();
    process.env.VONAGE_TIMEOUT_MS = "400";
  });
  afterEach(() => {
    process.env.VONAGE_TIMEOUT_MS = timeoutBefore;
    world.standin.clearFaults();
  });

  const down = () => world.standin.injectFault({ reset: true, count: 0 });
  const requestsSoFar = () => world.standin.state().requests.length;

  it("the live show goes on (joins, tokens, callbacks); the close commits at once, the stops wait, and the backstop finishes them once Vonage is back", async () => {
    const event = await eventIn("live", { archiveEvent: true, interactiveLimit: 3 });
    const archiveId = event.archive!.id;
    const broadcastId = event.broadcast!.id;
    down();

    // While live: joins need no Vonage call (tokens are signed here), HLS answers keep the stored URL,
    // and the attendance keeps being recorded from what Vonage sent before.
    const modes: string[] = [];
    for (let i = 0; i < 6; i++) {
      const answer = (await join({ data: {}, auth: asFan(`outfan${i}`, "adm1", event.id) })) as { mode: string; hlsUrl?: string };
      modes.push(answer.mode);
      if (answer.mode === "hls") assert.equal(answer.hlsUrl, event.broadcast?.hlsUrl ?? answer.hlsUrl);
    }
    assert.deepEqual(modes, ["interactive", "interactive", "interactive", "hls", "hls", "hls"]);
    const callback = connectionCallback(event, "connectionCreated", "outconn1", { participantId: "outfan0" }, Date.now());
    assert.equal((await postCallback(callback)).statusCode, 200);
    const live = await stored<EventRecord>(`events/${event.id}`);
    assert.equal(live.status, "live", "an outage does not end the show");

    // The close: the status is closed at once (fans' clients end), the stops are recorded as failed.
    const attemptsBefore = requestsSoFar();
    const closeError = await close(event.id).then(
      () => null,
      (error: { code: string; message: string }) => error,
    );
    assert.ok(closeError, "the producer is told the stops did not complete");
    assert.equal(closeError.code, "unavailable", closeError.message);
    const closing = await stored<EventRecord>(`events/${event.id}`);
    assert.equal(closing.status, "closed");
    assert.equal(closing.lifecycle?.lease, undefined, "no lease left behind: the next caller may go on");
    assert.ok(closing.lifecycle?.pending?.includes("archiveStop"), "the archive stop is still to do");
    assert.ok(closing.lifecycle?.pending?.includes("broadcastStop"), "the broadcast stop is still to do");
    assert.ok(closing.lifecycle?.errors?.archiveStop, "with the reason");
    assert.equal(closing.archive?.id, archiveId, "the archive id is kept");
    assert.equal(closing.broadcast?.id, broadcastId, "the broadcast id is kept");
    assert.equal((await stored<{ status: string }>(`activeBroadcasts/adm1/${event.fanUrl}`))?.status, "closed", "HLS viewers see the end");

    // The outage goes on: backstop runs and a producer's retry change nothing and lose nothing.
    for (let run = 0; run < BACKSTOP_RUNS_DOWN; run++) await finishDueCloses(100);
    await close(event.id).catch(() => undefined);
    const stillDown = await stored<EventRecord>(`events/${event.id}`);
    assert.equal(stillDown.status, "closed");
    assert.ok(stillDown.lifecycle?.pending?.includes("archiveStop"));
    assert.equal(stillDown.lifecycle?.lease, undefined);
    assert.equal(archivesOf(world.standin, event.stageSessionId)[0].status, "started", "Vonage never heard the stop");
    const attemptsDown = requestsSoFar() - attemptsBefore;

    // Vonage is back: the next backstop run finishes the close, nothing started twice.
    world.standin.clearFaults();
    await finishDueCloses(100);
    const done = await stored<EventRecord>(`events/${event.id}`);
    assert.equal(done.lifecycle?.pending, undefined, `the close finished: ${JSON.stringify(done.lifecycle)}`);
    assert.equal(done.lifecycle?.errors, undefined, "no error left");
    assert.equal(done.archive?.status, "stopped");
    assert.equal(done.broadcast?.status, "stopped");
    assert.equal(await stored(`activeBroadcasts/adm1/${event.fanUrl}`), null, "the live record is gone");
    const archives = archivesOf(world.standin, event.stageSessionId);
    const broadcasts = broadcastsOf(world.standin, event.stageSessionId);
    assert.deepEqual(
      archives.map((archive) => archive.id),
      [archiveId],
      "one archive",
    );
    assert.match(archives[0].status, /^(stopped|available|uploaded)$/);
    assert.deepEqual(
      broadcasts.map((broadcast) => [broadcast.id, broadcast.status]),
      [[broadcastId, "stopped"]],
    );
    figure("Vonage outage: requests refused while down (close, backstop runs, a retry)", attemptsDown);
  });

  it("an archived show without a broadcast, closed while Vonage is down: the backstop stops the archive once Vonage is back", async () => {
    world = await lifecycleWorld({ hls: false, drainSeconds: 0 });
    const event = await eventIn("live", { archiveEvent: true });
    assert.equal(event.broadcast?.id, undefined, "no broadcast: nothing sets a drain time");
    down();
    await close(event.id).catch(() => undefined);
    const closing = await stored<EventRecord>(`events/${event.id}`);
    assert.equal(closing.status, "closed");
    assert.ok(closing.lifecycle?.pending?.includes("archiveStop"));
    for (let run = 0; run < BACKSTOP_RUNS_DOWN; run++) await finishDueCloses(100);
    world.standin.clearFaults();
    await finishDueCloses(100);
    const done = await stored<EventRecord>(`events/${event.id}`);
    assert.equal(done.lifecycle?.pending, undefined, `the backstop finished the close: ${JSON.stringify(done.lifecycle)}`);
    assert.equal(done.archive?.status, "stopped");
    assert.match(archivesOf(world.standin, event.stageSessionId)[0].status, /^(stopped|available|uploaded)$/, "no longer recording");
  });
});
