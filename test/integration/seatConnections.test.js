// @ts-check
/**
 * Seats backed by real Vonage connections, through the real web SDK against a local stack of its own
 * (issue 15, "Done when"): its functions run with SEAT_CONFIRM_SECONDS=4, so an unconfirmed seat is
 * reclaimable within the test (the shared stack keeps the default, 60 s, for the suites whose fans
 * never connect to Vonage). Fans connect to the Vonage stand-in with their stage token; the stand-in
 * sends connectionCreated/connectionDestroyed to the functions as Vonage would.
 */
"use strict";
const assert = require("node:assert/strict");
const { waitFor } = require("../../local/async.cjs");
const { ownLiveShow } = require("../support/ownLiveShow.cjs");

const CONFIRM_SECONDS = 4;

/**
 * @typedef {import("@interactive-broadcast/contract").FanAnswer} FanAnswer
 * @typedef {import("@interactive-broadcast/contract").InteractiveAnswer} InteractiveAnswer
 * @typedef {{fan: import("../support/ownLiveShow.cjs").FanClient, answer: InteractiveAnswer}} SeatedFan a fan and the seat createTokensFan gave
 */

describe("integration: seats backed by Vonage connections", function () {
  this.timeout(600_000);
  /** @type {Awaited<ReturnType<typeof ownLiveShow>>} */
  let show;
  /** @type {import("../support/ownLiveShow.cjs").Stack} */
  let stack;
  /** @param {string} [uid] */
  const fan = (uid) => show.fan(uid);
  /** uid -> claims, over every seat shard. */
  const seats = () => show.seats();
  const claimAt = (/** @type {string} */ seatPath) => stack.database.getData(seatPath);

  before(async () => {
    show = await ownLiveShow({
      portOffset: 50,
      functionsEnv: { SEAT_CONFIRM_SECONDS: String(CONFIRM_SECONDS), SEAT_CONFIRMATION: "true" },
      prefix: "conn",
      name: "Connections",
      interactiveLimit: 2,
    });
    ({ stack } = show);
  });

  after(async () => {
    await show?.close();
  });

  /** @type {SeatedFan} */
  let connected;
  /** @type {ReturnType<typeof stack.vonage.connectClient>} */
  let connection;
  /** @type {SeatedFan} */
  let silent;

  it("a fan who connects to Vonage has the seat confirmed by connectionCreated and keeps it past the window", async () => {
    connected = /** @type {SeatedFan} */ ({ fan: await fan() });
    connected.answer = /** @type {InteractiveAnswer} */ (await connected.fan.call("createTokensFan", {}));
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
    silent = /** @type {SeatedFan} */ ({ fan: await fan() });
    silent.answer = /** @type {InteractiveAnswer} */ (await silent.fan.call("createTokensFan", {}));
    assert.equal(silent.answer.mode, "interactive", "the second of two seats");
    const madeAt = claimAt(silent.answer.seatPath).at;
    // A newcomer asks until the silent fan's claim is overdue: then the join reclaims that seat.
    const newcomer = await fan();
    const answer = await waitFor(
      "the unconfirmed seat to be reclaimed by a join",
      () => /** @type {Promise<FanAnswer>} */ (newcomer.call("createTokensFan", {})),
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
    assert.equal(/** @type {InteractiveAnswer} */ (answer).keptSeat, false);
  });

  it("a connectionDestroyed frees the seat on the server for the next join (no onDisconnect, no releaseSeat)", async () => {
    // The other seat goes to a fan who connects too (confirmed: no join may reclaim it meanwhile).
    const filler = await fan();
    const seated = /** @type {InteractiveAnswer} */ (await filler.call("createTokensFan", {}));
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
    assert.equal(/** @type {FanAnswer} */ (await next.call("createTokensFan", {})).mode, "hls", "both seats are held");
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
    assert.equal(/** @type {FanAnswer} */ (await next.call("createTokensFan", {})).mode, "interactive");
  });
});
