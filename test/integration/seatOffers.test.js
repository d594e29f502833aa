// @ts-check
/**
 * Upgrade from HLS (issue 15, "Done when"), through the real web SDK against a local stack of its own:
 * an HLS viewer who asked is offered a freed seat before a newcomer gets it, takes it with
 * createTokensFan, and an offer not taken in its window passes on. Its functions run with
 * SEAT_OFFER_HOLD_SECONDS=20 (a hold ends within the test, yet outlasts a few slow emulator calls) and SEAT_CONFIRMATION=false (these fans
 * never connect to Vonage; seatConnections.test.js covers confirmation).
 */
"use strict";
const assert = require("node:assert/strict");
const { ref, get, set, update, remove } = require("firebase/database");
const { waitFor } = require("../../local/async.cjs");
const { ownLiveShow } = require("../support/ownLiveShow.cjs");

const HOLD_SECONDS = 20;

/**
 * @template {import("@interactive-broadcast/contract").CallableName} N
 * @typedef {import("@interactive-broadcast/contract").CallableOutput<N>} Output
 */
/**
 * @typedef {Awaited<ReturnType<typeof ownLiveShow>>} Show
 * @typedef {import("../support/ownLiveShow.cjs").FanClient & {answer: import("@interactive-broadcast/contract").InteractiveAnswer}} SeatedFan
 *   a fan and the seat their first createTokensFan gave
 */

describe("integration: upgrade offers from HLS", function () {
  this.timeout(600_000);
  /** @type {Show} */
  let show;
  /** @type {Show["stack"]} */
  let stack;
  /** @type {Show["event"]} */
  let event;
  /** @param {string} [uid] */
  const fan = (uid) => show.fan(uid);
  const offerPath = (/** @type {string} */ uid) => `seatOffers/${event.id}/${uid}`;
  const offerOf = (/** @type {string} */ uid) => stack.database.getData(offerPath(uid));
  /** uid -> claims, over every seat shard. */
  const seats = () => show.seats();
  /**
   * @template T
   * @param {string} what
   * @param {() => T | Promise<T>} read
   * @param {(value: T) => boolean} ok
   */
  const until = (what, read, ok) => waitFor(what, read, ok, { timeoutMs: 60_000, intervalMs: 100 });

  before(async () => {
    show = await ownLiveShow({
      portOffset: 60,
      functionsEnv: { SEAT_OFFER_HOLD_SECONDS: String(HOLD_SECONDS), SEAT_CONFIRMATION: "false" },
      prefix: "off",
      name: "Offers",
      interactiveLimit: 2,
    });
    ({ stack, event } = show);
  });

  after(async () => {
    await show?.close();
  });

  /** @type {SeatedFan} */
  let a;
  /** @type {SeatedFan} */
  let b;
  /** @type {import("../support/ownLiveShow.cjs").FanClient} */
  let c;
  /** @type {import("../support/ownLiveShow.cjs").FanClient} */
  let d;

  it("a seat a fan gives up (their client removes it) is offered to the HLS viewer who asked, not to a newcomer", async () => {
    [a, b, c, d] = /** @type {[SeatedFan, SeatedFan, SeatedFan, SeatedFan]} */ (await Promise.all([fan(), fan(), fan(), fan()]));
    a.answer = /** @type {SeatedFan["answer"]} */ (await a.call("createTokensFan", {}));
    b.answer = /** @type {SeatedFan["answer"]} */ (await b.call("createTokensFan", {}));
    assert.equal(a.answer.mode, "interactive");
    assert.equal(b.answer.mode, "interactive");
    assert.equal(/** @type {Output<"createTokensFan">} */ (await c.call("createTokensFan", {})).mode, "hls");
    assert.equal(/** @type {Output<"createTokensFan">} */ (await d.call("createTokensFan", {})).mode, "hls");
    assert.deepEqual(await c.call("askForSeat", {}), { status: "waiting", expiresAt: null });
    assert.equal((await get(ref(c.db, offerPath(c.uid)))).val().status, "waiting", "the fan reads their own node");
    // Nothing tells the server but the database: the functions' live view of the seats sees it.
    await remove(ref(a.db, a.answer.seatPath));
    const offered = await until(
      "C's node to say offered",
      () => offerOf(c.uid),
      (offer) => offer?.status === "offered",
    );
    assert.ok(offered.expiresAt > offered.offeredAt);
    assert.equal((await get(ref(c.db, offerPath(c.uid)))).val().status, "offered");
    assert.equal(
      /** @type {Output<"createTokensFan">} */ (await d.call("createTokensFan", {})).mode,
      "hls",
      "the newcomer does not get the held seat",
    );
    const taken = /** @type {Output<"createTokensFan">} */ (await c.call("createTokensFan", {}));
    assert.equal(taken.mode, "interactive");
    assert.equal(typeof taken.seatPath, "string");
    assert.ok(seats()[c.uid], "C holds the seat");
    assert.equal(offerOf(c.uid), null, "the offer is used up");
    assert.deepEqual(Object.keys(seats()).sort(), [b.uid, c.uid].sort(), "still two seats");
    await assert.rejects(c.call("askForSeat", {}), /seated/i);
  });

  /** @type {import("../support/ownLiveShow.cjs").FanClient} */
  let e;
  /** @type {import("../support/ownLiveShow.cjs").FanClient} */
  let f;

  it("an offer not taken within the hold window expires and the seat goes to the next asker", async () => {
    [e, f] = await Promise.all([fan(), fan()]);
    assert.equal(/** @type {Output<"askForSeat">} */ (await e.call("askForSeat", {})).status, "waiting");
    assert.equal(/** @type {Output<"askForSeat">} */ (await f.call("askForSeat", {})).status, "waiting");
    assert.deepEqual(await b.call("releaseSeat", {}), { released: true });
    const offered = await until(
      "E's offer",
      () => offerOf(e.uid),
      (offer) => offer?.status === "offered",
    );
    assert.equal(offerOf(f.uid).status, "waiting", "F asked after E");
    // E never takes it.
    const expired = await until(
      "E's offer to expire",
      () => offerOf(e.uid),
      (offer) => offer?.status === "expired",
    );
    assert.ok(expired.expiredAt >= offered.expiresAt);
    assert.equal((await get(ref(e.db, offerPath(e.uid)))).val().status, "expired");
    await until(
      "F's offer",
      () => offerOf(f.uid),
      (offer) => offer?.status === "offered",
    );
    assert.equal(
      /** @type {Output<"createTokensFan">} */ (await e.call("createTokensFan", {})).mode,
      "hls",
      "an expired offer takes no seat",
    );
    assert.equal(/** @type {Output<"createTokensFan">} */ (await d.call("createTokensFan", {})).mode, "hls");
    assert.equal(Object.keys(seats()).length, 2);
  });

  it("cancelSeatAsk gives up a standing offer: the seat goes to the next asker, or to a newcomer when nobody waits", async () => {
    // F does not take theirs either: the seat is free again, and nobody waits.
    await until(
      "F's offer to expire",
      () => offerOf(f.uid),
      (offer) => offer?.status === "expired",
    );
    await until(
      "F's hold to go",
      () => seats()[f.uid],
      (held) => held === undefined,
    );
    const [h, i] = await Promise.all([fan(), fan()]);
    const first = /** @type {Output<"askForSeat">} */ (await h.call("askForSeat", {}));
    assert.equal(first.status, "offered", "a seat free now, nobody ahead: offered at once");
    assert.equal(typeof first.expiresAt, "number");
    assert.equal(/** @type {Output<"askForSeat">} */ (await i.call("askForSeat", {})).status, "waiting");
    assert.deepEqual(await h.call("cancelSeatAsk", {}), { cancelled: true });
    assert.deepEqual(await h.call("cancelSeatAsk", {}), { cancelled: false }, "idempotent");
    assert.equal(offerOf(h.uid), null);
    await until(
      "I's offer",
      () => offerOf(i.uid),
      (offer) => offer?.status === "offered",
    );
    assert.deepEqual(await i.call("cancelSeatAsk", {}), { cancelled: true });
    await until(
      "the held seat to free",
      () => seats()[i.uid],
      (held) => held === undefined,
    );
    assert.equal(
      /** @type {Output<"createTokensFan">} */ (await d.call("createTokensFan", {})).mode,
      "interactive",
      "nobody waits: the newcomer is seated",
    );
  });

  it("no fan reads another fan's offer, nor writes any offer, ask or hold", async () => {
    const g = await fan();
    assert.equal(/** @type {Output<"createTokensFan">} */ (await g.call("createTokensFan", {})).mode, "hls");
    assert.equal(/** @type {Output<"askForSeat">} */ (await g.call("askForSeat", {})).status, "waiting");
    await assert.rejects(get(ref(c.db, offerPath(g.uid))), /permission/i, "C cannot read G's node");
    await assert.rejects(get(ref(c.db, `seatOffers/${event.id}`)), /permission/i);
    await assert.rejects(get(ref(g.db, `seatAsks/${event.id}`)), /permission/i);
    const now = Date.now();
    await assert.rejects(
      set(ref(g.db, offerPath(g.uid)), { status: "offered", askedAt: 1, offeredAt: now, expiresAt: now + 60_000 }),
      /permission/i,
    );
    await assert.rejects(update(ref(g.db, offerPath(g.uid)), { status: "offered" }), /permission/i);
    await assert.rejects(remove(ref(g.db, offerPath(g.uid))), /permission/i);
    await assert.rejects(set(ref(c.db, offerPath(g.uid)), null), /permission/i, "nor cancel someone else's");
    await assert.rejects(set(ref(g.db, `seatAsks/${event.id}/${g.uid}`), 0), /permission/i, "no jumping the queue");
    await assert.rejects(set(ref(g.db, `stageGates/${event.id}/asks`), 0), /permission/i);
    await assert.rejects(
      set(ref(g.db, `stageGates/${event.id}/shards/s0/${g.uid}/cforgedholdclaim00`), { at: now, hold: now + 60_000 }),
      /permission/i,
      "no hold of one's own",
    );
    assert.equal(offerOf(g.uid).status, "waiting");
    assert.equal(seats()[g.uid], undefined);
  });
});
