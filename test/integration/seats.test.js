// @ts-check
/**
 * Tokens, the interactive seat cap and stage security through the real web SDK against the local
 * stack (issue 5, "Done when"). Events are written straight into the stack's database with the pure
 * `eventIndexPatch` (the shapes the events code writes), on two sessions created in the Vonage
 * stand-in through the `opentok` SDK; fans sign in with the claims `loginFan` would give them.
 *
 * The joins (300 in `npm test`, 1,000 in the stress suite) go through the functions emulator, which runs each request in a worker process of its
 * own (one request per worker, ~130 MB each). Measured on the 2 shared cores: all 300 at once (the
 * emulator caps at 50 workers) ran into the callable deadline; 25 in flight took ~38 s and 3.2 GB; 10
 * in flight ~21 s and 1.3 GB. So at most JOIN_PARALLEL (default 6) calls are in flight at once: that
 * many worker processes, each with its own database connection, race on the seat transaction.
 */
"use strict";
const assert = require("node:assert/strict");
const { randomBytes } = require("node:crypto");
const { promisify } = require("node:util");
const jwt = require("jsonwebtoken");
const OpenTok = require("opentok");
const { ref, set, remove, onDisconnect, goOffline } = require("firebase/database");
const { setLogLevel } = require("firebase/app");
const { sharedStack } = require("../support/stack.cjs");
const { signInAs } = require("../support/identities.cjs");
const { newClient } = require("../../local/client.cjs");
const { inParallel, waitFor } = require("../../local/async.cjs");
const { LOCAL_VONAGE, LOCAL_SECRETS } = require("../../local/config.cjs");
const { eventIndexPatch } = require("../../functions/lib/events/derived.js");

// The admin of these shows has their own (local) Vonage credentials, sealed as createAdmin seals them.
process.env.TENANT_SECRET_KEYS ??= LOCAL_SECRETS.TENANT_SECRET_KEYS;
const { credentialsPatch } = require("../../functions/lib/admins/store.js");

// 6 in flight leaves headroom on a loaded 2-core CI machine while still racing six workers.
const JOIN_PARALLEL = Number(process.env.JOIN_PARALLEL || 6);
// `npm test` runs 300 fans on 50 seats (~30 s of joins on 2 cores); the stress suite (tools/stress.cjs)
// runs the full size, SEATS_FANS=1000 on 100 seats.
const FANS = Number(process.env.SEATS_FANS || 300);
const SEATS = Math.max(50, Math.round(FANS / 10));

/**
 * @typedef {import("../support/stack.cjs").SharedStack} SharedStack
 * @typedef {ReturnType<typeof newClient>} Client
 * @typedef {import("../support/ownLiveShow.cjs").FanClient} FanClient
 * @typedef {import("@interactive-broadcast/contract").EventRecord} EventRecord
 * @typedef {import("@interactive-broadcast/contract").SeatClaim} SeatClaim
 * @typedef {import("@interactive-broadcast/contract").InteractiveAnswer} InteractiveAnswer
 * @typedef {import("../../functions/src/events/model").StageGateSettings & {
 *   shards: Record<string, Record<string, Record<string, SeatClaim>>>, peakInteractive?: number, hlsAdmissions?: number
 * }} StageGate `stageGates/{eventId}`: the settings, the seat shards (uid -> claim id -> claim) and the batched counters
 * @typedef {{fan: FanClient, answer: InteractiveAnswer}} Seated a seated fan and the answer that seated them
 * @typedef {import("../../functions/src/seats/connectionData").ConnectionData} ConnectionData
 * @typedef {import("jsonwebtoken").JwtPayload & {session_id: string, role: string, scope: string, exp: number, connection_data: string}} VonageClaims
 * @typedef {import("opentok").Session} Session
 * @typedef {import("firebase/functions").FunctionsError} CallError a refused call, as the web SDK rejects it
 * @typedef {import("../../local/vonage-standin/lib/util").StandinError} StandinError what the stand-in's simulated clients throw
 */

/**
 * @param {string} token
 * @returns {VonageClaims & {data: ConnectionData}}
 */
function claimsOf(token) {
  // Our tokens' payloads are JSON objects (jwt.verify answers a string only for other payloads).
  const claims = /** @type {VonageClaims} */ (jwt.verify(token, LOCAL_VONAGE.apiSecret, { algorithms: ["HS256"] }));
  return { ...claims, data: JSON.parse(claims.connection_data) };
}

/** The code of a refused call (what the web SDK rejects with). */
const codeOf = (/** @type {unknown} */ error) => /** @type {CallError} */ (error).code;

describe("integration: tokens and the interactive seat cap", function () {
  this.timeout(600_000);
  /** @type {SharedStack} */
  let stack;
  /** @type {OpenTok} */
  let opentok;
  /** @type {string} */
  let adminId;
  /** @type {Client[]} */
  const clients = [];
  /** @type {EventRecord[]} */
  const events = [];

  const client = () => {
    const created = newClient(stack.ports);
    clients.push(created);
    return created;
  };

  /**
   * A fan of `event`, signed in with the claims loginFan gives.
   * @param {EventRecord} event
   * @returns {Promise<FanClient>}
   */
  async function fanOf(event, uid = `fan${randomBytes(8).toString("hex")}`) {
    const fan = client();
    await signInAs(fan, uid, { role: "fan", adminId: event.adminId, eventId: event.id });
    return Object.assign(fan, { uid });
  }

  /** The owner admin, signed in with the claims `login` confirms for a registered admin. */
  async function ownerAdmin() {
    const admin = client();
    await signInAs(admin, adminId, { role: "admin", superAdmin: false });
    return admin;
  }

  /** @param {Partial<EventRecord>} [overrides] */
  async function createEvent(overrides = {}) {
    const createSession = promisify(opentok.createSession.bind(opentok));
    // The SDK's callback gives a session whenever it gives no error.
    const [backstage, stage] = /** @type {[Session, Session]} */ (
      await Promise.all([createSession({ mediaMode: "routed" }), createSession({ mediaMode: "routed" })])
    );
    const id = `seats${randomBytes(6).toString("hex")}`;
    const now = Date.now();
    /** @type {EventRecord} */
    const event = {
      id,
      adminId,
      name: `Seats ${id}`,
      fanUrl: `seats-${id.toLowerCase()}`,
      hostUrl: randomBytes(18).toString("base64url"),
      celebrityUrl: randomBytes(18).toString("base64url"),
      status: "live",
      archiveEvent: false,
      uncomposed: false,
      interactiveLimit: 5,
      sessionId: backstage.sessionId,
      stageSessionId: stage.sessionId,
      createdAt: now,
      updatedAt: now,
      ...overrides,
    };
    for (const [path, value] of Object.entries(eventIndexPatch(event, null, true))) stack.database.setData(path, value);
    // The live-state record the events code creates at preshow (only what the rules need here).
    stack.database.setData(`activeBroadcasts/${adminId}/${event.fanUrl}`, { eventId: id, status: event.status });
    events.push(event);
    return event;
  }

  /**
   * The event's seat gate (empty before the first admission).
   * @type {(event: EventRecord) => Partial<StageGate>}
   */
  const gate = (event) => stack.database.getData(`stageGates/${event.id}`) ?? {};
  /**
   * uid -> its claims, over every seat shard of the gate.
   * @type {(event: EventRecord) => Record<string, Record<string, SeatClaim>>}
   */
  const seats = (event) => Object.assign({}, ...Object.values(gate(event).shards ?? {}));
  const seatHolders = (/** @type {EventRecord} */ event) => Object.keys(seats(event));
  /** @param {EventRecord} event @param {EventRecord["status"]} status */
  const setStatus = (event, status) => {
    event.status = status;
    for (const [path, value] of Object.entries(eventIndexPatch(event, event, true))) stack.database.setData(path, value);
  };

  before(async () => {
    stack = await sharedStack();
    // The refusals below are expected: keep the SDK's "permission_denied" warnings out of the output.
    setLogLevel("error");
    adminId = `seatsadm${randomBytes(6).toString("hex")}`;
    for (const [path, value] of Object.entries(credentialsPatch(adminId, LOCAL_VONAGE))) {
      stack.database.setData(path, Object.assign({}, value, { updatedAt: Date.now() }));
    }
    opentok = new OpenTok(LOCAL_VONAGE.apiKey, LOCAL_VONAGE.apiSecret, { apiUrl: stack.vonage.url });
  });

  after(async () => {
    setLogLevel("warn");
    await inParallel(clients.splice(0), 20, (created) => created.close().catch(() => undefined));
    stack.database.setData(`adminCredentials/${adminId}`, null);
    for (const event of events) {
      const keys = `eventKeys/${adminId}`;
      for (const path of [
        `events/${event.id}`,
        `stageGates/${event.id}`,
        `activeBroadcasts/${adminId}/${event.fanUrl}`,
        `${keys}/fan/${event.fanUrl}`,
        `${keys}/host/${event.hostUrl}`,
        `${keys}/celebrity/${event.celebrityUrl}`,
        `sessionIndex/${event.sessionId}`,
        `sessionIndex/${event.stageSessionId}`,
      ]) {
        stack.database.setData(path, null);
      }
    }
  });

  describe(`${FANS} fans on ${SEATS} seats`, () => {
    /** @type {EventRecord} */
    let event;
    /** @type {Seated[]} */
    let seated = [];

    before(async () => {
      event = await createEvent({ interactiveLimit: SEATS });
    });

    it(`${FANS} concurrent joins: exactly ${SEATS} interactive, ${FANS - SEATS} HLS mode (not ready yet), one seat each`, async () => {
      const fans = await inParallel(Array.from({ length: FANS }), 25, () => fanOf(event));
      stack.database.resetStats();
      const answers = await inParallel(fans, JOIN_PARALLEL, (fan) => fan.call("createTokensFan", { fanId: `${fan.uid}-tab1` }));
      const stats = stack.database.stats();
      const interactive = fans.filter((_, i) => answers[i].mode === "interactive");
      const hls = answers.filter((answer) => answer.mode === "hls");
      assert.equal(interactive.length, SEATS);
      assert.equal(hls.length, FANS - SEATS);
      assert.ok(hls.every((answer) => answer.reason === "seatsFull" && answer.hlsUrl === null && !("stageToken" in answer)));
      assert.deepEqual(seatHolders(event).sort(), interactive.map((fan) => fan.uid).sort());
      assert.equal(
        new Set(seatHolders(event)).size,
        Object.values(/** @type {StageGate["shards"]} */ (gate(event).shards)).flatMap(Object.keys).length,
        "one seat per uid",
      );
      // The counters are batched per instance (a flush every few seconds): they arrive a moment later.
      await waitFor(
        "the batched seat counters",
        () => gate(event),
        (g) => g.peakInteractive === SEATS && g.hlsAdmissions === FANS - SEATS,
        {
          timeoutMs: 30_000,
          intervalMs: 200,
        },
      );
      // Database work of the whole batch on the functions' side: the seat transactions (a lost race
      // costs another) and a few counter flushes; the HLS answers wrote nothing.
      assert.ok(stats.admin.p < FANS - SEATS, JSON.stringify(stats.admin));

      // Each seated fan registers onDisconnect on its claim right away, as the client contract says.
      seated = interactive.map((fan) => ({ fan, answer: /** @type {InteractiveAnswer} */ (answers[fans.indexOf(fan)]) }));
      await inParallel(seated, 25, ({ fan, answer }) => onDisconnect(ref(fan.db, answer.seatPath)).remove());
      // Fans who are not seated never opened a database connection: close them now.
      await inParallel(
        fans.filter((fan) => !interactive.includes(fan)),
        25,
        (fan) => fan.close(),
      );
    });

    it("10 seated fans drop their connection; their seats free and the next 10 joins are interactive", async () => {
      const leaving = seated.slice(0, 10);
      for (const { fan } of leaving) goOffline(fan.db);
      await waitFor(
        "10 seats to free up after the disconnects",
        () => seatHolders(event).length,
        (held) => held === SEATS - 10,
        { timeoutMs: 15_000, intervalMs: 50 },
      );
      for (const { fan } of leaving) assert.ok(!seatHolders(event).includes(fan.uid));

      const newcomers = await inParallel(Array.from({ length: 11 }), 11, () => fanOf(event));
      const first = await Promise.all(newcomers.slice(0, 10).map((fan) => fan.call("createTokensFan")));
      assert.deepEqual(
        first.map((answer) => answer.mode),
        Array(10).fill("interactive"),
      );
      assert.equal((await newcomers[10].call("createTokensFan")).mode, "hls");
      assert.equal(seatHolders(event).length, SEATS);
    });

    it("a fan who calls twice (a reload) holds one seat", async () => {
      const { fan, answer } = seated[20];
      const again = await fan.call("createTokensFan", { fanId: `${fan.uid}-tab2` });
      assert.equal(again.mode, "interactive");
      assert.equal(again.keptSeat, true);
      assert.notEqual(again.seatPath, answer.seatPath);
      assert.equal(seatHolders(event).length, SEATS);
      assert.deepEqual(Object.keys(seats(event)[fan.uid]).length, 2);
      // The old page goes away: its claim goes, the seat stays for the new page.
      await remove(ref(fan.db, answer.seatPath));
      assert.ok(seatHolders(event).includes(fan.uid));
      assert.equal(seatHolders(event).length, SEATS);
    });

    it("the seat rules: a fan frees only their own claim and can never take a seat directly", async () => {
      const [{ fan: mine }, { fan: other, answer: otherAnswer }] = seated.slice(30, 32);
      // Only ever asked about a seated fan.
      const answerOf = (/** @type {FanClient} */ fan) => /** @type {Seated} */ (seated.find((entry) => entry.fan === fan)).answer;
      await assert.rejects(remove(ref(mine.db, otherAnswer.seatPath)), /permission/i);
      await assert.rejects(set(ref(mine.db, `${answerOf(mine).seatPath.replace(/\/[^/]+$/, "")}/cforged`), { at: 1 }), /permission/i);
      await assert.rejects(set(ref(mine.db, `stageGates/${event.id}/limit`), 500), /permission/i);
      const outsider = await fanOf(event);
      for (const shard of ["s0", "s1", "s2"])
        await assert.rejects(
          set(ref(outsider.db, `stageGates/${event.id}/shards/${shard}/${outsider.uid}/cforged`), { at: 1 }),
          /permission/i,
        );
      await remove(ref(other.db, otherAnswer.seatPath));
      assert.ok(!seatHolders(event).includes(other.uid));
      assert.equal((await outsider.call("createTokensFan")).mode, "interactive");
    });
  });

  describe("the tokens Vonage sees", () => {
    /** @type {EventRecord} */
    let event;
    before(async () => {
      event = await createEvent({ interactiveLimit: 5 });
    });

    it("a seated fan's tokens decode to the expected claims and connect; the stage one cannot publish", async () => {
      const fan = await fanOf(event);
      const answer = await fan.call("createTokensFan");
      assert.equal(answer.mode, "interactive");
      assert.equal(answer.apiKey, LOCAL_VONAGE.apiKey);
      const backstage = claimsOf(answer.backstageToken);
      const stage = claimsOf(answer.stageToken);
      assert.deepEqual(
        [backstage.session_id, backstage.role, backstage.data],
        [event.sessionId, "publisher", { userType: "backstageFan", participantId: fan.uid, eventId: event.id }],
      );
      assert.deepEqual(
        [stage.session_id, stage.role, stage.data],
        [
          event.stageSessionId,
          "subscriber",
          // The seat's claim rides in the stage token: its connectionCreated confirms the seat.
          {
            userType: "fan",
            participantId: fan.uid,
            eventId: event.id,
            seat: `${answer.seatPath.split("/").at(-3)}/${answer.seatPath.split("/").at(-1)}`,
          },
        ],
      );
      assert.equal(stage.exp * 1000, answer.expiresAt);
      assert.ok(stage.exp > Date.now() / 1000 && stage.exp <= Date.now() / 1000 + 30 * 24 * 3600);
      for (const claims of [backstage, stage]) assert.equal(claims.scope, "session.connect");

      const onBackstage = stack.vonage.connectClient(answer.sessionId, { token: answer.backstageToken });
      assert.equal(onBackstage.role, "publisher");
      assert.equal(JSON.parse(onBackstage.data).userType, "backstageFan");
      stack.vonage.createStream(onBackstage.connectionId, { name: "fan camera" });
      const onStage = stack.vonage.connectClient(answer.stageSessionId, { token: answer.stageToken });
      assert.equal(onStage.role, "subscriber");
      assert.throws(
        () => stack.vonage.createStream(onStage.connectionId, { name: "sneaky" }),
        (/** @type {StandinError} */ error) => error.status === 403,
      );
      // A token is only good for its own session.
      assert.throws(
        () => stack.vonage.connectClient(answer.stageSessionId, { token: answer.backstageToken }),
        (/** @type {StandinError} */ error) => error.status >= 400,
      );
      stack.vonage.disconnectClient(onBackstage.connectionId);
      stack.vonage.disconnectClient(onStage.connectionId);
    });

    it("producer: moderator on both sessions; host and celebrity: publisher on stage", async () => {
      const producer = await ownerAdmin();
      const tokens = await producer.call("createTokenProducer", { eventId: event.id });
      for (const [token, sessionId] of [
        [tokens.backstageToken, event.sessionId],
        [tokens.stageToken, event.stageSessionId],
      ]) {
        const claims = claimsOf(token);
        assert.deepEqual([claims.session_id, claims.role, claims.data.userType], [sessionId, "moderator", "producer"]);
        const connection = stack.vonage.connectClient(sessionId, { token });
        assert.equal(connection.role, "moderator");
        stack.vonage.disconnectClient(connection.connectionId);
      }
      for (const role of ["host", "celebrity"]) {
        const person = client();
        await signInAs(person, `${role}${randomBytes(4).toString("hex")}`, { role, adminId, eventId: event.id });
        const answer = await person.call("createTokenHostCeleb");
        const claims = claimsOf(answer.stageToken);
        assert.deepEqual([claims.session_id, claims.role, claims.data.userType], [event.stageSessionId, "publisher", role]);
        assert.equal("sessionId" in answer || "backstageToken" in answer, false, "nothing for the backstage session");
        const connection = stack.vonage.connectClient(event.stageSessionId, { token: answer.stageToken });
        stack.vonage.createStream(connection.connectionId, { name: role });
        stack.vonage.disconnectClient(connection.connectionId);
      }
    });
  });

  describe("stage security (IBS flaws 6 and 6b)", () => {
    /** @type {EventRecord} */
    let event;
    /** @type {EventRecord} */
    let otherEvent;
    /** @type {Client} */
    let admin;
    /** @type {FanClient} */
    let fan;
    const fanId = () => `${fan.uid}-tab1`;
    const fanRecord = () => `activeBroadcasts/${adminId}/${event.fanUrl}/activeFans/${fanId()}`;

    before(async () => {
      event = await createEvent();
      otherEvent = await createEvent();
      admin = await ownerAdmin();
      fan = await fanOf(event);
      await set(ref(fan.db, fanRecord()), { id: fanId(), name: "Fan" });
    });

    it("a fan cannot obtain a stage publisher token, moderator or another userType by crafting inputs", async () => {
      await assert.rejects(fan.call("createTokenStageFan", { fanId: fanId() }), (e) => codeOf(e) === "functions/permission-denied");
      // The fan cannot move themself on stage: only the server sets the flag.
      await assert.rejects(set(ref(fan.db, `${fanRecord()}/isOnStage`), true), /permission/i);
      await assert.rejects(fan.call("createTokenProducer", { eventId: event.id }), (e) => codeOf(e) === "functions/permission-denied");
      await assert.rejects(fan.call("createTokenHostCeleb"), (e) => codeOf(e) === "functions/permission-denied");
      await assert.rejects(
        fan.call("createTokenByUserType", { adminId, userType: "host" }),
        (e) => codeOf(e) === "functions/permission-denied",
      );
      await assert.rejects(
        fan.call("createTokenByUserType", { adminId, userType: "producer" }),
        (e) => codeOf(e) === "functions/invalid-argument",
      );
      for (const crafted of [
        { userType: "producer" },
        { role: "moderator" },
        { role: "publisher", sessionId: event.stageSessionId },
        { eventId: otherEvent.id },
      ]) {
        await assert.rejects(fan.call("createTokensFan", crafted), (e) => codeOf(e) === "functions/invalid-argument");
      }
      // The show has free seats: the answer is a seat.
      const answer = /** @type {InteractiveAnswer} */ (await fan.call("createTokensFan", { fanId: fanId() }));
      assert.equal(claimsOf(answer.stageToken).role, "subscriber");
      assert.deepEqual([claimsOf(answer.stageToken).data.userType, claimsOf(answer.backstageToken).data.userType], ["fan", "backstageFan"]);
    });

    it("once the owner admin moves the fan on stage, that fan (and only that fan) gets a stage publisher token", async () => {
      // Only the server sets the flag (bringOnStage, from the fan line).
      await assert.rejects(set(ref(admin.db, `${fanRecord()}/isOnStage`), true), /permission/i);
      await fan.call("joinLine", { fanId: fanId() });
      await admin.call("bringOnStage", { eventId: event.id, fanId: fanId() });
      const onStage = await fan.call("createTokenStageFan", { fanId: fanId() });
      const claims = claimsOf(onStage.stageToken);
      assert.deepEqual(
        [claims.session_id, claims.role, claims.data.userType, claims.data.participantId],
        [event.stageSessionId, "publisher", "fan", fan.uid],
      );
      const connection = stack.vonage.connectClient(onStage.stageSessionId, { token: onStage.stageToken });
      stack.vonage.createStream(connection.connectionId, { name: "fan on stage" });
      stack.vonage.disconnectClient(connection.connectionId);

      const someoneElse = await fanOf(event);
      await assert.rejects(someoneElse.call("createTokenStageFan", { fanId: fanId() }), (e) => codeOf(e) === "functions/permission-denied");
    });

    it("not with another event's login", async () => {
      // The same person, logged in to another event of the same admin, asks with their on-stage key.
      const elsewhere = client();
      await signInAs(elsewhere, fan.uid, { role: "fan", adminId, eventId: otherEvent.id });
      await assert.rejects(elsewhere.call("createTokenStageFan", { fanId: fanId() }), (e) => codeOf(e) === "functions/permission-denied");
      const otherAdmin = client();
      await signInAs(otherAdmin, fan.uid, { role: "fan", adminId: "someOtherAdmin", eventId: event.id });
      await assert.rejects(otherAdmin.call("createTokenStageFan", { fanId: fanId() }), (e) => codeOf(e) === "functions/permission-denied");
      await assert.rejects(otherAdmin.call("createTokensFan"), (e) => codeOf(e) === "functions/permission-denied");
    });

    it("not after the show closed: no token of any kind", async () => {
      setStatus(event, "closed");
      await assert.rejects(fan.call("createTokenStageFan", { fanId: fanId() }), (e) => codeOf(e) === "functions/failed-precondition");
      await assert.rejects(fan.call("createTokensFan"), (e) => codeOf(e) === "functions/failed-precondition");
      await assert.rejects(admin.call("createTokenProducer", { eventId: event.id }), (e) => codeOf(e) === "functions/failed-precondition");
      const host = client();
      await signInAs(host, `host${randomBytes(4).toString("hex")}`, { role: "host", adminId, eventId: event.id });
      await assert.rejects(host.call("createTokenHostCeleb"), (e) => codeOf(e) === "functions/failed-precondition");
    });
  });
});
