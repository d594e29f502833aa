import assert from "node:assert/strict";
import { BoundedCache, cacheSizes, cacheTotals } from "./cache";

describe("platform/cache", () => {
  it("drops the least recently used entry when full (a get counts as a use)", () => {
    const evicted: string[] = [];
    const cache = new BoundedCache<string, number>({ max: 2, onEvict: (key) => evicted.push(key) });
    cache.set("a", 1, 0);
    cache.set("b", 2, 0);
    assert.equal(cache.get("a", 0), 1);
    cache.set("c", 3, 0);
    assert.deepEqual(evicted, ["b"]);
    assert.equal(cache.get("b", 0), undefined);
    assert.equal(cache.get("a", 0), 1);
    assert.equal(cache.size, 2);
  });

  it("expires entries ttlMs after their set; with sliding, after their last use", () => {
    const fixed = new BoundedCache<string, number>({ max: 10, ttlMs: 100 });
    fixed.set("a", 1, 0);
    assert.equal(fixed.get("a", 99), 1);
    assert.equal(fixed.get("a", 100), undefined);
    assert.equal(fixed.size, 0);

    const sliding = new BoundedCache<string, number>({ max: 10, ttlMs: 100, sliding: true });
    sliding.set("a", 1, 0);
    assert.equal(sliding.get("a", 90), 1);
    assert.equal(sliding.get("a", 180), 1);
    assert.equal(sliding.get("a", 280), undefined);
  });

  it("prune drops every expired entry and tells each one to onEvict", () => {
    const evicted: string[] = [];
    const cache = new BoundedCache<string, number>({ max: 10, ttlMs: 100, onEvict: (key) => evicted.push(key) });
    cache.set("old", 1, 0);
    cache.set("new", 2, 50);
    assert.equal(cache.prune(120), 1);
    assert.deepEqual(evicted, ["old"]);
    assert.equal(cache.get("new", 120), 2);
  });

  it("delete, clear and a replaced value reach onEvict; setting the same value again does not", () => {
    const evicted: Array<[string, number]> = [];
    const cache = new BoundedCache<string, number>({ max: 10, onEvict: (key, value) => evicted.push([key, value]) });
    cache.set("a", 1);
    cache.set("a", 1);
    cache.set("a", 2);
    cache.set("b", 3);
    assert.equal(cache.delete("b"), true);
    assert.equal(cache.delete("b"), false);
    cache.clear();
    assert.deepEqual(evicted, [
      ["a", 1],
      ["b", 3],
      ["a", 2],
    ]);
    assert.equal(cache.size, 0);
  });

  it("getOrSet makes a value once and returns the cached one after", () => {
    const cache = new BoundedCache<string, object>({ max: 10 });
    let made = 0;
    const first = cache.getOrSet("k", () => ({ n: ++made }));
    const second = cache.getOrSet("k", () => ({ n: ++made }));
    assert.equal(first, second);
    assert.equal(made, 1);
  });

  it("cacheSizes lists every live cache with its size, bound and where it was made; cacheTotals adds up each place's", () => {
    const make = () => new BoundedCache<string, number>({ max: 3 });
    const one = make();
    const two = make();
    one.set("a", 1);
    two.set("b", 2);
    two.set("c", 3);
    assert.match(one.label, /^cache\.test\.js:\d+$/);
    const mine = cacheSizes().filter((cache) => cache.label === one.label);
    assert.deepEqual(
      mine.map((cache) => [cache.size, cache.max]),
      [
        [1, 3],
        [2, 3],
      ],
    );
    assert.equal(cacheTotals().get(one.label), 3);
  });
});
