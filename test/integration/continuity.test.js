// @ts-check
/**
 * Show continuity end to end through the real web SDK and the local stack: a media server rotation of
 * a live show's stage session, simulated by the Vonage stand-in's control API with its callbacks
 * duplicated and reordered, restarts the archive and the broadcast exactly once each, participants
 * read the new HLS URL in the live record, and a later `failed` broadcast is restarted too. The
 * producer reads every step, in order and with its actor, through getAuditLog; the close stops the
 * runs that replaced the first ones.
 */
"use strict";
const assert = require("node:assert/strict");
const { ref, get } = require("firebase/database");
const { signInAs } = require("../support/identities.cjs");
const { showFixture } = require("../support/showFixture.cjs");
const { waitFor } = require("../../local/async.cjs");

/**
 * @typedef {import("../support/stack.cjs").SharedStack} SharedStack
 * @typedef {import("../support/showFixture.cjs").Client} Client
 * @typedef {import("../../functions/src/contract/records").EventRecord} EventRecord
 * @typedef {import("../../functions/src/contract/records").ArchiveState} ArchiveState
 * @typedef {import("../../functions/src/contract/records").BroadcastState} BroadcastState
 * @typedef {import("../../functions/src/contract/records").ContinuityRun} ContinuityRun
 * @typedef {EventRecord & {archive: ArchiveState, broadcast: BroadcastState}} RunningEvent
 *   the stored event while the show's archive and broadcast run (as waited for)
 * @typedef {RunningEvent & {continuity: {archive: ContinuityRun, broadcast: ContinuityRun}}} ContinuedEvent
 *   the stored event once the backend restarted both runs
 * @typedef {import("../../functions/src/contract/records").AuditEntry} AuditEntry
 * @typedef {import("../../functions/src/contract/records").AuditFacts} AuditFacts
 * @typedef {AuditEntry & {target: AuditFacts, details: AuditFacts}} DetailedEntry
 *   an entry of a restart or a producer's step, which carry their facts
 * @typedef {import("../../functions/src/contract/callables/events").OwnerEvent} OwnerEvent
 * @typedef {import("../../local/vonage-standin/lib/types").Options} StandinOptions
 * @typedef {import("../../local/vonage-standin/lib/types").CallbackSnapshot} CallbackRecord
 * @typedef {import("../../local/vonage-standin/lib/types").VonageStandin} VonageStandin
 * @typedef {ReturnType<VonageStandin["rotateSession"]>} Rotation what the control API's rotate answers
 * @typedef {Pick<import("../../local/vonage-standin/lib/types").Archive, "id" | "sessionId" | "status">} ArchiveView
 * @typedef {Pick<import("../../local/vonage-standin/lib/types").Broadcast, "id" | "sessionId" | "status">} BroadcastView
 * @typedef {{event: EventRecord, archives: number, broadcasts: number}} Settled
 * @typedef {Settled & {event: ContinuedEvent}} SettledContinued
 */

describe("integration: show continuity after a server rotation and a failed broadcast", function () {
  this.timeout(240_000);
  /** @type {SharedStack} */
  let stack;
  /** @type {SharedStack["vonage"]} */
  let vonage;
  /** @type {StandinOptions} */
  let savedOptions;
  /** @type {Client} */
  let producer;
  /** @type {Client} */
  let fan;
  /** @type {OwnerEvent} */
  let event;
  const show = showFixture({ adminId: `continuity-admin-${process.pid}`, displayName: "Continuity Producer" });
  const { adminId, client, stored } = show;
  /**
   * @template {{sessionId: string}} T
   * @param {T[]} items
   */
  const ofStage = (items) => items.filter((item) => item.sessionId === event.stageSessionId);
  /** @type {() => ArchiveView[]} */
  const archives = () => ofStage(vonage.state().archives);
  /** @type {() => BroadcastView[]} */
  const broadcasts = () => ofStage(vonage.state().broadcasts);
  /** @type {() => CallbackRecord[]} */
  const callbackRecords = () => vonage.callbacks();
  /** @param {string} path @param {object} [body] */
  const control = async (path, body = {}) => {
    const response = await fetch(`${vonage.url}/_control${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    assert.equal(response.status, 200, `${path}: ${await response.clone().text()}`);
    return response.json();
  };
  /**
   * What a participant reads of the live record, through the rules.
   * @param {string} field
   */
  const participantReads = async (field) => (await get(ref(fan.db, `activeBroadcasts/${adminId}/${event.fanUrl}/${field}`))).val();
  const auditLog = async () => {
    /** @type {AuditEntry[]} */
    const entries = [];
    /** @type {string | null | undefined} */
    let after;
    do {
      const page = await producer.call("getAuditLog", { eventId: event.id, pageSize: 100, ...(after ? { after } : {}) });
      entries.push(...page.entries);
      after = page.next;
    } while (after);
    return entries;
  };
  /** The stored event once no check holds its lease and the runs are as expected. */
  const settled = (/** @type {number} */ archiveCount, /** @type {number} */ broadcastCount) =>
    waitFor(
      `${archiveCount} archives and ${broadcastCount} broadcasts with the event's lease free`,
      /** @returns {Settled} */
      () => ({ event: stored(`events/${event.id}`), archives: archives().length, broadcasts: broadcasts().length }),
      (now) => !now.event.lifecycle?.lease && now.archives === archiveCount && now.broadcasts === broadcastCount,
      { timeoutMs: 90_000 },
    );

  before(async () => {
    stack = await show.start();
    vonage = stack.vonage;
    // A cold function worker can take a while on a busy machine: wait for it instead of failing.
    savedOptions = vonage.state().options;
    vonage.setOptions({ callbackTimeoutMs: 60_000 });
    producer = await show.signInProducer();
  });
  after(async () => {
    vonage.setOptions({ callbackTimeoutMs: savedOptions.callbackTimeoutMs });
    await show.close();
  });

  it("restarts the archive and the broadcast once per rotation and a failed broadcast once, with every step audited", async () => {
    event = await producer.call("createEvent", { name: "Continuity Show", archiveEvent: true });
    await producer.call("changeStatus", { id: event.id, status: "preshow" });
    await producer.call("eventGoLive", { id: event.id });
    /** @type {RunningEvent} */
    const live = stored(`events/${event.id}`);
    assert.equal(live.status, "live");
    fan = await signInAs(client(), `continuity-fan-${process.pid}`, { role: "fan", adminId, eventId: event.id });
    assert.equal(await participantReads("hlsUrl"), live.broadcast.hlsUrl);

    // The rotation: its callbacks are held, then delivered out of order and twice.
    await vonage.callbacksIdle();
    vonage.holdCallbacks();
    const rotated = /** @type {Rotation} */ (await control(`/sessions/${event.stageSessionId}/rotate`, { notify: true }));
    assert.deepEqual([rotated.archives, rotated.broadcasts], [[live.archive.id], [live.broadcast.id]]);
    const held = callbackRecords().filter((record) => record.sessionId === event.stageSessionId && record.state === "held");
    const seqOf = (/** @type {(record: CallbackRecord) => boolean} */ predicate) => {
      const found = held.find(predicate);
      assert.ok(found, "a held callback");
      return found.seq;
    };
    const destroyed = seqOf((record) => record.event === "sessionDestroyed");
    const notification = seqOf((record) => record.event === "sessionNotification");
    const archiveStopped = seqOf((record) => record.kind === "archive" && record.status === "stopped");
    const broadcastStopped = seqOf((record) => record.kind === "broadcast" && record.status === "stopped");
    /** @type {CallbackRecord} */
    const duplicate = await vonage.redeliverCallback(destroyed);
    // The stops first (no rotation known yet), the rotation twice, its advance notice last.
    await vonage.releaseCallbacks({ order: [archiveStopped, broadcastStopped, destroyed, duplicate.seq, notification] });
    await vonage.redeliverCallback(archiveStopped);
    await vonage.callbacksIdle();
    const answers = callbackRecords().filter((record) => [destroyed, duplicate.seq].includes(record.seq));
    assert.deepEqual(
      answers.map((record) => record.lastStatus),
      [200, 200],
    );

    const restarted = /** @type {RunningEvent} */ (
      await waitFor(
        "the archive and the broadcast to be restarted",
        /** @returns {EventRecord} */
        () => stored(`events/${event.id}`),
        (now) =>
          now.archive?.status === "started" &&
          now.archive.id !== live.archive.id &&
          now.broadcast?.status === "started" &&
          now.broadcast.id !== live.broadcast.id,
        { timeoutMs: 90_000 },
      )
    );
    await waitFor(
      "participants to read the new HLS URL",
      () => participantReads("hlsUrl"),
      (url) => url === restarted.broadcast.hlsUrl,
    );
    assert.notEqual(restarted.broadcast.hlsUrl, live.broadcast.hlsUrl);
    const continuity = await participantReads("continuity");
    assert.equal(continuity.archive.cause, "serverRotation");
    assert.equal(continuity.broadcast.cause, "serverRotation");
    assert.equal(typeof continuity.broadcast.restartedAt, "number");
    assert.equal(await participantReads("archiving"), true);

    // Exactly once: one new archive and one new broadcast, whatever the duplicates did.
    const afterRotation = /** @type {SettledContinued} */ (await settled(2, 2));
    assert.equal(afterRotation.event.archive.id, restarted.archive.id);
    assert.equal(afterRotation.event.broadcast.id, restarted.broadcast.id);
    assert.equal(archives().filter((archive) => archive.status === "started").length, 1);
    assert.equal(broadcasts().filter((broadcast) => broadcast.status === "started").length, 1);

    // A failed broadcast (no rotation) is restarted too, once.
    await control(`/broadcasts/${restarted.broadcast.id}/status`, { status: "failed" });
    await vonage.callbacksIdle();
    const third = /** @type {RunningEvent} */ (
      await waitFor(
        "the failed broadcast to be restarted",
        /** @returns {EventRecord} */
        () => stored(`events/${event.id}`),
        (now) => now.broadcast?.status === "started" && now.broadcast.id !== restarted.broadcast.id,
        { timeoutMs: 90_000 },
      )
    );
    await waitFor(
      "participants to read the third HLS URL",
      () => participantReads("hlsUrl"),
      (url) => url === third.broadcast.hlsUrl,
    );
    const afterFailure = /** @type {SettledContinued} */ (await settled(2, 3));
    assert.equal(afterFailure.event.continuity.broadcast.cause, "failed");
    assert.equal(afterFailure.event.continuity.broadcast.restarts, 2);

    // The trail: the producer's own steps, then the system's, in order.
    const entries = await auditLog();
    const system = entries.filter((entry) => entry.actor.role === "system");
    assert.ok(system.every((entry) => entry.actor.uid === "system"));
    const actions = system.map((entry) => entry.action);
    const restartSteps = /** @type {DetailedEntry[]} */ (
      system.filter((entry) => /^(archive|broadcast)(Ended|Restarted)$/.test(entry.action))
    ).map((entry) => [entry.action, entry.details.cause ?? null, entry.target.archiveId ?? entry.target.broadcastId]);
    assert.deepEqual(restartSteps, [
      ["archiveEnded", "serverRotation", live.archive.id],
      ["archiveRestarted", "serverRotation", restarted.archive.id],
      ["broadcastEnded", "serverRotation", live.broadcast.id],
      ["broadcastRestarted", "serverRotation", restarted.broadcast.id],
      ["broadcastEnded", "failed", restarted.broadcast.id],
      ["broadcastRestarted", "failed", third.broadcast.id],
    ]);
    assert.equal(actions.filter((action) => action === "serverRotation").length, 1, "the duplicate rotation is not recorded twice");
    assert.ok(actions.indexOf("serverRotation") < actions.indexOf("archiveEnded"), "the rotation precedes its restarts");
    assert.ok(actions.includes("serverRotationNotice"));
    const hlsEntry = /** @type {DetailedEntry} */ (system.find((entry) => entry.action === "broadcastRestarted"));
    assert.equal(hlsEntry.details.hlsUrl, restarted.broadcast.hlsUrl);
    const producerSteps = /** @type {DetailedEntry[]} */ (entries.filter((entry) => entry.actor.uid === adminId)).map((entry) => [
      entry.action,
      entry.details.step ?? null,
    ]);
    assert.deepEqual(producerSteps.slice(0, 4), [
      ["changeStatus", null],
      ["eventGoLive", "archive"],
      ["eventGoLive", "broadcast"],
      ["eventGoLive", null],
    ]);
    assert.ok(entries.every((entry) => typeof entry.at === "number"));

    // The close stops what replaced the first runs.
    await producer.call("endBroadcast", { id: event.id });
    await waitFor(
      "every archive and broadcast of the show to stop",
      () => [...archives(), ...broadcasts()].map((run) => run.status),
      (statuses) => statuses.every((status) => status !== "started"),
      { timeoutMs: 90_000 },
    );
  });
});
