// @ts-check
"use strict";

/** @typedef {import("./helpers").Json} Json */

const assert = require("node:assert/strict");
const crypto = require("node:crypto");
const jwt = require("jsonwebtoken");
const { KEY, start, sdk, startReceiver } = require("./helpers");

const SIGNING = "callback-signing-secret-0123456789abcdef";

/** @param {import("./helpers").Received} entry */
function bearer(entry) {
  const m = /^Bearer (.+)$/.exec(entry.headers.authorization || "");
  return /** @type {string} */ (m && m[1]);
}

/**
 * @param {import("./helpers").Received} entry
 * @param {string} [secret]
 */
function verifyCallback(entry, secret = SIGNING) {
  const claims = /** @type {import("./helpers").Json} */ (jwt.verify(bearer(entry), secret, { algorithms: ["HS256"] }));
  const hash = crypto.createHash("sha256").update(entry.body, "utf8").digest("hex");
  assert.equal(claims.payload_hash, hash, "payload_hash matches the exact body");
  return claims;
}

describe("vonage stand-in: callbacks", () => {
  /** @type {import("../lib/types").VonageStandin} */
  let v;
  /** @type {import("./helpers").Sdk} */
  let api;
  /** @type {import("./helpers").Receiver} */
  let receiver;
  before(async () => {
    receiver = await startReceiver();
    v = await start({ callbackUrl: receiver.url, callbackSigningSecret: SIGNING });
    api = sdk(v);
  });
  beforeEach(async () => {
    await v.callbacksIdle();
    v.reset();
    receiver.received.length = 0;
    receiver.setStatus(200);
  });
  after(async () => {
    await v.close();
    await receiver.close();
  });

  it("sends a signed connectionCreated callback for a client connected with a real SDK token", async () => {
    const sid = await api.routed();
    const conn = v.connectClient(sid, { token: api.token(sid, { role: "publisher", data: "userId=42" }) });
    await v.callbacksIdle();
    assert.equal(receiver.received.length, 1);
    const [entry] = receiver.received;
    assert.equal(entry.method, "POST");
    assert.equal(entry.path, "/vonage/callback");
    assert.match(entry.headers["content-type"], /^application\/json/);
    const claims = verifyCallback(entry);
    assert.equal(claims.iss, "Vonage");
    assert.equal(typeof claims.jti, "string");
    assert.ok(claims.exp > claims.iat);
    assert.equal(claims.api_key, KEY);
    assert.deepEqual(Object.keys(entry.json).sort(), ["connection", "event", "projectId", "sessionId", "timestamp"]);
    assert.equal(entry.json.event, "connectionCreated");
    assert.equal(entry.json.sessionId, sid);
    assert.equal(entry.json.projectId, KEY);
    assert.deepEqual(entry.json.connection, { id: conn.connectionId, createdAt: conn.createdAt, data: "userId=42" });
    // A receiver holding the wrong secret must not accept it.
    assert.throws(() => jwt.verify(bearer(entry), "wrong", { algorithms: ["HS256"] }), /invalid signature/);
    const [rec] = v.state().callbacks;
    assert.equal(rec.state, "delivered");
    assert.equal(rec.signed, true);
    assert.deepEqual(
      rec.deliveries.map((/** @type {Json} */ d) => d.status),
      [200],
    );
  });

  it("sends stream callbacks shaped like Vonage session monitoring", async () => {
    const sid = await api.routed();
    const conn = v.connectClient(sid, { data: "host" });
    const stream = v.createStream(conn.connectionId, { name: "Host cam", videoType: "camera" });
    v.destroyStream(stream.id, { reason: "mediaStopped" });
    v.disconnectClient(conn.connectionId, { reason: "networkDisconnected" });
    await v.callbacksIdle();
    const [, created, destroyed, gone] = receiver.received.map((r) => r.json);
    assert.equal(created.event, "streamCreated");
    assert.deepEqual(created.stream, {
      id: stream.id,
      connection: { id: conn.connectionId, createdAt: conn.createdAt, data: "host" },
      createdAt: created.stream.createdAt,
      name: "Host cam",
      videoType: "camera",
    });
    assert.equal(destroyed.event, "streamDestroyed");
    assert.equal(destroyed.reason, "mediaStopped");
    assert.equal(gone.event, "connectionDestroyed");
    assert.equal(gone.reason, "networkDisconnected");
    for (const r of receiver.received) verifyCallback(r);
  });

  it("records the status the receiver answered, and retries when configured", async () => {
    const sid = await api.routed();
    receiver.setStatus(500);
    v.connectClient(sid, { data: "x" });
    await v.callbacksIdle();
    let [rec] = v.state().callbacks;
    assert.equal(rec.state, "failed");
    assert.deepEqual(
      rec.deliveries.map((/** @type {Json} */ d) => d.status),
      [500],
    );

    v.setOptions({ callbackRetries: 2, callbackRetryDelayMs: 5 });
    try {
      let n = 0;
      receiver.setStatus(() => (++n < 3 ? 503 : 204));
      v.connectClient(sid, { data: "y" });
      await v.callbacksIdle();
      rec = v.state().callbacks[1];
      assert.equal(rec.state, "delivered");
      assert.deepEqual(
        rec.deliveries.map((/** @type {Json} */ d) => d.status),
        [503, 503, 204],
      );
    } finally {
      v.setOptions({ callbackRetries: 0 });
    }
  });

  it("holds callbacks back and releases them in a chosen order, dropping some", async () => {
    const sid = await api.routed();
    v.holdCallbacks();
    const a = v.connectClient(sid, { data: "a" });
    const b = v.connectClient(sid, { data: "b" });
    v.disconnectClient(a.connectionId);
    await v.callbacksIdle();
    assert.equal(receiver.received.length, 0);
    const held = v.state().callbacks;
    assert.deepEqual(
      held.map((/** @type {Json} */ c) => c.state),
      ["held", "held", "held"],
    );
    assert.equal(v.state().callbacksHeld, true);
    // connectionDestroyed(a) first, then connectionCreated(a); connectionCreated(b) is lost.
    await v.releaseCallbacks({ order: [held[2].seq, held[0].seq], drop: [held[1].seq] });
    const got = receiver.received.map((r) => [r.json.event, r.json.connection.data]);
    assert.deepEqual(got, [
      ["connectionDestroyed", "a"],
      ["connectionCreated", "a"],
    ]);
    assert.equal(v.state().callbacks[1].state, "dropped");
    assert.ok(b.connectionId);
    // Delivery is back to normal afterwards.
    v.disconnectClient(b.connectionId);
    await v.callbacksIdle();
    assert.equal(receiver.received.length, 3);

    v.holdCallbacks();
    v.connectClient(sid, { data: "c" });
    v.connectClient(sid, { data: "d" });
    await v.releaseCallbacks({ order: "lifo" });
    assert.deepEqual(
      receiver.received.slice(3).map((r) => r.json.connection.data),
      ["d", "c"],
    );
  });

  it("re-delivers a callback as a duplicate (fresh or replayed signature) and delivers a list in a given order", async () => {
    const sid = await api.routed();
    const conn = v.connectClient(sid, { data: "dup" });
    v.disconnectClient(conn.connectionId);
    await v.callbacksIdle();
    const [created, destroyed] = v.state().callbacks;

    const dup = await v.redeliverCallback(created.seq);
    assert.equal(dup.duplicateOf, created.seq);
    assert.equal(dup.state, "delivered");
    const replay = await v.redeliverCallback(created.seq, { sameToken: true });
    assert.equal(replay.state, "delivered");
    const [first, , fresh, replayed] = receiver.received;
    assert.equal(fresh.body, first.body);
    assert.notEqual(verifyCallback(fresh).jti, verifyCallback(first).jti);
    assert.equal(replayed.headers.authorization, first.headers.authorization); // same jti: a replay

    const list = await v.deliverCallbacks([destroyed.seq, created.seq]);
    assert.deepEqual(
      list.map((r) => r.duplicateOf),
      [destroyed.seq, created.seq],
    );
    assert.deepEqual(
      receiver.received.slice(4).map((r) => r.json.event),
      ["connectionDestroyed", "connectionCreated"],
    );
  });

  it("sends custom payloads, signed with another secret or unsigned, for negative tests", async () => {
    const forged = await v.sendCallback({ payload: { event: "connectionCreated", sessionId: "x" }, signingSecret: "attacker" });
    assert.equal(forged.custom, true);
    const unsigned = await v.sendCallback({ payload: { event: "streamCreated" }, unsigned: true });
    assert.equal(unsigned.signed, false);
    const [a, b] = receiver.received;
    assert.throws(() => verifyCallback(a), /invalid signature/);
    assert.equal(b.headers.authorization, undefined);
  });

  it("sends no Authorization header when no signing secret is set, and skips when no URL is set", async () => {
    v.setCallback({ signingSecret: null });
    try {
      const sid = await api.routed();
      v.connectClient(sid, { data: "plain" });
      await v.callbacksIdle();
      assert.equal(receiver.received[0].headers.authorization, undefined);
      v.setCallback({ url: null });
      v.connectClient(sid, { data: "nowhere" });
      await v.callbacksIdle();
      assert.equal(receiver.received.length, 1);
      assert.equal(v.state().callbacks[1].state, "skipped");
    } finally {
      v.setCallback({ url: receiver.url, signingSecret: SIGNING });
    }
  });

  it("can route archive and broadcast callbacks to their own URLs", async () => {
    const archiveReceiver = await startReceiver();
    try {
      v.setCallback({ archiveUrl: archiveReceiver.url });
      const sid = await api.routed();
      v.connectClient(sid, { data: "x" });
      await api.startArchive(sid);
      await v.callbacksIdle();
      assert.deepEqual(
        receiver.received.map((r) => r.json.event),
        ["connectionCreated"],
      );
      assert.deepEqual(
        archiveReceiver.received.map((r) => [r.json.event, r.json.status]),
        [["archive", "started"]],
      );
      verifyCallback(archiveReceiver.received[0]);
    } finally {
      v.setCallback({ archiveUrl: null });
      await v.callbacksIdle();
      v.reset();
      await archiveReceiver.close();
    }
  });
});
