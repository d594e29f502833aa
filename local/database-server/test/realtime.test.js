// @ts-check
"use strict";
/**
 * Everyday Realtime Database behaviour through both SDKs: transactions, push, child events, limit
 * windows, remove, TIMESTAMP, multi-path updates, priorities, namespaces.
 */

const assert = require("node:assert/strict");
const { startServer, admin, client, cleanup, eventually, firstValue, web, adminDatabase } = require("./helpers");

const { ref, set, get, query, orderByKey, limitToLast, onChildAdded, onChildChanged, onChildRemoved, onValue, runTransaction, push } = web;
const { ServerValue } = adminDatabase;

describe("behaves like the real RTDB", function () {
  /** @type {import("../lib/database-server").DatabaseServer} */
  let server;
  /** @type {import("firebase-admin/database").Database} */
  let adminDb;

  before(async () => {
    server = await startServer();
    adminDb = admin(server);
  });
  after(cleanup);
  beforeEach(() => server.reset(null));

  describe("transactions (puts carrying the hash of the client's cached value)", () => {
    it("5 concurrent transactions from 5 separate clients on one node all apply", async () => {
      const clients = Array.from({ length: 5 }, (_, i) => client(server, { sub: `user-${i}` }));
      const results = await Promise.all(clients.map((db) => runTransaction(ref(db, "tx/counter"), (value) => (value || 0) + 1)));
      assert.ok(results.every((r) => r.committed));
      assert.equal(server.getData("tx/counter"), 5);
    });

    it("50 concurrent transactions from one admin app all apply", async () => {
      const results = await Promise.all(Array.from({ length: 50 }, () => adminDb.ref("tx/admin").transaction((value) => (value || 0) + 1)));
      assert.ok(results.every((r) => r.committed));
      assert.equal(server.getData("tx/admin"), 50);
    });

    it("a transaction on a node with integer-like keys, floats and priorities commits (same hash as the SDK)", async () => {
      // firebase-server hashed children in plain string order ("10" before "9"), so this never converged.
      await adminDb.ref("tx/mixed").set({ 9: 0.1, 10: 2 ** 53 - 1, "-3": -0, b: "x", a: true, n: { 2: 1, 11: 2 } });
      await adminDb.ref("tx/mixed/b").setPriority(5, () => {});
      const alice = client(server, { sub: "alice" });
      const result = await runTransaction(ref(alice, "tx/mixed"), (value) => value && { ...value, touched: 1 });
      assert.equal(result.committed, true);
      assert.equal(server.getData("tx/mixed/touched"), 1);
      assert.equal(server.getData("tx/mixed/10"), 2 ** 53 - 1);
    });

    it("asked-for contention: attempts that lose are retried by the SDK, and 25 losses in a row fail with maxretry", async () => {
      server.contend("tx/busy", 3);
      const after3 = await adminDb.ref("tx/busy/a").transaction((value) => (value || 0) + 1);
      assert.ok(after3.committed);
      assert.equal(server.getData("tx/busy/a"), 1);
      assert.equal(server.contention[0].attempts, 0, "the three losses were used up");
      server.contend("tx/busy", 1000);
      await assert.rejects(
        adminDb.ref("tx/busy/a").transaction((value) => (value || 0) + 1),
        /maxretry/,
      );
      assert.equal(server.getData("tx/busy/a"), 1, "nothing written");
      assert.ok((await adminDb.ref("tx/other").transaction(() => 7)).committed, "elsewhere transactions win");
      server.endContention();
      assert.ok((await adminDb.ref("tx/busy/a").transaction((value) => (value || 0) + 1)).committed);
    });

    it("an aborted transaction writes nothing", async () => {
      await adminDb.ref("tx/keep").set(7);
      const result = await adminDb.ref("tx/keep").transaction(() => undefined);
      assert.equal(result.committed, false);
      assert.equal(server.getData("tx/keep"), 7);
    });
  });

  it("push() keys sort chronologically and child_added fires in order for a listening client", async () => {
    const alice = client(server, { sub: "alice" });
    /** @type {string[]} */
    const added = [];
    const stop = onChildAdded(ref(alice, "public"), (snap) => added.push(snap.val().text));
    await firstValue(ref(alice, "public")); // the listen is in place
    for (const text of ["one", "two", "three"]) await adminDb.ref("public").push({ text });
    await eventually(() => added.length === 3, 3000, "child_added x3");
    stop();
    assert.deepEqual(added, ["one", "two", "three"]);
    const keys = Object.keys(server.getData("public"));
    assert.deepEqual([...keys].sort(), keys);
  });

  it("child_changed and child_removed reach listeners; remove() prunes empty parents", async () => {
    await adminDb.ref("public").set({ a: { text: "A" }, b: { text: "B" } });
    const alice = client(server, { sub: "alice" });
    /** @type {string[]} */
    const events = [];
    const stops = [
      onChildChanged(ref(alice, "public"), (snap) => events.push(`changed:${snap.key}:${snap.val().text}`)),
      onChildRemoved(ref(alice, "public"), (snap) => events.push(`removed:${snap.key}`)),
    ];
    await firstValue(ref(alice, "public")); // the listen is in place
    await adminDb.ref("public/a/text").set("A2");
    await adminDb.ref("public/b").remove();
    await eventually(() => events.length === 2, 3000, "two events");
    stops.forEach((stop) => stop());
    assert.deepEqual(events, ["changed:a:A2", "removed:b"]);
    await adminDb.ref("public/a").remove();
    assert.equal(server.getData("public"), null);
    assert.equal(server.getData(), null);
  });

  it("limitToLast(2) window moves as children are pushed (child_added / child_removed)", async () => {
    await adminDb.ref("feed").set({ k1: 1, k2: 2, k3: 3 });
    const alice = client(server, { sub: "alice" });
    const windowQuery = query(ref(alice, "feed"), orderByKey(), limitToLast(2));
    /** @type {string[]} */
    const events = [];
    const stops = [
      onChildAdded(windowQuery, (snap) => events.push(`+${snap.key}`)),
      onChildRemoved(windowQuery, (snap) => events.push(`-${snap.key}`)),
    ];
    await eventually(() => events.length === 2, 3000, "initial window");
    await adminDb.ref("feed/k4").set(4);
    await eventually(() => events.length === 4, 3000, "window moved");
    await adminDb.ref("feed/k4").remove();
    await eventually(() => events.length === 6, 3000, "window moved back");
    stops.forEach((stop) => stop());
    assert.deepEqual(events, ["+k2", "+k3", "-k2", "+k4", "-k4", "+k2"]);
    assert.deepEqual(Object.keys((await adminDb.ref("feed").limitToLast(2).once("value")).val()), ["k2", "k3"]);
  });

  it("ServerValue.TIMESTAMP resolves to the server time (admin and client)", async () => {
    const before = Date.now();
    await adminDb.ref("stamps/admin").set(ServerValue.TIMESTAMP);
    await set(ref(client(server, { sub: "alice" }), "stamps/client"), web.serverTimestamp());
    for (const key of ["admin", "client"]) {
      const value = server.getData(`stamps/${key}`);
      assert.ok(typeof value === "number" && value >= before && value <= Date.now(), `${key}: ${value}`);
    }
  });

  it("a multi-path update reaches a listener as one change", async () => {
    await adminDb.ref("multi").set({ open: { a: 0, b: 0 } });
    const alice = client(server, { sub: "alice" });
    /** @type {unknown[]} */
    const seen = [];
    const stop = onValue(ref(alice, "multi/open"), (snap) => seen.push(snap.val()));
    await eventually(() => seen.length === 1, 3000, "first value");
    await adminDb.ref().update({ "multi/open/a": 1, "multi/open/b": 2, "elsewhere/x": 1 });
    await eventually(() => seen.length === 2, 3000, "second value");
    stop();
    assert.deepEqual(seen, [
      { a: 0, b: 0 },
      { a: 1, b: 2 },
    ]);
  });

  it("client writes are pushed to the admin listener, and get() sees them", async () => {
    /** @type {unknown[]} */
    const values = [];
    const listener = (/** @type {import("firebase-admin/database").DataSnapshot} */ snap) => values.push(snap.val());
    adminDb.ref("public/live").on("value", listener);
    await eventually(() => values.length === 1, 3000, "first value");
    const alice = client(server, { sub: "alice" });
    const entry = push(ref(alice, "public"));
    await set(ref(alice, "public/live"), { text: "hello" });
    await set(entry, { text: "pushed" });
    await eventually(() => values.length === 2, 3000, "pushed value");
    adminDb.ref("public/live").off("value", listener);
    assert.deepEqual(values, [null, { text: "hello" }]);
    assert.equal((await get(entry)).val().text, "pushed");
  });

  it("priorities round-trip and order children (orderByPriority)", async () => {
    await adminDb.ref("prio").set({ a: { ".value": "A", ".priority": 3 }, b: { ".value": "B", ".priority": 1 } });
    /** @type {unknown[]} */
    const ordered = [];
    (await adminDb.ref("prio").orderByPriority().once("value")).forEach((child) => {
      ordered.push(child.key);
    });
    assert.deepEqual(ordered, ["b", "a"]);
    assert.equal((await adminDb.ref("prio/a").once("value")).getPriority(), 3);
  });

  it("any namespace (?ns=) is served from one shared database", async () => {
    const other = admin(server, {}, "another-namespace");
    await other.ref("shared/flag").set(true);
    assert.equal((await adminDb.ref("shared/flag").get()).val(), true);
  });
});
