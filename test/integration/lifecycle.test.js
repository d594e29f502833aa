// @ts-check
/**
 * A full show through the real web SDK against the local stack (Auth + Functions + Cloud Tasks
 * emulators, the local database with the real rules, the Vonage stand-in): create, preshow, live with
 * two producers clicking at once, close with the broadcast drained by the task queue. Plus refused
 * transitions and injected Vonage faults, each checked against the stored state and then retried.
 */
"use strict";
const assert = require("node:assert/strict");
const { ref, get, set } = require("firebase/database");
const { signInAs } = require("../support/identities.cjs");
const { showFixture } = require("../support/showFixture.cjs");
const { waitFor } = require("../../local/async.cjs");
const { DEMO_SUPER_ADMIN } = require("../../local/config.cjs");

/**
 * @template {import("@interactive-broadcast/contract").CallableName} N
 * @typedef {import("@interactive-broadcast/contract").CallableOutput<N>} Output
 */
/** @typedef {import("firebase/functions").FunctionsError} CallError a refused call, as the web SDK rejects it */
/**
 * @typedef {import("@interactive-broadcast/contract").ArchiveState} ArchiveState
 * @typedef {Output<"eventGoLive"> & {archive: ArchiveState}} ArchivedLive a show live with its archive
 * @typedef {Output<"endBroadcast"> & {archive: ArchiveState, broadcast: import("@interactive-broadcast/contract").BroadcastState & {stopAfter: number}, showEndedAt: number}} ClosedShow
 *   a show closed with its archive and a broadcast draining
 */

describe("integration: events and the show lifecycle", function () {
  this.timeout(180_000);
  /** @type {import("../support/stack.cjs").SharedStack} */
  let stack;
  /** @type {import("../support/showFixture.cjs").Client} */
  let producer;
  /** @type {import("../support/showFixture.cjs").Client} */
  let superAdmin;
  const show = showFixture({ adminId: `lifecycle-admin-${process.pid}`, displayName: "Lifecycle Producer" });
  const { adminId, client, stored } = show;
  const archives = (/** @type {string} */ sessionId) =>
    stack.vonage.state().archives.filter((/** @type {{sessionId: string}} */ archive) => archive.sessionId === sessionId);
  const broadcasts = (/** @type {string} */ sessionId) =>
    stack.vonage.state().broadcasts.filter((/** @type {{sessionId: string}} */ broadcast) => broadcast.sessionId === sessionId);
  /**
   * @param {Promise<unknown>} promise
   * @param {string} code
   */
  const rejectsWith = (promise, code) =>
    assert.rejects(
      promise,
      (/** @type {CallError} */ error) => error.code === `functions/${code}` || assert.fail(`${error.code}: ${error.message}`),
    );

  before(async () => {
    stack = await show.start();
    producer = await show.signInProducer();
    superAdmin = client();
    await superAdmin.signInWithPassword(DEMO_SUPER_ADMIN.email, DEMO_SUPER_ADMIN.password);
  });
  afterEach(() => stack.vonage.clearFaults());
  after(() => show.close());

  it("runs a full show: create, preshow, live (one archive, one broadcast despite a concurrent go-live), close with a drained broadcast stop", async () => {
    const event = /** @type {Output<"createEvent">} */ (
      await producer.call("createEvent", {
        name: "Integration Show",
        archiveEvent: true,
        rtmpOutputs: [{ serverUrl: "rtmp://live.example.com/app", streamName: "integration-key" }],
      })
    );
    assert.equal(event.status, "notStarted");
    assert.match(event.hostUrl, /^[A-Za-z0-9_-]{24}$/);
    assert.equal(stored(`events/${event.id}`).fanUrl, event.fanUrl);

    const preshow = /** @type {Output<"changeStatus">} */ (await producer.call("changeStatus", { id: event.id, status: "preshow" }));
    assert.equal(preshow.status, "preshow");
    assert.equal(stored(`activeBroadcasts/${adminId}/${event.fanUrl}/status`), "preshow");

    // A fan of this event joins the record through the rules.
    const fan = await signInAs(client(), `fan-${process.pid}`, { role: "fan", adminId, eventId: event.id });
    const fanKey = `fan-${process.pid}-tab1`;
    await set(ref(fan.db, `activeBroadcasts/${adminId}/${event.fanUrl}/activeFans/${fanKey}`), { id: fanKey, name: "Early fan" });

    // Two producers click "Go live" at once.
    const results = /** @type {Output<"eventGoLive">[]} */ (
      await Promise.all([producer.call("eventGoLive", { id: event.id }), superAdmin.call("eventGoLive", { id: event.id })])
    );
    assert.ok(results.every((result) => result.id === event.id));
    const live = await waitFor(
      "the event to be live",
      () => stored(`events/${event.id}`),
      (value) => value.status === "live",
    );
    assert.equal(archives(event.stageSessionId).length, 1, "one archive");
    assert.equal(broadcasts(event.stageSessionId).length, 1, "one broadcast");
    assert.equal(archives(event.stageSessionId)[0].status, "started");
    assert.equal(broadcasts(event.stageSessionId)[0].status, "started");
    assert.equal(live.archive.id, archives(event.stageSessionId)[0].id);
    assert.equal(live.broadcast.id, broadcasts(event.stageSessionId)[0].id);
    assert.equal(typeof live.showStartedAt, "number");

    // What participants read through the rules: live, HLS URL, their presence kept.
    const liveRecord = (await get(ref(fan.db, `activeBroadcasts/${adminId}/${event.fanUrl}/hlsUrl`))).val();
    assert.equal(liveRecord, live.broadcast.hlsUrl);
    assert.equal((await get(ref(fan.db, `activeBroadcasts/${adminId}/${event.fanUrl}/status`))).val(), "live");
    assert.equal(stored(`activeBroadcasts/${adminId}/${event.fanUrl}/activeFans/${fanKey}/name`), "Early fan");
    const viewer = client();
    await viewer.signInAnonymously();
    const hls = /** @type {Output<"getBroadcastData">} */ (await viewer.call("getBroadcastData", { adminId, slug: event.fanUrl }));
    assert.equal(hls.hlsUrl, live.broadcast.hlsUrl);
    assert.equal(hls.status, "live");

    // A third go-live later changes nothing.
    await producer.call("eventGoLive", { id: event.id });
    assert.equal(archives(event.stageSessionId).length, 1);
    assert.equal(broadcasts(event.stageSessionId).length, 1);

    const closed = /** @type {ClosedShow} */ (await producer.call("endBroadcast", { id: event.id }));
    assert.equal(closed.status, "closed");
    assert.equal(typeof closed.showEndedAt, "number");
    assert.notEqual(archives(event.stageSessionId)[0].status, "started", "archive stopped at close");
    // stopped, or already further along when the stand-in's archive callbacks arrived first
    assert.match(closed.archive.status, /^(stopped|uploaded|available)$/);
    assert.ok(closed.broadcast.stopAfter >= closed.showEndedAt + 2000, "the drain (BROADCAST_DRAIN_SECONDS=2 in tests)");

    // The Cloud Tasks emulator delivers the stop task; it stops the broadcast once the drain ended.
    await waitFor(
      "the broadcast to stop",
      () => broadcasts(event.stageSessionId)[0].status,
      (status) => status === "stopped",
    );
    await waitFor(
      "the live record to go",
      () => stored(`activeBroadcasts/${adminId}/${event.fanUrl}`),
      (value) => value === null,
    );
    const after = await waitFor(
      "the close to finish",
      () => stored(`events/${event.id}`),
      (value) => !value.lifecycle?.pending,
    );
    assert.equal(after.broadcast.status, "stopped");
    assert.ok(after.broadcast.stoppedAt >= closed.broadcast.stopAfter, "stopped after the drain, not before");
    // The fan link stays, marked closed, so loginFan answers failed-precondition (a new event may claim it).
    assert.equal(stored(`eventKeys/${adminId}/fan/${event.fanUrl}/status`), "closed");
    assert.equal(stored(`currentEvents/${adminId}`), null);

    // closed is final.
    await rejectsWith(producer.call("changeStatus", { id: event.id, status: "live" }), "failed-precondition");
    assert.equal(stored(`events/${event.id}/status`), "closed");
    assert.equal(archives(event.stageSessionId).length, 1);
  });

  it("refused transitions and foreign callers leave the stored state unchanged", async () => {
    const event = /** @type {Output<"createEvent">} */ (await producer.call("createEvent", { name: "Refusals" }));
    const before = stored(`events/${event.id}`);
    await rejectsWith(producer.call("eventGoLive", { id: event.id }), "failed-precondition");
    await rejectsWith(producer.call("changeStatus", { id: event.id, status: "live" }), "failed-precondition");
    const otherAdmin = await signInAs(client(), `other-${process.pid}`, { role: "admin", superAdmin: false });
    await rejectsWith(otherAdmin.call("changeStatus", { id: event.id, status: "preshow" }), "permission-denied");
    const fan = await signInAs(client(), `fan2-${process.pid}`, { role: "fan", adminId, eventId: event.id });
    await rejectsWith(fan.call("deleteEvent", { id: event.id }), "permission-denied");
    await rejectsWith(producer.call("changeStatus", { id: event.id, status: "started" }), "invalid-argument");
    assert.deepEqual(stored(`events/${event.id}`), before);
    assert.equal(stored(`activeBroadcasts/${adminId}/${event.fanUrl}`), null);
    await producer.call("deleteEvent", { id: event.id });
    assert.equal(stored(`events/${event.id}`), null);
  });

  it("a broadcast start failure (500) keeps the event in preshow with the archive id; the retry starts only the broadcast", async () => {
    const event = /** @type {Output<"createEvent">} */ (
      await producer.call("createEvent", { name: "Broadcast Fault", archiveEvent: true })
    );
    await producer.call("changeStatus", { id: event.id, status: "preshow" });
    stack.vonage.injectFault({ method: "POST", pathRegex: "/broadcast$", status: 500, count: 1 });
    await rejectsWith(producer.call("eventGoLive", { id: event.id }), "unavailable");
    const failed = stored(`events/${event.id}`);
    assert.equal(failed.status, "preshow");
    assert.equal(failed.broadcast.status, "failed");
    assert.ok(failed.lifecycle.errors.broadcast);
    assert.equal(failed.archive.status, "started");
    assert.equal(stored(`activeBroadcasts/${adminId}/${event.fanUrl}/status`), "preshow");

    stack.vonage.clearFaults();
    const live = /** @type {ArchivedLive} */ (await producer.call("eventGoLive", { id: event.id }));
    assert.equal(live.status, "live");
    assert.equal(live.archive.id, failed.archive.id);
    assert.equal(archives(event.stageSessionId).length, 1);
    assert.equal(broadcasts(event.stageSessionId).length, 1);
    await producer.call("deleteEvent", { id: event.id });
  });

  it("an archive stop failure (429 until cleared) closes the show, keeps the archive id, and the retry stops it", async () => {
    const event = /** @type {Output<"createEvent">} */ (await producer.call("createEvent", { name: "Stop Fault", archiveEvent: true }));
    await producer.call("changeStatus", { id: event.id, status: "preshow" });
    await producer.call("eventGoLive", { id: event.id });
    stack.vonage.injectFault({ method: "POST", pathRegex: "/archive/[^/]+/stop$", status: 429, count: 0 });
    await rejectsWith(producer.call("endBroadcast", { id: event.id }), "unavailable");
    const failed = stored(`events/${event.id}`);
    assert.equal(failed.status, "closed");
    assert.equal(failed.archive.status, "started");
    assert.ok(failed.archive.error);
    assert.equal(archives(event.stageSessionId)[0].status, "started");

    stack.vonage.clearFaults();
    const retried = /** @type {ClosedShow} */ (await producer.call("endBroadcast", { id: event.id }));
    assert.match(retried.archive.status, /^(stopped|uploaded|available)$/);
    assert.notEqual(archives(event.stageSessionId)[0].status, "started");
    await waitFor(
      "the broadcast to stop",
      () => broadcasts(event.stageSessionId)[0].status,
      (status) => status === "stopped",
    );
  });
});
