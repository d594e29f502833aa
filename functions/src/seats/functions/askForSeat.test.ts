import assert from "node:assert/strict";
import { authFor, expectHttpsError, fft } from "../../testing/harness";
import { freshShow } from "../../testing/fixtures";
import { db } from "../../platform/firebase";
import { paths } from "../../platform/paths";
import type { EventRecord } from "../../events/model";
import { sweepOpenShows } from "../confirm";
import { passFreeSeats } from "../offers";
import { createTokensFan } from "./createTokensFan";
import { releaseSeat } from "./releaseSeat";
import { askForSeat } from "./askForSeat";
import { cancelSeatAsk } from "./cancelSeatAsk";

type Answer = Record<string, unknown> & { mode: string };
type AskAnswer = { status: string; expiresAt: number | null };

describe("seats/askForSeat, cancelSeatAsk: upgrade offers from HLS", () => {
  const joinFn = fft.wrap(createTokensFan);
  const releaseFn = fft.wrap(releaseSeat);
  const askFn = fft.wrap(askForSeat);
  const cancelFn = fft.wrap(cancelSeatAsk);
  let event: EventRecord;
  const fan = (uid: string, eventId = event.id) => authFor(uid, { role: "fan", adminId: "adm1", eventId });
  const join = (uid: string) => joinFn({ data: {}, auth: fan(uid) } as never) as unknown as Promise<Answer>;
  const ask = (uid: string, data: Record<string, unknown> = {}) =>
    askFn({ data, auth: fan(uid) } as never) as unknown as Promise<AskAnswer>;
  const cancel = (uid: string) => cancelFn({ data: {}, auth: fan(uid) } as never) as unknown as Promise<{ cancelled: boolean }>;
  const release = (uid: string) => releaseFn({ data: {}, auth: fan(uid) } as never);
  const offer = async (uid: string) => (await db().ref(paths.seatOffer(event.id, uid)).get()).val();
  const holders = async () => {
    const shards = ((
      await db()
        .ref(`${paths.stageGate(event.id)}/shards`)
        .get()
    ).val() ?? {}) as Record<string, Record<string, unknown>>;
    return Object.values(shards)
      .flatMap((shard) => Object.keys(shard))
      .sort();
  };

  beforeEach(async () => {
    delete process.env.SEAT_OFFER_HOLD_SECONDS;
    event = await freshShow({ status: "live", interactiveLimit: 2 });
  });
  after(() => {
    delete process.env.SEAT_OFFER_HOLD_SECONDS;
  });

  it("a freed seat is offered to the first asker, held against newcomers, and taken by the asker's join", async () => {
    assert.equal((await join("a")).mode, "interactive");
    assert.equal((await join("b")).mode, "interactive");
    assert.equal((await join("c")).mode, "hls");
    assert.deepEqual(await ask("c"), { status: "waiting", expiresAt: null });
    assert.equal((await offer("c")).status, "waiting");
    assert.equal((await join("d")).mode, "hls");
    await release("a");
    const offered = await offer("c");
    assert.equal(offered.status, "offered");
    assert.ok(offered.expiresAt > offered.offeredAt);
    assert.deepEqual(await ask("c"), { status: "offered", expiresAt: offered.expiresAt }, "asking again keeps the offer");
    assert.equal((await join("d")).mode, "hls", "the held seat is not the newcomer's");
    const taken = await join("c");
    assert.equal(taken.mode, "interactive");
    assert.equal(taken.keptSeat, false);
    assert.equal(await offer("c"), null, "the offer is used up");
    assert.deepEqual(await holders(), ["b", "c"]);
    await expectHttpsError(ask("c"), "failed-precondition");
  });

  it("askers are served in the order they asked; two seats freeing go to two askers, one seat each", async () => {
    await join("a");
    await join("b");
    for (const uid of ["c", "d", "e"]) assert.equal((await ask(uid)).status, "waiting");
    assert.equal((await ask("c")).status, "waiting", "asking again keeps the first place");
    await Promise.all([release("a"), release("b"), passFreeSeats(event.id)]);
    assert.equal((await offer("c")).status, "offered");
    assert.equal((await offer("d")).status, "offered");
    assert.equal((await offer("e")).status, "waiting");
    assert.deepEqual(await holders(), ["c", "d"]);
  });

  it("a seat free now is offered at once to the first asker; nobody is offered beyond the limit", async () => {
    await join("a");
    const answer = await ask("c");
    assert.equal(answer.status, "offered");
    assert.ok(typeof answer.expiresAt === "number" && answer.expiresAt > Date.now());
    assert.equal((await ask("d")).status, "waiting", "the last seat is held for c");
    assert.equal((await join("e")).mode, "hls");
    assert.equal((await join("c")).mode, "interactive");
    assert.deepEqual(await holders(), ["a", "c"]);
  });

  it("an offer not taken in its window expires and the seat passes to the next asker", async () => {
    process.env.SEAT_OFFER_HOLD_SECONDS = "1";
    await join("a");
    await join("b");
    await ask("c");
    await ask("d");
    await release("a");
    assert.equal((await offer("c")).status, "offered");
    await new Promise((resolve) => setTimeout(resolve, 1300));
    await sweepOpenShows();
    const expired = await offer("c");
    assert.equal(expired.status, "expired");
    assert.equal(typeof expired.expiredAt, "number");
    assert.equal((await offer("d")).status, "offered");
    assert.equal((await join("c")).mode, "hls", "an expired offer takes no seat");
    assert.equal((await ask("c")).status, "waiting", "asking again goes to the back");
  });

  it("cancelSeatAsk leaves the queue, and a cancelled offer's seat goes to the next asker; idempotent", async () => {
    await join("a");
    await join("b");
    await ask("c");
    await ask("d");
    assert.deepEqual(await cancel("d"), { cancelled: true });
    assert.deepEqual(await cancel("d"), { cancelled: false });
    assert.equal(await offer("d"), null);
    await ask("e");
    await release("a");
    assert.equal((await offer("c")).status, "offered");
    assert.deepEqual(await cancel("c"), { cancelled: true });
    assert.equal((await offer("e")).status, "offered");
    assert.deepEqual(await holders(), ["b", "e"]);
  });

  it("refuses a seated fan, a closed show, another's fanId, a removed fan, and bad input", async () => {
    await join("a");
    await expectHttpsError(ask("a"), "failed-precondition");
    await expectHttpsError(ask("c", { fanId: "other-tab" }), "permission-denied");
    await expectHttpsError(ask("c", { uid: "x" }), "invalid-argument");
    await db().ref(paths.liveBan(event.id, "r")).set({ at: 1, by: "adm1" });
    await expectHttpsError(ask("r"), "permission-denied");
    await db()
      .ref(`${paths.stageGate(event.id)}/status`)
      .set("closed");
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expectHttpsError(ask("c"), "failed-precondition");
    await expectHttpsError(
      askFn({ data: {}, auth: authFor("h", { role: "host", adminId: "adm1", eventId: event.id }) } as never),
      "permission-denied",
    );
  });
});
