// @ts-check
"use strict";
/**
 * Rules enforced for web clients as Firebase would, allowed and denied cases side by side; the admin
 * (owner credential) bypasses all of them.
 */

const assert = require("node:assert/strict");
const { startServer, admin, client, cleanup, denied, firstValue, eventually, web } = require("./helpers");

const { ref, set, get, update, remove, push, onValue, serverTimestamp } = web;

describe("rules enforcement for clients (targaryen, per request)", function () {
  /** @type {import("../lib/database-server").DatabaseServer} */
  let server;
  /** @type {import("firebase-admin/database").Database} */
  let adminDb;

  before(async () => {
    server = await startServer();
    adminDb = admin(server);
  });
  after(cleanup);
  beforeEach(() => {
    server.reset({
      events: { e1: { adminId: "producer-1", title: "Show", participants: { "fan-1": { status: "waiting" } } } },
      users: { alice: { name: "Alice" } },
      rooms: { r1: { members: { alice: true, bob: true }, topic: "x" } },
    });
  });

  it("read: public for anyone; adminOnly needs the role claim; users/$uid only for that uid", async () => {
    const anonymous = client(server);
    const alice = client(server, { sub: "alice" });
    const boss = client(server, { sub: "boss", role: "admin" });
    await adminDb.ref("public/p1").set({ text: "hello" });
    await adminDb.ref("adminOnly/flag").set(true);
    assert.deepEqual((await get(ref(anonymous, "public"))).val(), { p1: { text: "hello" } });
    assert.equal((await get(ref(boss, "adminOnly/flag"))).val(), true);
    await denied(get(ref(alice, "adminOnly")), "adminOnly without role");
    await denied(firstValue(ref(anonymous, "adminOnly")), "adminOnly listen, anonymous");
    assert.deepEqual((await get(ref(alice, "users/alice"))).val(), { name: "Alice" });
    await denied(get(ref(boss, "users/alice")), "another uid");
    await denied(get(ref(alice, "users")), "the parent of a $uid rule (no cascading upwards)");
  });

  it("write: auth != null, $uid ownership, push", async () => {
    const anonymous = client(server);
    const alice = client(server, { sub: "alice" });
    await denied(set(ref(anonymous, "public/p2"), { text: "anon" }), "anonymous write");
    const pushed = push(ref(alice, "public"));
    await set(pushed, { text: "from alice" });
    assert.deepEqual(server.getData(`public/${pushed.key}`), { text: "from alice" });
    await set(ref(alice, "users/alice/name"), "Alicia");
    await denied(set(ref(alice, "users/bob"), { name: "Bob?" }), "$uid of someone else");
  });

  it(".validate: types, lengths, required children, auth.token.firebase.sign_in_provider, now", async () => {
    const alice = client(server, { sub: "alice" });
    await denied(set(ref(alice, "public/p3"), { title: "no text" }), "missing required child");
    await denied(set(ref(alice, "public/p3"), { text: "x".repeat(51) }), "text too long");
    await denied(set(ref(alice, "users/alice/name"), "x".repeat(21)), "name too long");
    await denied(set(ref(alice, "users/alice"), { nickname: "no name" }), "users/$uid without name");
    await set(ref(alice, "users/alice/provider"), "custom"); // mockUserToken signs in with "custom"
    await denied(set(ref(alice, "users/alice/provider"), "password"), "provider claim mismatch");
    await denied(set(ref(alice, "public/p4"), { text: "later", createdAt: Date.now() + 60_000 }), "createdAt > now");
    await set(ref(alice, "public/p4"), { text: "now", createdAt: serverTimestamp() });
    await set(ref(alice, "stamps/s1"), serverTimestamp()); // .validate: newData.val() === now
    await denied(set(ref(alice, "stamps/s2"), 12345), "a literal number is not now");
  });

  it(".validate does not run on delete (but still runs on parents that keep existing)", async () => {
    const alice = client(server, { sub: "alice" });
    await set(ref(alice, "users/alice/age"), 30);
    await denied(set(ref(alice, "users/alice"), { age: 31 }), "users/$uid without name");
    await denied(remove(ref(alice, "users/alice/name")), "removing name while users/alice stays");
    await remove(ref(alice, "users/alice")); // the node's own .validate is not run on delete
    assert.equal(server.getData("users/alice"), null);
  });

  it("auth.token claims and cascading reads: event admin, super admin, fan", async () => {
    const producer = client(server, { sub: "producer-1", adminId: "producer-1", role: "admin" });
    const otherProducer = client(server, { sub: "producer-2", adminId: "producer-2", role: "admin" });
    const superAdmin = client(server, { sub: "root", superAdmin: true, role: "admin" });
    const fan = client(server, { sub: "fan-1", eventId: "e1", role: "fan" });
    assert.equal((await get(ref(producer, "events/e1"))).val().title, "Show");
    assert.equal((await get(ref(producer, "events/e1/participants/fan-1/status"))).val(), "waiting");
    assert.equal((await get(ref(superAdmin, "events/e1/title"))).val(), "Show");
    await denied(get(ref(otherProducer, "events/e1")), "admin of another event");
    await denied(get(ref(fan, "events/e1/title")), "fan");
    await set(ref(superAdmin, "events/e2"), { adminId: "producer-2" });
    await denied(set(ref(producer, "events/e3"), { adminId: "producer-1" }), "event write without superAdmin");
    await set(ref(fan, "events/e1/participants/fan-1/status"), "onstage");
    await denied(set(ref(fan, "events/e1/participants/fan-1/status"), "vip"), "status outside the enum");
    await denied(set(ref(fan, "events/e2/participants/fan-1"), { status: "waiting" }), "eventId claim mismatch");
  });

  it("multi-path update: all paths checked on the merged data, all-or-nothing", async () => {
    const alice = client(server, { sub: "alice" });
    await update(ref(alice, "multi"), { "open/a": 1, "open/b": 2 });
    await denied(update(ref(alice, "multi"), { "open/c": 3, "closed/d": 4 }), "update touching a closed path");
    assert.deepEqual(server.getData("multi"), { open: { a: 1, b: 2 } });
    await denied(update(ref(alice, "/"), { "users/alice/name": "ok", "counters/x": 11 }), "one invalid value");
    assert.equal(server.getData("users/alice/name"), "Alice");
    await update(ref(alice, "/"), { "users/alice/name": "Ally", "counters/x": 3, "multi/open/a": null });
    assert.equal(server.getData("users/alice/name"), "Ally");
    assert.equal(server.getData("counters/x"), 3);
    assert.deepEqual(server.getData("multi"), { open: { b: 2 } });
  });

  it("a listen is revoked when the data takes the read access away", async () => {
    const bob = client(server, { sub: "bob" });
    /** @type {Array<Error & {code?: string}>} */
    const errors = [];
    const values = [];
    onValue(
      ref(bob, "rooms/r1"),
      (snap) => values.push(snap.val()),
      (error) => errors.push(error),
    );
    await eventually(() => values.length === 1, 3000, "first value");
    await adminDb.ref("rooms/r1/members/bob").remove();
    await eventually(() => errors.length === 1, 3000, "revocation");
    assert.match(`${errors[0].code} ${errors[0].message}`, /permission_denied/i);
  });

  it("the admin bypasses every rule above", async () => {
    await adminDb.ref("users/alice").set({ nickname: "no name" });
    await adminDb.ref("counters/x").set(1000);
    await adminDb.ref("events/e1/participants/fan-1/status").set("vip");
    await adminDb.ref().update({ "multi/closed/d": 4, "stamps/s": 1 });
    assert.equal((await adminDb.ref("events/e1/participants").once("value")).val()["fan-1"].status, "vip");
    assert.deepEqual(server.getData("multi"), { closed: { d: 4 } });
  });
});
