import assert from "node:assert/strict";
import {
  decideShard,
  holdOnly,
  newClaimId,
  reclaimableAt,
  shardCapacity,
  shardCount,
  shardIndex,
  shardKey,
  SHARD_SIZE,
  type ShardRequest,
} from "./shards";

const request = (uid: string, extra: Partial<ShardRequest> = {}): ShardRequest => ({
  uid,
  claimId: newClaimId(),
  claim: { at: 1000 },
  capacity: 2,
  now: 1000,
  confirmMs: null,
  ...extra,
});

describe("seats/shards", () => {
  it("splits a limit into shards whose capacities sum to it; a lowered limit leaves upper shards no room", () => {
    for (const limit of [0, 1, SHARD_SIZE - 1, SHARD_SIZE, SHARD_SIZE + 1, 3000, 15_000, 14_999]) {
      let sum = 0;
      for (let index = 0; index < shardCount(limit) + 3; index++) sum += shardCapacity(index, limit);
      assert.equal(sum, limit, `limit ${limit}`);
      for (let index = 0; index < shardCount(limit); index++) assert.ok(shardCapacity(index, limit) > 0);
    }
    assert.equal(shardCapacity(5, 10), 0);
    assert.equal(shardIndex(shardKey(749)), 749);
    assert.equal(shardIndex("holders"), -1);
  });

  it("admits while the shard has room, then leaves a full shard unchanged (no write)", () => {
    let shard = decideShard(null, request("a")).next!;
    shard = decideShard(shard, request("b")).next!;
    assert.deepEqual(Object.keys(shard).sort(), ["a", "b"]);
    const full = decideShard(shard, request("c"));
    assert.deepEqual(full, { outcome: "full", expiredHolds: [] });
  });

  it("a holder keeps their seat with one more claim, even in a full shard: one seat, not two", () => {
    const first = decideShard(null, request("a", { claimId: "c1", capacity: 1 }));
    const again = decideShard(first.next!, request("a", { claimId: "c2", capacity: 1 }));
    assert.equal(again.outcome, "kept");
    assert.deepEqual(Object.keys(again.next!), ["a"]);
    assert.deepEqual(Object.keys(again.next!.a).sort(), ["c1", "c2"]);
  });

  it("a lowered capacity evicts nobody and admits nobody until the holders are below it", () => {
    const holders = { a: { c1: { at: 1 } }, b: { c1: { at: 1 } }, c: { c1: { at: 1 } } };
    assert.equal(decideShard(holders, request("d", { capacity: 1 })).outcome, "full");
    assert.equal(decideShard(holders, request("b", { capacity: 1 })).outcome, "kept");
    assert.equal(decideShard({ a: holders.a }, request("d", { capacity: 1 })).outcome, "full");
    assert.equal(decideShard({}, request("d", { capacity: 1 })).outcome, "admitted");
    assert.equal(decideShard({}, request("d", { capacity: 0 })).outcome, "full");
  });

  it("reclaims holders no Vonage connection confirmed in time, and only those, when the seat is needed", () => {
    const shard = {
      stale: { c1: { at: 100 } },
      fresh: { c1: { at: 950 } },
      connected: { c1: { at: 100, conn: "conn-1" } },
      staleTabs: { c1: { at: 100 }, c2: { at: 100, conn: "conn-2" } },
    };
    const off = decideShard(shard, request("new", { capacity: 4, now: 1000, confirmMs: null }));
    assert.equal(off.outcome, "full", "confirmation off: nobody is reclaimed");
    const on = decideShard(shard, request("new", { capacity: 4, now: 1000, confirmMs: 500 }));
    assert.equal(on.outcome, "admitted");
    assert.deepEqual(Object.keys(on.next!).sort(), ["connected", "fresh", "new", "staleTabs"]);
    const roomy = decideShard(shard, request("new", { capacity: 5, now: 1000, confirmMs: 500 }));
    assert.ok(roomy.next!.stale, "nobody is reclaimed while the shard has room");
    assert.equal(reclaimableAt({ c1: { at: 100 } }, 500), 600);
    assert.equal(reclaimableAt({ c1: { at: 100, conn: "x" } }, 500), undefined);
    assert.equal(reclaimableAt({ c1: { at: 100 } }, null), undefined);
  });

  it("reads holders the database returned as an array (integer-like uids)", () => {
    const outcome = decideShard([{ c: { at: 1 } }] as never, request("7"));
    assert.equal(outcome.outcome, "admitted");
    assert.deepEqual(Object.keys(outcome.next!).sort(), ["0", "7"]);
    assert.match(newClaimId(), /^c[A-Za-z0-9_-]{16}$/);
  });
});

describe("seats/shards: offers' holds (pure)", () => {
  it("a hold ends at its own time, whether or not seats need confirming; a confirmed claim never ends", () => {
    assert.equal(reclaimableAt({ c1: { at: 100, hold: 700 } }, null), 700);
    assert.equal(reclaimableAt({ c1: { at: 100, hold: 700 } }, 60_000), 700);
    assert.equal(reclaimableAt({ c1: { at: 100, hold: 700 }, c2: { at: 100 } }, null), undefined, "a claim of the fan's own");
    assert.equal(reclaimableAt({ c1: { at: 100, hold: 700, conn: "x" } }, null), undefined);
    assert.equal(holdOnly({ c1: { at: 1, hold: 2 } }), true);
    assert.equal(holdOnly({ c1: { at: 1, hold: 2 }, c2: { at: 1 } }), false);
    assert.equal(holdOnly(null), false);
  });

  it("the asker's join takes their hold: their claim replaces it, still one seat", () => {
    const shard = { asker: { h1: { at: 900, hold: 5000 } }, other: { c1: { at: 1 } } };
    const taken = decideShard(shard, request("asker", { claimId: "c2" }));
    assert.equal(taken.outcome, "taken");
    assert.deepEqual(Object.keys(taken.next!.asker), ["c2"]);
    assert.equal(taken.next!.asker.c2.hold, undefined);
    assert.deepEqual(Object.keys(taken.next!).sort(), ["asker", "other"]);
  });

  it("a held seat is nobody else's: a full shard with a hold admits no newcomer while the hold lasts", () => {
    const shard = { asker: { h1: { at: 900, hold: 5000 } }, other: { c1: { at: 1 } } };
    assert.equal(decideShard(shard, request("newcomer", { now: 4999 })).outcome, "full");
    const after = decideShard(shard, request("newcomer", { now: 5000 }));
    assert.equal(after.outcome, "admitted", "an ended hold is reclaimed like an unconfirmed seat");
    assert.deepEqual(after.expiredHolds, ["asker"]);
    assert.equal(after.next!.asker, undefined);
  });

  it("an asker's own ended hold is not theirs any more: they join as a newcomer, and the offer expires", () => {
    const shard = { asker: { h1: { at: 900, hold: 5000 } }, other: { c1: { at: 1 } } };
    const late = decideShard(shard, request("asker", { now: 6000, asksWaiting: true }));
    assert.equal(late.outcome, "full", "others wait: no seat for a newcomer");
    assert.equal(late.next, undefined);
    const free = decideShard(shard, request("asker", { now: 6000 }));
    assert.equal(free.outcome, "admitted");
    assert.deepEqual(free.expiredHolds, ["asker"]);
  });

  it("a hold for a uid already seated writes nothing (never a second seat); while asks wait, newcomers get none", () => {
    const shard = { seated: { c1: { at: 1 } } };
    assert.deepEqual(decideShard(shard, request("seated", { hold: true, claim: { at: 1, hold: 9 } })), {
      outcome: "kept",
      expiredHolds: [],
    });
    assert.equal(decideShard(shard, request("newcomer", { asksWaiting: true })).outcome, "full");
    assert.equal(decideShard(shard, request("asker", { hold: true, asksWaiting: true, claim: { at: 1, hold: 9 } })).outcome, "admitted");
    assert.equal(decideShard(shard, request("seated", { asksWaiting: true })).outcome, "kept", "a seated fan's reload keeps the seat");
  });
});
