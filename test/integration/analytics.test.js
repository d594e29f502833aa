// @ts-check
/**
 * Attendance analytics end to end: the Vonage stand-in simulates a show on two real sessions (created
 * with the opentok SDK) and sends its signed callbacks to the `vonageCallbacks` function in the
 * emulator; the producer then reads `getSessionAnalytics` through the web SDK and gets exactly the
 * minutes this test works out from the callbacks' own timestamps.
 */
"use strict";
const assert = require("node:assert/strict");
const { randomBytes } = require("node:crypto");
const OpenTok = require("opentok");
const { sharedStack } = require("../support/stack.cjs");
const { signInAs } = require("../support/identities.cjs");
const { newClient } = require("../../local/client.cjs");
const { LOCAL_VONAGE } = require("../../local/config.cjs");
const { eventIndexPatch } = require("../../functions/lib/events/derived.js");
const { TokenSigner } = require("../../functions/lib/platform/vonage/tokens.js");
const { connectionData } = require("../../functions/lib/seats/connectionData.js");

/**
 * @typedef {import("firebase/functions").FunctionsError} CallError a refused call, as the web SDK rejects it
 * @typedef {import("../../functions/src/events/model").EventRecord} EventRecord
 * @typedef {import("../../functions/src/seats/connectionData").ConnectionData} ConnectionData
 * @typedef {Omit<ConnectionData, "eventId">} Participant who a connection's data names (the event is the suite's)
 * @typedef {import("../../local/vonage-standin/lib/types").CallbackSnapshot} CallbackRecord
 * @typedef {import("@interactive-broadcast/contract").ParticipantAttendance} ParticipantAttendance
 */

const MIN = 60_000;
const pause = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));
/**
 * @param {OpenTok} ot
 * @returns {Promise<string>}
 */
const createSession = (ot) =>
  new Promise((resolve, reject) =>
    // Without an error the SDK always gives the session.
    ot.createSession({ mediaMode: "routed" }, (error, session) =>
      error ? reject(error) : resolve(/** @type {OpenTok.Session} */ (session).sessionId),
    ),
  );
/**
 * An archive call of the SDK, its callback last, as a promise.
 * @param {(callback: (error: unknown, archive?: OpenTok.Archive) => void) => void} start
 * @returns {Promise<OpenTok.Archive>}
 */
const archiveCall = (start) =>
  // Without an error the SDK always gives the archive.
  new Promise((resolve, reject) => start((error, result) => (error ? reject(error) : resolve(/** @type {OpenTok.Archive} */ (result)))));

describe("integration: attendance analytics from Vonage callbacks", function () {
  this.timeout(180_000);
  /** @type {import("../support/stack.cjs").SharedStack} */
  let stack;
  /** @type {import("../support/stack.cjs").SharedStack["vonage"]} */
  let vonage;
  /** @type {import("../../local/vonage-standin/lib/types").Options | undefined} */
  let savedOptions;
  /** @type {OpenTok} */
  let ot;
  /** @type {import("../support/showFixture.cjs").Client} */
  let producer;
  const suffix = randomBytes(6).toString("hex");
  const adminId = `analytics-admin-${suffix}`;
  const eventId = `-Analytics${suffix}`;
  // The show window [T0, T0 + 60 min] holds both the forged callbacks below (times inside it) and the
  // real connections of this run (about T0 + 30 min): attendance is clipped to the show window.
  const T0 = Math.floor(Date.now() / MIN) * MIN - 30 * MIN;
  const at = (/** @type {number} */ minutes) => T0 + minutes * MIN;
  /** @type {EventRecord} */
  let event;
  /** This suite's session ids (a callback record's may be null). @type {Set<string | null>} */
  const ours = new Set();

  /**
   * Callback records of this suite's sessions (the stand-in is shared with other suites).
   * @returns {CallbackRecord[]}
   */
  const records = () => vonage.callbacks().filter((/** @type {CallbackRecord} */ record) => ours.has(record.sessionId));
  /** @param {(record: CallbackRecord) => boolean} predicate */
  const record = (predicate) => {
    const found = records().filter(predicate);
    assert.equal(found.length, 1, "exactly one matching callback record");
    return found[0];
  };
  const attendance = () => stack.database.getData(`attendance/${eventId}`);

  before(async () => {
    stack = await sharedStack();
    vonage = stack.vonage;
    // A cold function worker can take a while on a busy machine: wait for it instead of failing.
    savedOptions = vonage.state().options;
    vonage.setOptions({ callbackTimeoutMs: 60_000 });
    ot = new OpenTok(LOCAL_VONAGE.apiKey, LOCAL_VONAGE.apiSecret, { apiUrl: vonage.url });
    const [backstage, stage] = [await createSession(ot), await createSession(ot)];
    ours.add(backstage).add(stage);
    event = {
      id: eventId,
      adminId,
      name: "Analytics show",
      fanUrl: `analytics-${suffix}`,
      hostUrl: randomBytes(18).toString("base64url"),
      celebrityUrl: randomBytes(18).toString("base64url"),
      status: "closed",
      archiveEvent: true,
      uncomposed: false,
      interactiveLimit: 3,
      sessionId: backstage,
      stageSessionId: stage,
      showStartedAt: at(0),
      showEndedAt: at(60),
      createdAt: at(-60),
      updatedAt: at(60),
    };
    for (const [path, value] of Object.entries(eventIndexPatch(event, null, true))) stack.database.setData(path, value);
    // Counters the seat gate keeps (the tokens area writes them).
    stack.database.setData(`stageGates/${eventId}/peakInteractive`, 3);
    stack.database.setData(`stageGates/${eventId}/hlsAdmissions`, 17);
    producer = newClient(stack.ports);
    await signInAs(producer, adminId, { role: "admin" });
  });

  after(async () => {
    if (producer) await producer.close();
    if (vonage && savedOptions) vonage.setOptions({ callbackTimeoutMs: savedOptions.callbackTimeoutMs });
  });

  it("turns a simulated show (joins, leaves, a re-join, a duplicate, two callbacks out of order) into the exact minutes", async () => {
    const signer = new TokenSigner(LOCAL_VONAGE.apiKey, LOCAL_VONAGE.apiSecret);
    const expireTime = Math.floor(Date.now() / 1000) + 3600;
    /** @type {(sessionId: string, role: import("../../functions/src/platform/vonage/tokens").TokenRequest["role"], who: Participant) => string} */
    const token = (sessionId, role, who) => signer.mint({ sessionId, role, expireTime, data: connectionData({ eventId, ...who }) });
    /** @type {Participant} */
    const host = { userType: "host", participantId: `host-${suffix}`, name: "Hana" };
    /** @type {Participant} */
    const fan = { userType: "fan", participantId: `fan-${suffix}`, name: "Ann" };

    // Part 1: real simulated clients with our tokens; the stand-in stamps the times.
    const hostConn = vonage.connectClient(event.stageSessionId, { token: token(event.stageSessionId, "publisher", host) });
    const hostStream = vonage.createStream(hostConn.connectionId, { name: "Hana", videoType: "camera" });
    const fanBackstage = vonage.connectClient(event.sessionId, { token: token(event.sessionId, "publisher", fan) });
    await pause(30);
    vonage.disconnectClient(fanBackstage.connectionId);
    // The fan's first stage visit: its two callbacks are held and delivered leave-first.
    vonage.holdCallbacks();
    const fanStage1 = vonage.connectClient(event.stageSessionId, { token: token(event.stageSessionId, "subscriber", fan) });
    await pause(30);
    vonage.disconnectClient(fanStage1.connectionId);
    const held = records()
      .filter((r) => r.state === "held")
      .map((r) => r.seq);
    assert.equal(held.length, 2);
    await vonage.releaseCallbacks({ order: [held[1], held[0]] });
    // `held` lists records that exist.
    const [stage1Created, stage1Destroyed] = /** @type {[CallbackRecord, CallbackRecord]} */ (
      held.map((seq) => records().find((r) => r.seq === seq))
    );
    assert.deepEqual([stage1Created.event, stage1Destroyed.event], ["connectionCreated", "connectionDestroyed"]);
    assert.ok(stage1Destroyed.deliveries[0].at <= stage1Created.deliveries[0].at, "the leave was delivered before the join");
    for (const r of [stage1Created, stage1Destroyed]) assert.match(r.deliveries[0].response ?? "", /"applied"/);
    // The re-join (page reload), and a client whose connection data we did not mint.
    const fanStage2 = vonage.connectClient(event.stageSessionId, { token: token(event.stageSessionId, "subscriber", fan) });
    const stranger = vonage.connectClient(event.stageSessionId, { data: "legacy-client", role: "subscriber" });
    await pause(30);
    vonage.disconnectClient(fanStage2.connectionId);
    vonage.disconnectClient(stranger.connectionId);
    vonage.destroyStream(hostStream.id);
    vonage.disconnectClient(hostConn.connectionId);
    await vonage.callbacksIdle();

    // A duplicate (a platform retry, new token) and a replay of the very same signed request.
    const hostCreated = record(
      (r) => r.event === "connectionCreated" && r.payload?.connection?.id === hostConn.connectionId && !r.duplicateOf,
    );
    const dup = await vonage.redeliverCallback(hostCreated.seq);
    const fanLeft = record(
      (r) => r.event === "connectionDestroyed" && r.payload?.connection?.id === fanStage1.connectionId && !r.duplicateOf,
    );
    const replay = await vonage.redeliverCallback(fanLeft.seq, { sameToken: true });
    await vonage.callbacksIdle();
    assert.equal(dup.lastStatus, 200);
    assert.match(dup.deliveries.at(-1)?.response ?? "", /"duplicate"/);
    assert.equal(replay.lastStatus, 200);
    assert.match(replay.deliveries.at(-1)?.response ?? "", /"duplicate"/);

    // Part 2: callbacks with chosen times inside the show, signed by the stand-in like Vonage would.
    /**
     * @param {"connectionCreated" | "connectionDestroyed"} type
     * @param {string} connectionId
     * @param {Participant} who
     * @param {number} joined minutes into the show
     * @param {number} [left] minutes into the show (a connectionDestroyed always gives it)
     */
    const forged = (type, connectionId, who, joined, left) => ({
      sessionId: event.stageSessionId,
      projectId: LOCAL_VONAGE.apiKey,
      event: type,
      timestamp: type === "connectionCreated" ? at(joined) : at(/** @type {number} */ (left)),
      ...(type === "connectionDestroyed" ? { reason: "clientDisconnected" } : {}),
      connection: { id: connectionId, createdAt: at(joined), data: connectionData({ eventId, ...who }) },
    });
    /** @type {Participant} */
    const celebrity = { userType: "celebrity", participantId: `celeb-${suffix}`, name: "Cleo" };
    /** @type {Participant} */
    const fanB = { userType: "fan", participantId: `fanb-${suffix}`, name: "Bo" };
    /** @type {Participant} */
    const fanC = { userType: "fan", participantId: `fanc-${suffix}` };
    const script = [
      // Celebrity in two tabs at once: [0,30] and [20,45] -> 45 minutes, not 55.
      forged("connectionCreated", `cel-1-${suffix}`, celebrity, 0),
      forged("connectionCreated", `cel-2-${suffix}`, celebrity, 20),
      forged("connectionDestroyed", `cel-1-${suffix}`, celebrity, 0, 30),
      forged("connectionDestroyed", `cel-2-${suffix}`, celebrity, 20, 45),
      // Fan B leaves and re-joins: [5,15] + [40,50] -> 20 minutes; the second leave arrives first.
      forged("connectionCreated", `fb-1-${suffix}`, fanB, 5),
      forged("connectionDestroyed", `fb-1-${suffix}`, fanB, 5, 15),
      forged("connectionDestroyed", `fb-2-${suffix}`, fanB, 40, 50),
      forged("connectionCreated", `fb-2-${suffix}`, fanB, 40),
      // Fan C joins at 50 and never leaves: counted up to the show's end at 60 -> 10 minutes.
      forged("connectionCreated", `fc-1-${suffix}`, fanC, 50),
    ];
    for (const payload of script) {
      const sent = await vonage.sendCallback({ payload });
      assert.equal(sent.lastStatus, 200, `${payload.event} ${payload.connection.id}`);
    }

    // Every callback of ours was accepted (2xx); none needed a retry.
    for (const r of records()) assert.equal(r.lastStatus, 200, `callback ${r.seq} ${r.event}`);

    // Hand computation from the callbacks' own times (part 1) and the chosen times (part 2).
    const interval = (/** @type {string} */ connectionId) => {
      const created = record((r) => r.event === "connectionCreated" && r.payload?.connection?.id === connectionId && !r.duplicateOf);
      const destroyed = record((r) => r.event === "connectionDestroyed" && r.payload?.connection?.id === connectionId && !r.duplicateOf);
      const [opened, closed] = [created.payload?.connection?.createdAt, destroyed.payload?.timestamp];
      assert.ok(typeof opened === "number" && typeof closed === "number", "both callbacks carry their times");
      assert.equal(opened, destroyed.payload?.connection?.createdAt);
      return closed - opened;
    };
    const hostMs = interval(hostConn.connectionId);
    // The fan's three connections follow one another (each leave before the next join).
    const fanMs = interval(fanBackstage.connectionId) + interval(fanStage1.connectionId) + interval(fanStage2.connectionId);
    const strangerMs = interval(stranger.connectionId);
    const minutes = (/** @type {number} */ ms) => Math.round(ms / 600) / 100;

    const result = await producer.call("getSessionAnalytics", { eventId });
    const byId = Object.fromEntries(result.participants.map((p) => [p.participantId, p]));
    assert.deepEqual(
      Object.keys(byId).sort(),
      [
        host.participantId,
        fan.participantId,
        stranger.connectionId,
        celebrity.participantId,
        fanB.participantId,
        fanC.participantId,
      ].sort(),
    );

    /**
     * @param {string} participantId
     * @param {Partial<ParticipantAttendance>} expected
     */
    const expect = (participantId, expected) => {
      /** @type {Record<string, unknown>} */
      const p = byId[participantId];
      for (const [field, value] of Object.entries(expected)) assert.deepEqual(p[field], value, `${participantId}.${field}`);
    };
    expect(host.participantId, {
      userType: "host",
      name: "Hana",
      attendedMs: hostMs,
      attendedMinutes: minutes(hostMs),
      connections: 1,
      connected: false,
    });
    expect(fan.participantId, {
      userType: "fan",
      name: "Ann",
      attendedMs: fanMs,
      attendedMinutes: minutes(fanMs),
      connections: 3,
      connected: false,
      firstJoinAt: fanBackstage.createdAt,
    });
    expect(stranger.connectionId, { userType: "unknown", name: null, attendedMs: strangerMs, connections: 1 });
    expect(celebrity.participantId, {
      userType: "celebrity",
      name: "Cleo",
      attendedMs: 45 * MIN,
      attendedMinutes: 45,
      firstJoinAt: at(0),
      lastLeaveAt: at(45),
      connected: false,
      connections: 2,
    });
    expect(fanB.participantId, {
      attendedMs: 20 * MIN,
      attendedMinutes: 20,
      firstJoinAt: at(5),
      lastLeaveAt: at(50),
      connected: false,
      connections: 2,
    });
    expect(fanC.participantId, { attendedMs: 10 * MIN, attendedMinutes: 10, firstJoinAt: at(50), lastLeaveAt: null, connected: true });
    assert.ok(byId[host.participantId].publishedMs > 0, "the host's stream counts as time on camera");

    const totalMs = hostMs + fanMs + strangerMs + 45 * MIN + 20 * MIN + 10 * MIN;
    assert.equal(result.totalAttendedMs, totalMs);
    assert.equal(result.totalAttendedMinutes, minutes(totalMs));
    assert.equal(typeof result.totalAttendedMinutes, "number");
    assert.equal(result.participantCount, 6);
    assert.equal(result.connectedCount, 1);
    assert.deepEqual(result.show, { startedAt: at(0), endedAt: at(60), durationMs: 60 * MIN, durationMinutes: 60, running: false });
    assert.equal(result.peakInteractive, 3);
    assert.equal(result.hlsAdmissions, 17);
  });

  it("a callback with a wrong signature, or none, changes nothing", async () => {
    const before = attendance();
    /** @type {ConnectionData} */
    const fanC = { userType: "fan", participantId: `fanc-${suffix}`, eventId };
    const payload = {
      sessionId: event.stageSessionId,
      projectId: LOCAL_VONAGE.apiKey,
      event: "connectionDestroyed",
      timestamp: at(55),
      reason: "clientDisconnected",
      connection: { id: `fc-1-${suffix}`, createdAt: at(50), data: connectionData(fanC) },
    };
    const wrong = await vonage.sendCallback({ payload, signingSecret: "not-the-signing-secret" });
    const unsigned = await vonage.sendCallback({ payload, unsigned: true });
    assert.equal(wrong.lastStatus, 401);
    assert.equal(unsigned.lastStatus, 401);
    assert.deepEqual(attendance(), before);
    const result = await producer.call("getSessionAnalytics", { eventId });
    const p = result.participants.find((x) => x.participantId === fanC.participantId);
    assert.equal(p?.connected, true, "the forged leave was not recorded");
    assert.equal(p?.attendedMs, 10 * MIN);
  });

  it("archive callbacks record the stopped archive and where it is; nobody but the producer reads the analytics", async () => {
    vonage.holdCallbacks();
    const archive = await archiveCall((done) => ot.startArchive(event.stageSessionId, { name: "show" }, done));
    stack.database.setData(`events/${eventId}/archive`, { id: archive.id, status: "started", outputMode: "composed" });
    await vonage.releaseCallbacks();
    await archiveCall((done) => ot.stopArchive(archive.id, done));
    // The stand-in reports `available` shortly after `stopped`.
    for (let i = 0; i < 100 && stack.database.getData(`events/${eventId}/archive/status`) !== "available"; i += 1) {
      await vonage.callbacksIdle();
      await pause(50);
    }
    const stored = stack.database.getData(`events/${eventId}/archive`);
    assert.equal(stored.status, "available");
    assert.equal(stored.id, archive.id);
    assert.match(stored.url, new RegExp(`/_media/archives/${archive.id}/`));

    const other = newClient(stack.ports);
    try {
      await signInAs(other, `other-admin-${suffix}`, { role: "admin" });
      await assert.rejects(
        other.call("getSessionAnalytics", { eventId }),
        (/** @type {CallError} */ error) => error.code === "functions/permission-denied",
      );
      const { ref, get } = require("firebase/database");
      const { set } = require("firebase/database");
      await assert.rejects(
        get(ref(producer.db, `attendance/${eventId}`)),
        /permission/i,
        "attendance is server-only, even for the producer",
      );
      await assert.rejects(get(ref(producer.db, `processedCallbacks/${eventId}`)), /permission/i);
      await assert.rejects(
        set(ref(producer.db, `attendance/${eventId}/connections/x`), { participantId: "x", joinedAt: 0 }),
        /permission/i,
      );
    } finally {
      await other.close();
    }
  });
});
