// @ts-check
"use strict";
/**
 * One describe per gap of unmodified firebase-server (shared/reference/local-stack.md): each test here
 * fails (or hangs into the timeout) without the fix its title names.
 */

const assert = require("node:assert/strict");
const { startServer, admin, client, cleanup, denied, firstValue, eventually, web, adminDatabase } = require("./helpers");

const {
  ref,
  set,
  get,
  update,
  query,
  orderByChild,
  orderByKey,
  orderByValue,
  equalTo,
  limitToLast,
  startAt,
  onValue,
  increment,
  onDisconnect,
  goOffline,
  serverTimestamp,
} = web;
const { ServerValue } = adminDatabase;

const FAN = { sub: "fan-1", eventId: "e1", role: "fan" };
const EVENT_ADMIN = { sub: "producer-1", adminId: "producer-1", role: "admin" };

describe("the six gaps of firebase-server", function () {
  /** @type {import('../lib/database-server').DatabaseServer} */
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
      events: {
        e1: {
          adminId: "producer-1",
          participants: {
            "fan-1": { status: "waiting" },
            "fan-2": { status: "onstage" },
            "fan-3": { status: "waiting" },
          },
        },
      },
    });
  });

  describe('gap 1: firebase-admin\'s "owner" credential bypasses the rules', () => {
    it("admin (no credential, FIREBASE_DATABASE_EMULATOR_HOST) writes and reads rule-locked paths", async () => {
      await adminDb.ref("adminOnly/config").set({ maxFans: 10 });
      await adminDb.ref("unlisted/path").set("x"); // no rule grants anything there
      await adminDb.ref("counters/c").set("not a number"); // .validate is bypassed too
      assert.deepEqual((await adminDb.ref("adminOnly").once("value")).val(), { config: { maxFans: 10 } });
      assert.equal((await adminDb.ref("unlisted/path").get()).val(), "x");
      assert.equal(server.getData("counters/c"), "not a number");
      assert.equal(server.stats().connections.open.admin, 1);
    });

    it("the same writes from a signed-in client without the claim are denied", async () => {
      const fan = client(server, FAN);
      await denied(set(ref(fan, "adminOnly/config"), { maxFans: 99 }), "client write to adminOnly");
      await denied(set(ref(fan, "unlisted/path"), "y"), "client write to an unlisted path");
      await denied(get(ref(fan, "adminOnly")), "client read of adminOnly");
    });

    it("an admin app with databaseAuthVariableOverride is held to the rules with that auth", async () => {
      const limited = admin(server, { databaseAuthVariableOverride: { uid: "svc-1", token: { role: "admin" } } });
      await limited.ref("adminOnly/by").set("svc-1");
      await denied(limited.ref("users/someone-else").set({ name: "x" }), "overridden admin write elsewhere");
      const anonymous = admin(server, { databaseAuthVariableOverride: null });
      await denied(anonymous.ref("public/p1").set({ text: "hi" }), "admin with a null auth override");
    });
  });

  describe("gap 2: each request is judged with its own connection's auth", () => {
    it("an anonymous client cannot write an admin-only path right after an admin-claim user wrote", async () => {
      const producer = client(server, { sub: "boss", role: "admin" });
      const anonymous = client(server);
      await set(ref(producer, "adminOnly/state"), "live");
      await denied(set(ref(anonymous, "adminOnly/state"), "hijacked"), "anonymous write after an admin-claim write");
      await denied(get(ref(anonymous, "adminOnly")), "anonymous read after an admin-claim write");
      assert.equal(server.getData("adminOnly/state"), "live");
    });

    it("an anonymous client cannot write right after the admin (owner) wrote", async () => {
      const anonymous = client(server);
      await adminDb.ref("adminOnly/state").set("from-admin");
      await denied(set(ref(anonymous, "adminOnly/state"), "hijacked"), "anonymous write after an owner write");
    });

    it("interleaved writes from two users are each judged by their own uid", async () => {
      const alice = client(server, { sub: "alice" });
      const bob = client(server, { sub: "bob" });
      const results = await Promise.allSettled([
        set(ref(alice, "users/alice"), { name: "Alice" }),
        set(ref(bob, "users/alice"), { name: "Mallory" }),
        set(ref(bob, "users/bob"), { name: "Bob" }),
        set(ref(alice, "users/bob"), { name: "Mallory" }),
      ]);
      assert.deepEqual(
        results.map((r) => r.status),
        ["fulfilled", "rejected", "fulfilled", "rejected"],
      );
      assert.deepEqual(server.getData("users"), { alice: { name: "Alice" }, bob: { name: "Bob" } });
    });
  });

  describe("gap 3: query-based read rules see the query, and queries get the filtered data", () => {
    it('client: orderByChild("status").equalTo("waiting") is allowed and returns only waiting fans', async () => {
      const fan = client(server, FAN);
      const waiting = query(ref(fan, "events/e1/participants"), orderByChild("status"), equalTo("waiting"));
      assert.deepEqual((await firstValue(waiting)).val(), {
        "fan-1": { status: "waiting" },
        "fan-3": { status: "waiting" },
      });
      assert.deepEqual((await get(waiting)).val(), { "fan-1": { status: "waiting" }, "fan-3": { status: "waiting" } });
    });

    it("client: the same location without the query, with another value or another event is denied", async () => {
      const fan = client(server, FAN);
      const participants = ref(fan, "events/e1/participants");
      await denied(firstValue(participants), "plain listen");
      await denied(firstValue(query(participants, orderByChild("status"), equalTo("onstage"))), "equalTo onstage");
      await denied(firstValue(query(participants, orderByChild("status"), limitToLast(1))), "no equalTo");
      const otherFan = client(server, { ...FAN, sub: "fan-9", eventId: "e2" });
      await denied(
        firstValue(query(ref(otherFan, "events/e1/participants"), orderByChild("status"), equalTo("waiting"))),
        "fan of another event",
      );
    });

    it("client: limitToLast and startAt rules (query.limitToLast, query.startAt)", async () => {
      await adminDb.ref("feed").set({ a: 1, b: 2, c: 3, d: 4, e: 5 });
      await adminDb.ref("scores").set({ p1: 5, p2: 12, p3: 30, p4: 9 });
      const fan = client(server, FAN);
      const lastThree = query(ref(fan, "feed"), orderByKey(), limitToLast(3));
      assert.deepEqual((await firstValue(lastThree)).val(), { c: 3, d: 4, e: 5 });
      await denied(firstValue(query(ref(fan, "feed"), orderByKey(), limitToLast(4))), "limitToLast(4)");
      const high = query(ref(fan, "scores"), orderByValue(), startAt(10));
      assert.deepEqual((await firstValue(high)).val(), { p2: 12, p3: 30 });
      await denied(firstValue(query(ref(fan, "scores"), orderByValue(), startAt(5))), "startAt(5)");
    });

    it("client: a live query view follows the data (children enter and leave the filter)", async () => {
      const fan = client(server, FAN);
      const waiting = query(ref(fan, "events/e1/participants"), orderByChild("status"), equalTo("waiting"));
      /** @type {string[]} */
      const seen = [];
      const stop = onValue(waiting, (snapshot) =>
        seen.push(
          Object.keys(snapshot.val() || {})
            .sort()
            .join(","),
        ),
      );
      await eventually(() => seen.length === 1, 3000, "first view");
      await adminDb.ref("events/e1/participants/fan-1/status").set("onstage");
      await adminDb.ref("events/e1/participants/fan-2/status").set("waiting");
      await eventually(() => seen.at(-1) === "fan-2,fan-3", 3000, "view update");
      stop();
      assert.equal(seen[0], "fan-1,fan-3");
    });

    it("admin: orderByChild/equalTo, limitToLast and startAt/endAt return the right children", async () => {
      const participants = adminDb.ref("events/e1/participants");
      assert.deepEqual(Object.keys((await participants.orderByChild("status").equalTo("onstage").once("value")).val()), ["fan-2"]);
      assert.deepEqual(Object.keys((await participants.limitToLast(2).get()).val()).sort(), ["fan-2", "fan-3"]);
      assert.deepEqual(Object.keys((await participants.orderByKey().startAt("fan-2").endAt("fan-3").get()).val()).sort(), [
        "fan-2",
        "fan-3",
      ]);
    });
  });

  describe('gap 4: get() (wire action "g") is answered', () => {
    it("admin: get() with and without a query", async () => {
      assert.equal((await adminDb.ref("events/e1/adminId").get()).val(), "producer-1");
      const onstage = await adminDb.ref("events/e1/participants").orderByChild("status").equalTo("onstage").get();
      assert.deepEqual(onstage.val(), { "fan-2": { status: "onstage" } });
      assert.equal((await adminDb.ref("nothing/here").get()).exists(), false);
      assert.ok(server.stats().admin.g >= 3);
    });

    it("client: get() allowed by a cascading read, denied without it, and with a query", async () => {
      const producer = client(server, EVENT_ADMIN);
      assert.equal((await get(ref(producer, "events/e1/participants/fan-2/status"))).val(), "onstage");
      const fan = client(server, FAN);
      await denied(get(ref(fan, "events/e1")), "fan get of the event");
      const waiting = await get(query(ref(fan, "events/e1/participants"), orderByChild("status"), equalTo("waiting")));
      assert.deepEqual(Object.keys(waiting.val()).sort(), ["fan-1", "fan-3"]);
    });
  });

  describe("gap 5: ServerValue.increment works and the rules see the resulting number", () => {
    it("admin: increment on a missing node, an existing one, and inside update()", async () => {
      await adminDb.ref("counters/a").set(ServerValue.increment(2));
      await adminDb.ref("counters/a").set(ServerValue.increment(3));
      await adminDb.ref("counters").update({ a: ServerValue.increment(-1), b: ServerValue.increment(7) });
      assert.deepEqual(server.getData("counters"), { a: 4, b: 7 });
    });

    it("client: increments are validated on the result (counter <= 10)", async () => {
      const fan = client(server, FAN);
      await set(ref(fan, "counters/votes"), 9);
      await set(ref(fan, "counters/votes"), increment(1));
      assert.equal(server.getData("counters/votes"), 10);
      await denied(set(ref(fan, "counters/votes"), increment(1)), "increment past the validated maximum");
      await denied(update(ref(fan, "counters"), { votes: increment(5) }), "increment in update past the maximum");
      assert.equal(server.getData("counters/votes"), 10);
      assert.equal((await get(ref(fan, "counters/votes"))).val(), 10);
    });

    it("client: concurrent increments from 5 clients all count", async () => {
      const fans = Array.from({ length: 5 }, (_, i) => client(server, { sub: `fan-${i}` }));
      await Promise.all(fans.map((db) => set(ref(db, "counters/hearts"), increment(1))));
      assert.equal(server.getData("counters/hearts"), 5);
    });
  });

  describe("gap 6: onDisconnect set/update/remove/cancel are answered and run when the client drops", () => {
    it("client: set, update and remove run on goOffline; cancel drops an op", async () => {
      await adminDb.ref("presence").set({ "fan-1": { online: true, note: "keep" }, "fan-1x": 1 });
      const fan = client(server, FAN);
      const me = ref(fan, "presence/fan-1");
      await onDisconnect(ref(fan, "presence/fan-1/online")).set(false);
      await onDisconnect(me).update({ lastSeen: serverTimestamp(), seen: true });
      await onDisconnect(ref(fan, "presence/fan-1/note")).remove();
      await onDisconnect(ref(fan, "presence/fan-1/cancelled")).set("should not appear");
      await onDisconnect(ref(fan, "presence/fan-1/cancelled")).cancel();
      assert.equal(server.getData("presence/fan-1/online"), true, "nothing runs before the disconnect");
      const before = Date.now();
      goOffline(fan);
      const after = await eventually(
        () => {
          const value = server.getData("presence/fan-1");
          return value && value.online === false && value.seen ? value : null;
        },
        3000,
        "onDisconnect ops",
      );
      assert.equal(after.note, undefined, "remove ran");
      assert.equal(after.cancelled, undefined, "cancel dropped the op");
      assert.ok(after.lastSeen >= before && after.lastSeen <= Date.now(), "TIMESTAMP resolved at disconnect");
    });

    it("client: an onDisconnect op the rules deny is rejected when it is registered", async () => {
      const fan = client(server, FAN);
      await get(ref(fan, "public/nothing")); // connected and authenticated before counting
      server.resetStats();
      await denied(onDisconnect(ref(fan, "presence/someone-else")).set("gone"), "onDisconnect on another uid");
      await denied(onDisconnect(ref(fan, "presence/someone-else")).remove(), "onDisconnect remove elsewhere");
      assert.equal(server.stats().client.o, 2);
    });

    it("admin: onDisconnect ops run when the admin app is deleted", async () => {
      const other = admin(server);
      await other.ref("adminOnly/worker").set("up");
      await other.ref("adminOnly/worker").onDisconnect().remove();
      await other.app.delete();
      await eventually(() => server.getData("adminOnly/worker") === null, 3000, "admin onDisconnect");
    });
  });
});
