// @ts-check
/**
 * The show's floor run from the server (issue 17, "Done when") through the real web SDK against the
 * local stack: the functions emulator, the local database server (real rules) and the Vonage
 * stand-in, whose session-monitoring callbacks reach the functions as they would from Vonage.
 * Events are written straight into the database as the events code writes them (as seats.test.js).
 */
"use strict";
const assert = require("node:assert/strict");
const { randomBytes } = require("node:crypto");
const { promisify } = require("node:util");
const OpenTok = require("opentok");
const { ref, get, set, update, remove, onDisconnect, goOffline } = require("firebase/database");
const { setLogLevel } = require("firebase/app");
const { sharedStack } = require("../support/stack.cjs");
const { signInAs } = require("../support/identities.cjs");
const { newClient } = require("../../local/client.cjs");
const { waitFor } = require("../../local/async.cjs");
const { LOCAL_VONAGE, LOCAL_SECRETS } = require("../../local/config.cjs");
const { eventIndexPatch } = require("../../functions/lib/events/derived.js");

process.env.TENANT_SECRET_KEYS ??= LOCAL_SECRETS.TENANT_SECRET_KEYS;
const { credentialsPatch } = require("../../functions/lib/admins/store.js");

/**
 * @typedef {import("../support/stack.cjs").SharedStack} SharedStack
 * @typedef {ReturnType<typeof newClient>} Client
 * @typedef {Client & {uid: string}} SignedIn a client signed in by `signedIn`, with its uid
 * @typedef {import("@interactive-broadcast/contract").InteractiveAnswer} InteractiveAnswer
 * @typedef {import("@interactive-broadcast/contract").LineSpot} LineSpot
 * @typedef {import("@interactive-broadcast/contract").LineEntry} LineEntry
 * @typedef {import("@interactive-broadcast/contract").EventRecord} EventRecord
 * @typedef {import("@interactive-broadcast/contract").AttendanceConnection} AttendanceConnection
 * @typedef {import("@interactive-broadcast/contract").AttendanceStream} AttendanceStream
 * @typedef {{connections?: Record<string, AttendanceConnection>, streams?: Record<string, AttendanceStream>}} Attendance
 * @typedef {ReturnType<SharedStack["vonage"]["connectClient"]>} StandinConnection
 * @typedef {SignedIn & {fanId: string, tokens: InteractiveAnswer, backstage: StandinConnection, spot: LineSpot}} LineFan
 *   a seated fan connected backstage and in line (`fanInLine`)
 * @typedef {import("../../local/vonage-standin/lib/types").Signal} Signal
 * @typedef {import("../../local/vonage-standin/lib/types").ForceMute} ForceMute
 * @typedef {{id: string, audioMuted: boolean}} StreamView a stream as the stand-in's state() lists it (the fields read here)
 * @typedef {{id: string, forceMute: ForceMute, connections: Array<{connectionId: string}>, streams: StreamView[]}} SessionView
 *   a session as the stand-in's state() lists it (the fields read here)
 * @typedef {{sessions: SessionView[], signals: Signal[]}} StandinState
 * @typedef {import("firebase/functions").FunctionsError} CallError a refused call, as the web SDK rejects it
 * @typedef {import("opentok").Session} Session
 * @typedef {import("@interactive-broadcast/contract").AuditEntry} AuditEntry
 * @typedef {AuditEntry & {error: NonNullable<AuditEntry["error"]>}} FailedEntry a failed entry, which says why
 */

const FANS = 20;
/** The code of a refused call (what the web SDK rejects with). */
const codeOf = (/** @type {unknown} */ error) => /** @type {CallError} */ (error).code;
const refusedWith = (/** @type {string} */ code) => (/** @type {unknown} */ error) => codeOf(error) === `functions/${code}`;
const denied = /permission/i;

describe("integration: the live show's floor run from the server", function () {
  this.timeout(600_000);
  /** @type {SharedStack} */
  let stack;
  /** @type {string} */
  let adminId;
  /** @type {EventRecord} */
  let event;
  /** @type {SignedIn} */
  let producer;
  /** @type {Client[]} */
  const clients = [];
  /** @type {LineFan[]} */
  const line = [];

  const client = () => {
    const created = newClient(stack.ports);
    clients.push(created);
    return created;
  };
  /**
   * @param {string} uid
   * @param {Record<string, unknown>} claims
   * @returns {Promise<SignedIn>}
   */
  async function signedIn(uid, claims) {
    const created = client();
    await signInAs(created, uid, claims);
    return Object.assign(created, { uid });
  }
  const fanClaims = () => ({ role: "fan", adminId, eventId: event.id });
  const ownerClaims = { role: "admin", superAdmin: false };
  const record = () => `activeBroadcasts/${adminId}/${event.fanUrl}`;
  /** @type {() => StandinState} */
  const vonageState = () => stack.vonage.state();
  const connectionsAtVonage = () =>
    vonageState()
      .sessions.filter((session) => session.id === event.sessionId || session.id === event.stageSessionId)
      .flatMap((session) => session.connections.map((connection) => connection.connectionId));
  /** @type {() => Attendance} */
  const attendance = () => stack.database.getData(`attendance/${event.id}`) ?? {};
  /**
   * Waits until the callbacks for these connections (or streams) reached the backend.
   * @param {keyof Attendance} kind @param {string[]} ids @param {(entry: unknown) => boolean} [done]
   */
  const reported = (kind, ids, done = (entry) => Boolean(entry)) =>
    waitFor(
      `the ${kind} callbacks of ${ids.join(", ")}`,
      () => attendance()[kind] ?? {},
      (seen) => ids.every((id) => done(seen[id])),
      { timeoutMs: 60_000, intervalMs: 100 },
    );

  /**
   * A seated fan connected backstage (camera published) and in line.
   * @param {number} index
   */
  async function fanInLine(index) {
    const uid = `lfan${String(index).padStart(2, "0")}${randomBytes(4).toString("hex")}`;
    // Its fields are filled in below, each checked as it arrives.
    const fan = /** @type {LineFan} */ (await signedIn(uid, fanClaims()));
    fan.fanId = `${uid}-tab1`;
    fan.tokens = /** @type {InteractiveAnswer} */ (await fan.call("createTokensFan", { fanId: fan.fanId }));
    assert.equal(fan.tokens.mode, "interactive");
    await onDisconnect(ref(fan.db, fan.tokens.seatPath)).remove();
    await set(ref(fan.db, `${record()}/activeFans/${fan.fanId}`), { id: fan.fanId, name: `Fan ${index}` });
    fan.backstage = stack.vonage.connectClient(event.sessionId, { token: fan.tokens.backstageToken });
    fan.spot = await fan.call("joinLine", { fanId: fan.fanId, name: `Fan ${index}` });
    await onDisconnect(ref(fan.db, fan.spot.linePath)).remove();
    return fan;
  }
  /** @type {(fan: LineFan) => Promise<LineEntry>} */
  const ownEntry = async (fan) => (await get(ref(fan.db, fan.spot.linePath))).val();

  before(async () => {
    stack = await sharedStack();
    setLogLevel("error");
    adminId = `liveadm${randomBytes(6).toString("hex")}`;
    for (const [path, value] of Object.entries(credentialsPatch(adminId, LOCAL_VONAGE))) {
      stack.database.setData(path, Object.assign({}, value, { updatedAt: Date.now() }));
    }
    const opentok = new OpenTok(LOCAL_VONAGE.apiKey, LOCAL_VONAGE.apiSecret, { apiUrl: stack.vonage.url });
    const createSession = promisify(opentok.createSession.bind(opentok));
    // The SDK's callback gives a session whenever it gives no error.
    const [backstage, stage] = /** @type {[Session, Session]} */ (
      await Promise.all([createSession({ mediaMode: "routed" }), createSession({ mediaMode: "routed" })])
    );
    const id = `live${randomBytes(6).toString("hex")}`;
    const now = Date.now();
    event = {
      id,
      adminId,
      name: `Live ${id}`,
      fanUrl: `live-${id.toLowerCase()}`,
      hostUrl: randomBytes(18).toString("base64url"),
      celebrityUrl: randomBytes(18).toString("base64url"),
      status: "live",
      archiveEvent: false,
      uncomposed: false,
      // Every seat taken by the line's fans plus one: the removal's freed seat is the only free one.
      interactiveLimit: FANS + 1,
      sessionId: backstage.sessionId,
      stageSessionId: stage.sessionId,
      createdAt: now,
      updatedAt: now,
    };
    for (const [path, value] of Object.entries(eventIndexPatch(event, null, true))) stack.database.setData(path, value);
    stack.database.setData(record(), { eventId: id, status: "live", name: event.name });
    // The admin's current show, as the events code points it (createTokenByUserType reads it).
    stack.database.setData(`currentEvents/${adminId}`, { eventId: id });
    producer = await signedIn(adminId, ownerClaims);
  });

  after(async () => {
    setLogLevel("warn");
    for (const created of clients.splice(0)) await created.close().catch(() => undefined);
    for (const path of [
      `adminCredentials/${adminId}`,
      `events/${event.id}`,
      `stageGates/${event.id}`,
      record(),
      `eventKeys/${adminId}`,
      `currentEvents/${adminId}`,
      `sessionIndex/${event.sessionId}`,
      `sessionIndex/${event.stageSessionId}`,
      `attendance/${event.id}`,
      `processedCallbacks/${event.id}`,
      `liveLines/${event.id}`,
      `liveBans/${event.id}`,
      `liveSignals/${event.id}`,
      `auditLog/${event.id}`,
    ]) {
      stack.database.setData(path, null);
    }
  });

  it(`${FANS} fans get in line: exact positions, each sees only their own entry, nobody reorders`, async () => {
    for (let i = 0; i < FANS; i++) line.push(await fanInLine(i));
    assert.deepEqual(
      line.map((fan) => fan.spot.position),
      line.map((_, i) => i + 1),
    );
    for (const [i, fan] of line.entries()) {
      const entry = await ownEntry(fan);
      assert.deepEqual([entry.position, entry.state, entry.participantId], [i + 1, "inLine", fan.uid]);
    }
    const [first, second] = line;
    // Nobody else's data: not the line, not another entry.
    await assert.rejects(get(ref(first.db, `liveLines/${event.id}`)), denied);
    await assert.rejects(get(ref(first.db, second.spot.linePath)), denied);
    // No fan write changes the order or another fan's record.
    await assert.rejects(update(ref(first.db, first.spot.linePath), { ticket: 0, position: 1 }), denied);
    await assert.rejects(set(ref(second.db, `${second.spot.linePath}/position`), 1), denied);
    await assert.rejects(set(ref(first.db, `liveLines/${event.id}/tickets`), 0), denied);
    await assert.rejects(
      set(ref(first.db, `liveLines/${event.id}/fans/${first.uid}-forged`), { participantId: first.uid, ticket: 0 }),
      denied,
    );
    await assert.rejects(remove(ref(first.db, second.spot.linePath)), denied);
    await assert.rejects(set(ref(first.db, `${record()}/activeFans/${second.fanId}/name`), "hijacked"), denied);
    await assert.rejects(set(ref(first.db, `${record()}/counts/inLine`), 0), denied);
    await assert.rejects(first.call("joinLine", { fanId: second.fanId }), refusedWith("permission-denied"));
    assert.equal((await ownEntry(second)).position, 2);
    // The live count: a number beside the record, readable by participants.
    await waitFor(
      "counts/inLine",
      () => stack.database.getData(`${record()}/counts/inLine`),
      (count) => typeof count === "number" && count > 0,
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    assert.equal(typeof (await get(ref(first.db, `${record()}/counts/inLine`))).val(), "number");
  });

  it("the producer sees the ordered line, and a reload of the producer's page loses nothing", async () => {
    const before = await producer.call("getLine", { eventId: event.id });
    assert.deepEqual(
      before.fans.map((entry) => [entry.fanId, entry.participantId, entry.position]),
      line.map((fan, i) => [fan.fanId, fan.uid, i + 1]),
    );
    await producer.close();
    producer = await signedIn(adminId, ownerClaims);
    const after = await producer.call("getLine", { eventId: event.id });
    assert.deepEqual(after.fans, before.fans);
    // The owner may also listen to the node itself.
    assert.equal(Object.keys((await get(ref(producer.db, `liveLines/${event.id}/fans`))).val()).length, FANS);
  });

  it("fans who drop out leave the line (their onDisconnect, Vonage's connectionDestroyed)", async () => {
    const dropped = line.splice(FANS - 2, 2);
    goOffline(dropped[0].db); // the tab closes: its onDisconnect removes the entry
    stack.vonage.disconnectClient(dropped[1].backstage.connectionId); // the backstage connection drops
    const gone = new Set(dropped.map((fan) => fan.fanId));
    await waitFor(
      "both to leave the line",
      () => producer.call("getLine", { eventId: event.id }),
      (view) => view.fans.every((entry) => !gone.has(entry.fanId)) && view.size === FANS - 2,
      { timeoutMs: 60_000, intervalMs: 300 },
    );
    const view = await producer.call("getLine", { eventId: event.id });
    assert.deepEqual(
      view.fans.map((entry) => entry.position),
      line.map((_, i) => i + 1),
    );
  });

  it("the producer takes fans backstage and on stage in order; positions follow; stage tokens follow isOnStage", async () => {
    for (const [i, fan] of line.slice(0, 6).entries()) {
      const view = await producer.call("getLine", { eventId: event.id });
      const next = view.fans.find((entry) => entry.position === 1);
      assert.equal(next?.fanId, fan.fanId, `fan ${i} is first in line`);
      assert.equal((await producer.call("bringBackstage", { eventId: event.id, fanId: fan.fanId })).state, "backstage");
      assert.equal((await producer.call("bringBackstage", { eventId: event.id, fanId: fan.fanId })).changed, false);
      // The database stores no nulls: a fan out of the waiting line has no position.
      assert.deepEqual([(await ownEntry(fan)).state, (await ownEntry(fan)).position ?? null], ["backstage", null]);
      assert.equal((await ownEntry(line[i + 1])).position, 1, "the next fan moved up to first");
      await producer.call("bringOnStage", { eventId: event.id, fanId: fan.fanId });
      const stage = await fan.call("createTokenStageFan", { fanId: fan.fanId });
      const onStage = stack.vonage.connectClient(event.stageSessionId, { token: stage.stageToken });
      assert.equal(onStage.role, "publisher");
      stack.vonage.disconnectClient(onStage.connectionId);
      await producer.call("takeOffStage", { eventId: event.id, fanId: fan.fanId });
      await assert.rejects(fan.call("createTokenStageFan", { fanId: fan.fanId }), refusedWith("permission-denied"));
    }
    const view = await producer.call("getLine", { eventId: event.id });
    assert.equal(view.waiting, line.length - 6);
    const call = await producer.call("startPrivateCall", { eventId: event.id, with: "fan", fanId: line[6].fanId });
    assert.deepEqual(call.privateCall, { isWith: "activeFan", fanId: line[6].fanId });
    assert.equal((await get(ref(line[6].db, `${record()}/activeFans/${line[6].fanId}/inPrivateCall`))).val(), true);
    await producer.call("endPrivateCall", { eventId: event.id });
    assert.equal((await get(ref(line[6].db, `${record()}/privateCall`))).val(), null);
  });

  it("removal: disconnected from both sessions at Vonage, seat free for the next join, every token refused after a new login", async () => {
    const fan = line[7];
    const onStage = stack.vonage.connectClient(event.stageSessionId, { token: fan.tokens.stageToken });
    await reported("connections", [fan.backstage.connectionId, onStage.connectionId]);
    // Take the seats still free (the dropped-out fan's went with their connection), so the next fan
    // gets the HLS answer.
    let waiting;
    for (let i = 0; i < 5; i++) {
      waiting = await signedIn(`next${randomBytes(4).toString("hex")}`, fanClaims());
      if ((await waiting.call("createTokensFan")).mode === "hls") break;
      waiting = undefined;
    }
    assert.ok(waiting, "the seats are full");

    const removed = await producer.call("removeParticipant", { eventId: event.id, participantId: fan.uid });
    assert.deepEqual([removed.firstRemoval, removed.leftLine, removed.disconnected], [true, 1, 2]);
    const open = connectionsAtVonage();
    assert.ok(!open.includes(fan.backstage.connectionId) && !open.includes(onStage.connectionId), "both connections are gone");
    assert.equal((await waiting.call("createTokensFan")).mode, "interactive", "the freed seat goes to the next join");
    assert.equal((await get(ref(producer.db, `${record()}/activeFans/${fan.fanId}`))).val(), null);

    const refusedCalls = async (/** @type {Client} */ who) => {
      for (const [name, data] of /** @type {Array<[string, object]>} */ ([
        ["createTokensFan", { fanId: fan.fanId }],
        ["createTokenStageFan", { fanId: fan.fanId }],
        ["createTokenByUserType", { adminId, userType: "fan" }],
        ["refreshTokens", { fanId: fan.fanId }],
        ["joinLine", { fanId: fan.fanId }],
      ])) {
        await assert.rejects(who.call(name, data), refusedWith("permission-denied"), name);
      }
      await assert.rejects(set(ref(who.db, `${record()}/activeFans/${fan.fanId}`), { id: fan.fanId, name: "Back" }), denied);
    };
    await refusedCalls(fan);
    // A reload and a new login of the same uid: still refused.
    await fan.close();
    const again = await signedIn(fan.uid, fanClaims());
    await refusedCalls(again);
    // A repeat of the removal is harmless.
    assert.equal((await producer.call("removeParticipant", { eventId: event.id, participantId: fan.uid })).firstRemoval, false);
  });

  it("a mute shows at the stand-in; a signal reaches the simulated connection", async () => {
    const fan = line[8];
    const stream = stack.vonage.createStream(fan.backstage.connectionId, { name: "camera" });
    await reported("streams", [stream.id]);
    await producer.call("muteStream", { eventId: event.id, streamId: stream.id });
    const streamAt = () =>
      vonageState()
        .sessions.flatMap((session) => session.streams)
        .find((candidate) => candidate.id === stream.id);
    assert.equal(streamAt()?.audioMuted, true);

    const all = await producer.call("muteAll", { eventId: event.id, session: "backstage" });
    assert.equal(all.active, true);
    assert.equal(vonageState().sessions.find((session) => session.id === event.sessionId)?.forceMute.active, true);

    const sent = await producer.call("sendSignal", { eventId: event.id, participantId: fan.uid, type: "note", data: "you are next" });
    assert.equal(sent.connections, 1);
    const signal = vonageState()
      .signals.filter((entry) => entry.sessionId === event.sessionId)
      .at(-1);
    assert.deepEqual([signal?.type, signal?.data, signal?.recipients], ["note", "you are next", [fan.backstage.connectionId]]);
    await assert.rejects(
      producer.call("sendSignal", { eventId: event.id, participantId: "nobodyconnected", type: "note", data: "x" }),
      refusedWith("failed-precondition"),
    );
  });

  it("a fan, a host, another admin, a signed-in user and a signed-out caller are refused every producer action and the audit log", async () => {
    const fan = line[9];
    /** @type {Array<[Client & {uid?: string}, string]>} */
    const callers = [
      [fan, "permission-denied"],
      [await signedIn(`host-${event.id}`, { role: "host", adminId, eventId: event.id }), "permission-denied"],
      [await signedIn(`other${randomBytes(4).toString("hex")}`, ownerClaims), "permission-denied"],
      [await signedIn(`anon${randomBytes(4).toString("hex")}`, {}), "permission-denied"],
      [client(), "unauthenticated"],
    ];
    /** @type {Array<[string, object]>} */
    const actions = [
      ["getLine", {}],
      ["bringBackstage", { fanId: fan.fanId }],
      ["bringOnStage", { fanId: fan.fanId }],
      ["takeOffStage", { fanId: fan.fanId }],
      ["startPrivateCall", { with: "host" }],
      ["endPrivateCall", {}],
      ["removeParticipant", { participantId: fan.uid }],
      ["muteStream", { streamId: "s1" }],
      ["muteAll", {}],
      ["sendSignal", { type: "t", data: "d" }],
      ["getAuditLog", {}],
    ];
    /** @type {string[]} */
    const wrong = [];
    for (const [name, input] of actions) {
      for (const [who, code] of callers) {
        try {
          await who.call(name, { eventId: event.id, ...input });
          wrong.push(`${name} accepted ${who.uid ?? "signed out"}`);
        } catch (error) {
          if (codeOf(error) !== `functions/${code}`) wrong.push(`${name} ${who.uid ?? "signed out"}: ${codeOf(error)}`);
        }
      }
    }
    assert.deepEqual(wrong, []);
    assert.equal((await ownEntry(fan)).state, "inLine");
    // The owner's audit log has every action above, with its actor and outcome.
    const trail = await producer.call("getAuditLog", { eventId: event.id, pageSize: 200 });
    const actions_ = trail.entries.map((entry) => entry.action);
    for (const action of [
      "bringBackstage",
      "bringOnStage",
      "takeOffStage",
      "startPrivateCall",
      "removeParticipant",
      "muteStream",
      "signal",
    ]) {
      assert.ok(actions_.includes(action), `${action} in the audit log`);
    }
    assert.ok(trail.entries.every((entry) => entry.actor.uid === adminId));
    assert.ok(
      trail.entries.some(
        (entry) =>
          entry.action === "signal" &&
          entry.outcome === "failed" &&
          /** @type {FailedEntry["error"]} */ (entry.error).code === "failed-precondition",
      ),
    );
  });
});
