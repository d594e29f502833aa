// @ts-check
"use strict";
/**
 * Building blocks checked against the SDK's own definitions: number text in hashes, key order, query
 * filtering, the rules' `query` object, credentials, server values.
 */

const assert = require("node:assert/strict");
const fs = require("node:fs");
const targaryen = require("targaryen");
const tree = require("../lib/tree");
const { parseQuery, applyQuery } = require("../lib/query");
const { identify } = require("../lib/auth");
const { resolveServerValues } = require("../lib/server-values");

/** The installed SDK's number-to-hex function, read from its bundle (only to compare against). */
function sdkDoubleToHex() {
  const file = require.resolve("@firebase/database").replace(/index\.[^/]+$/, "index.node.cjs.js");
  const source = fs.readFileSync(file, "utf8");
  const start = source.indexOf("const doubleToIEEE754String = function");
  assert.ok(start >= 0, "doubleToIEEE754String not found in the SDK bundle");
  const end = source.indexOf("\n};", start) + 3;

  // The SDK's own function, evaluated from its source: the test compares our hash with the SDK's.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function("util", "isInvalidJSONNumber", `${source.slice(start, end)}\nreturn doubleToIEEE754String;`)(
    { assert() {} },
    () => false,
  );
}

describe("building blocks", () => {
  it("numbers are hashed with the exact text the SDK produces (also where it differs from IEEE 754)", () => {
    const sdk = sdkDoubleToHex();
    const samples = [0, -0, 1, -1, 0.1, 5e-324, 1e-310, 1.7976931348623157e308, 2 ** 53 - 1, 2 ** 48 - 1, 1795554294911];
    for (let i = 0; i < 2000; i += 1) {
      samples.push(Math.random() * 10 ** (Math.floor(Math.random() * 40) - 20), 2 ** (i % 64) - 1, -i * 1.5);
    }
    for (const value of samples) assert.equal(tree.doubleHex(value), sdk(value), String(value));
  });

  it('node hashes: "" for null, priority-then-key child order', () => {
    assert.equal(tree.hashNode(tree.NULL_NODE), "");
    const a = targaryen.store({ 10: 1, 9: 2, b: 3 });
    const b = targaryen.store({ b: 3, 9: 2, 10: 1 });
    assert.equal(tree.hashNode(a), tree.hashNode(b));
    assert.notEqual(tree.hashNode(a), tree.hashNode(targaryen.store({ 10: 1, 9: 2, b: 4 })));
    assert.deepEqual(tree.keysByPriority(targaryen.store({ a: { ".value": 1, ".priority": 2 }, 10: 1, 9: 1 })), ["9", "10", "a"]);
  });

  it("key order: 32-bit integer keys first, numerically, then strings", () => {
    const keys = ["b", "10", "a", "-5", "9", "2147483648", "007", "7"];
    assert.deepEqual([...keys].sort(tree.compareKeys), ["-5", "7", "007", "9", "10", "2147483648", "a", "b"]);
  });

  it("value order: null < false < true < numbers < strings < objects", () => {
    const values = ["b", { x: 1 }, 2, true, null, "a", false, -1];
    const sorted = values
      .map((v) => targaryen.store(v))
      .sort(tree.compareValues)
      .map((n) => n.$value());
    assert.deepEqual(sorted, [null, false, true, -1, 2, "a", "b", { x: 1 }]);
  });

  it("queries filter like the SDK: child index, ranges with names, startAfter/endBefore, limits", () => {
    const node = targaryen.store({
      a: { s: "waiting", n: 3 },
      b: { s: "onstage", n: 1 },
      c: { s: "waiting", n: 2 },
      d: { n: 5 },
      e: 4,
    });
    const keys = (/** @type {Record<string, unknown>} */ wire) => applyQuery(parseQuery(wire), node).map(([key]) => key);
    assert.deepEqual(keys({ i: "s", sp: "waiting", ep: "waiting", sin: true, ein: true }), ["a", "c"]);
    assert.deepEqual(keys({ i: "n", l: 2, vf: "r" }), ["a", "d"]);
    assert.deepEqual(keys({ i: "n", sp: 2, sin: true, l: 2, vf: "l" }), ["c", "a"]);
    assert.deepEqual(keys({ i: "s", sp: null, ep: null, sin: true, ein: true }), ["d", "e"]); // missing child = null
    assert.deepEqual(keys({ i: "s", sp: "waiting", sn: "a", sin: false, ep: "waiting", ein: true }), ["c"]);
    assert.deepEqual(keys({ i: ".key", sp: "b", ep: "d", sin: true, ein: false }), ["b", "c"]);
    assert.deepEqual(keys({ i: ".value", sp: 4, sin: true }), ["e", "a", "b", "c", "d"]); // objects sort last
    assert.deepEqual(keys({ l: 1, vf: "l" }), ["a"]); // default priority index falls back to keys
  });

  it("the rules see query.orderBy*, startAt/endAt, equalTo (start == end) and limits", () => {
    assert.deepEqual(parseQuery({ i: "status", sp: "w", ep: "w", sin: true, ein: true }).rulesQuery, {
      orderByChild: "status",
      startAt: "w",
      endAt: "w",
      equalTo: "w",
    });
    assert.deepEqual(parseQuery({ i: ".key", l: 3, vf: "r" }).rulesQuery, { orderByKey: true, limitToLast: 3 });
    assert.deepEqual(parseQuery({ i: ".value", sp: 10, sin: true, l: 5, vf: "l" }).rulesQuery, {
      orderByValue: true,
      startAt: 10,
      limitToFirst: 5,
    });
    assert.deepEqual(parseQuery({ l: 1, vf: "l" }).rulesQuery, { orderByPriority: true, limitToFirst: 1 });
  });

  it("credentials: owner bypasses; authvar / noauth apply rules; JWT claims become auth", () => {
    assert.deepEqual(identify({ cred: "owner" }), { owner: true, bypassRules: true, auth: null, expires: null });
    assert.equal(identify({ cred: "owner", noauth: true }).bypassRules, false);
    assert.deepEqual(identify({ cred: "owner", authvar: { uid: "x" } }).auth, { uid: "x" });
    const claims = { sub: "u1", role: "admin", firebase: { sign_in_provider: "password" }, exp: 3600 };
    const jwt =
      [{ alg: "none", typ: "JWT" }, claims].map((part) => Buffer.from(JSON.stringify(part)).toString("base64url")).join(".") + ".";
    const identity = identify({ cred: jwt });
    assert.deepEqual(identity.auth, { uid: "u1", provider: "password", token: claims });
    assert.equal(identity.bypassRules, false);
    assert.throws(() => identify({ cred: "not-a-token" }));
    assert.throws(() => identify({ cred: "e30.e30." }), /sub/); // {} claims: no uid
  });

  it("server values resolve against the current data, nested and in arrays", () => {
    const current = targaryen.store({ n: 5, s: "text", list: { 0: 1 } });
    const resolved = resolveServerValues(
      {
        n: { ".sv": { increment: 2 } },
        s: { ".sv": { increment: 1 } },
        fresh: { ".sv": { increment: 3 } },
        at: { ".sv": "timestamp" },
        list: [{ ".sv": { increment: 1 } }],
        plain: { x: 1 },
      },
      current,
      1234,
    );
    assert.deepEqual(resolved, { n: 7, s: 1, fresh: 3, at: 1234, list: { 0: 2 }, plain: { x: 1 } });
    const untouched = { a: 1 };
    assert.equal(resolveServerValues(untouched, current, 1), untouched);
    assert.throws(() => resolveServerValues({ ".sv": "nope" }, current, 1), /Unsupported server value/);
  });
});
