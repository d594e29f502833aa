import assert from "node:assert/strict";
import { decideShard, holdOnly, newClaimId, reclaimableAt, type ShardRequest } from "./shards";

const request = (uid: string, extra: Partial<ShardRequest> = {}): ShardRequest => ({
  uid,
  claimId: newClaimId(),
  claim: { at: 1000 },
  capacity: 2,
  now: 1000,
  confirmMs: null,
  ...extra,
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
