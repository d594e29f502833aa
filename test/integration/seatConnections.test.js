/**
 * Seats backed by real Vonage connections, through the real web SDK against a local stack of its own
 * (issue 15, "Done when"): its functions run with SEAT_CONFIRM_SECONDS=4, so an unconfirmed seat is
 * reclaimable within the test (the shared stack keeps the default, 60 s, for the suites whose fans
 * never connect to Vonage). Fans connect to the Vonage stand-in with their stage token; the stand-in
 * sends connectionCreated/connectionDestroyed to the functions as Vonage would.
 */
"use strict";
const assert = require("node:assert/strict");
const { randomBytes } = require("node:crypto");
const { promisify } = require("node:util");
const OpenTok = require("opentok");
const { setLogLevel } = require("firebase/app");
const { startStack } = require("../../local/stack.cjs");
const { signInAs } = require("../support/identities.cjs");
const { newClient } = require("../../local/client.cjs");
const { inParallel, waitFor } = require("../../local/async.cjs");
const { LOCAL_VONAGE, LOCAL_SECRETS } = require("../../local/config.cjs");
const { eventIndexPatch } = require("../../functions/lib/events/derived.js");

process.env.TENANT_SECRET_KEYS ??= LOCAL_SECRETS.TENANT_SECRET_KEYS;
const { credentialsPatch } = require("../../functions/lib/admins/store.js");

const CONFIRM_SECONDS = 4;

describe("integration: seats backed by Vonage connections", function () {
  this.timeout(600_000);
  let stack;
  let opentok;
  let event;
  const adminId = `connadm${randomBytes(6).toString("hex")}`;
  const clients = [];

  async function fan(uid = `fan${randomBytes(8).toString("hex")}`) {
    const created = newClient(stack.ports);
    clients.push(created);
    await signInAs(created, uid, { role: "fan", adminId, eventId: event.id });
    created.uid = uid;
    return created;
  }
  /** uid -> claims, over every seat shard. */
  const seats = () => Object.assign({}, ...Object.values(stack.database.getData(`stageGates/${event.id}/shards`) ?? {}));
  const claimAt = (seatPath) => stack.database.getData(seatPath);

  before(async () => {
    stack = await startStack({
      portBase: Number(process.env.TEST_PORT_BASE ?? 1000) + 50,
      functionsEnv: { SEAT_CONFIRM_SECONDS: String(CONFIRM_SECONDS), SEAT_CONFIRMATION: "true" },
    });
    setLogLevel("error");
    for (const [path, value] of Object.entries(credentialsPatch(adminId, LOCAL_VONAGE)))
      stack.database.setData(path, { ...value, updatedAt: Date.now() });
    opentok = new OpenTok(LOCAL_VONAGE.apiKey, LOCAL_VONAGE.apiSecret, { apiUrl: stack.vonage.url });
    const createSession = promisify(opentok.createSession.bind(opentok));
    const [backstage, stage] = await Promise.all([createSession({ mediaMode: "routed" }), createSession({ mediaMode: "routed" })]);
    const id = `conn${randomBytes(6).toString("hex")}`;
    const now = Date.now();
    event = {
      id,
      adminId,
      name: `Connections ${id}`,
      fanUrl: `conn-${id.toLowerCase()}`,
      hostUrl: randomBytes(18).toString("base64url"),
      celebrityUrl: randomBytes(18).toString("base64url"),
      status: "live",
      archiveEvent: false,
      uncomposed: false,
      interactiveLimit: 2,
      sessionId: backstage.sessionId,
      stageSessionId: stage.sessionId,
      createdAt: now,
      updatedAt: now,
    };
    for (const [path, value] of Object.entries(eventIndexPatch(event, null, true))) stack.database.setData(path, value);
    stack.database.setData(`activeBroadcasts/${adminId}/${event.fanUrl}`, { eventId: id, status: "live" });
  });

  after(async () => {
    setLogLevel("warn");
    await inParallel(clients.splice(0), 20, (created) => created.close().catch(() => undefined));
    await stack?.stop();
  });

  let connected;
  let connection;
  let silent;

  it("a fan who connects to Vonage has the seat confirmed by connectionCreated and keeps it past the window", async () => {
    connected = { fan: await fan() };
    connected.answer = await connected.fan.call("createTokensFan", {});
    assert.equal(connected.answer.mode, "interactive");
    connection = stack.vonage.connectClient(connected.answer.stageSessionId, { token: connected.answer.stageToken });
    const confirmed = await waitFor(
      "connectionCreated to confirm the claim",
      () => claimAt(connected.answer.seatPath),
      (claim) => claim?.conn === connection.connectionId,
      {
        timeoutMs: 60_000,
        intervalMs: 100,
      },
    );
    assert.equal(typeof confirmed.at, "number");
  });

  it("a fan whose client never registers onDisconnect and never connects loses the seat after SEAT_CONFIRM_SECONDS", async () => {
    silent = { fan: await fan() };
    silent.answer = await silent.fan.call("createTokensFan", {});
    assert.equal(silent.answer.mode, "interactive", "the second of two seats");
    const madeAt = claimAt(silent.answer.seatPath).at;
    // A newcomer asks until the silent fan's claim is overdue: then the join reclaims that seat.
    const newcomer = await fan();
    const answer = await waitFor(
      "the unconfirmed seat to be reclaimed by a join",
      () => newcomer.call("createTokensFan", {}),
      (a) => a.mode === "interactive",
      {
        timeoutMs: 120_000,
        intervalMs: 1000,
      },
    );
    assert.ok(Date.now() >= madeAt + CONFIRM_SECONDS * 1000, "reclaimed only once overdue");
    assert.equal(seats()[silent.fan.uid], undefined, "the silent fan's seat is gone");
    assert.ok(seats()[connected.fan.uid], "the connected fan still holds theirs");
    assert.ok(
      Date.now() >= claimAt(connected.answer.seatPath).at + CONFIRM_SECONDS * 1000,
      "the connected fan's claim is past the window too",
    );
    // The newcomer never connects either: make room for the next case by giving the seat back.
    await newcomer.call("releaseSeat", {});
    assert.equal(answer.keptSeat, false);
  });

  it("a connectionDestroyed frees the seat on the server for the next join (no onDisconnect, no releaseSeat)", async () => {
    // The other seat goes to a fan who connects too (confirmed: no join may reclaim it meanwhile).
    const filler = await fan();
    const seated = await filler.call("createTokensFan", {});
    assert.equal(seated.mode, "interactive");
    const fillerConnection = stack.vonage.connectClient(seated.stageSessionId, { token: seated.stageToken });
    await waitFor(
      "the filler's confirmation",
      () => claimAt(seated.seatPath),
      (claim) => claim?.conn === fillerConnection.connectionId,
      {
        timeoutMs: 60_000,
        intervalMs: 100,
      },
    );
    const next = await fan();
    assert.equal((await next.call("createTokensFan", {})).mode, "hls", "both seats are held");
    stack.vonage.disconnectClient(connection.connectionId);
    await waitFor(
      "connectionDestroyed to free the seat",
      () => seats()[connected.fan.uid],
      (held) => held === undefined,
      {
        timeoutMs: 60_000,
        intervalMs: 100,
      },
    );
    assert.equal((await next.call("createTokensFan", {})).mode, "interactive");
  });
});
