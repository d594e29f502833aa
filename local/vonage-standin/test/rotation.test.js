// @ts-check
"use strict";

/** @typedef {import("./helpers").Json} Json */

const assert = require("node:assert/strict");
const jwt = require("jsonwebtoken");
const { KEY, SECRET, start, sdk, raw, startReceiver, waitFor } = require("./helpers");

const restAuth = () => {
  const iat = Math.floor(Date.now() / 1000);
  return jwt.sign({ iss: KEY, ist: "project", iat, exp: iat + 300 }, SECRET, { algorithm: "HS256" });
};

describe("vonage stand-in: server rotation and failures", () => {
  /** @type {import("../lib/types").VonageStandin} */
  let v;
  /** @type {import("./helpers").Sdk} */
  let api;
  /** @type {import("./helpers").Receiver} */
  let receiver;
  /** @type {import("./helpers").RawCall} */
  const control = (method, path, body) => raw(v, method, path, { body });
  const events = () => receiver.received.map((entry) => entry.json);

  before(async () => {
    receiver = await startReceiver();
    v = await start({ callbackUrl: receiver.url, broadcastLiveMs: 20, archiveReadyMs: 20 });
    api = sdk(v);
  });
  beforeEach(async () => {
    await v.callbacksIdle();
    v.reset();
    receiver.received.length = 0;
  });
  after(async () => {
    await v.close();
    await receiver.close();
  });

  async function show() {
    const sid = await api.routed();
    const host = v.connectClient(sid, { data: "host" });
    v.createStream(host.connectionId, { name: "host" });
    const archive = await api.startArchive(sid, { name: "stage" });
    const broadcast = await api.startBroadcast(sid, { outputs: { hls: {} } });
    await v.callbacksIdle();
    receiver.received.length = 0;
    return { sid, host, archive, broadcast };
  }

  it("rotates a session: sessionNotification, sessionDestroyed (serverRotation), then archive and broadcast end; clients stay", async () => {
    const { sid, host, archive, broadcast } = await show();
    const answer = await control("POST", `/_control/sessions/${sid}/rotate`, { notify: true });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.json, { sessionId: sid, status: "stopped", archives: [archive.id], broadcasts: [broadcast.id] });
    await v.callbacksIdle();
    const got = events();
    assert.deepEqual(
      got.slice(0, 4).map((e) => [e.event, e.reason ?? null, e.status ?? null]),
      [
        ["sessionNotification", null, null],
        ["sessionDestroyed", "serverRotation", null],
        ["archive", "session ended: server rotation", "stopped"],
        ["broadcast", null, "stopped"],
      ],
    );
    assert.equal(got[1].sessionId, sid);
    assert.equal(got[1].projectId, KEY);
    assert.equal(typeof got[1].timestamp, "number");
    // The stopped archive still becomes available, as after any stop.
    await waitFor(() => events().some((e) => e.event === "archive" && e.status === "available"));
    assert.equal((await api.getBroadcast(broadcast.id)).status, "stopped");
    // Session migration keeps the session and its clients: a new archive and broadcast start at once.
    assert.ok(
      v
        .state()
        .sessions.find((/** @type {Json} */ s) => s.id === sid)
        ?.connections.some((/** @type {Json} */ c) => c.connectionId === host.connectionId),
    );
    const again = await api.startArchive(sid, { name: "stage" });
    assert.notEqual(again.id, archive.id);
    const next = await api.startBroadcast(sid, { outputs: { hls: {} } });
    assert.notEqual(next.broadcastUrls.hls, broadcast.broadcastUrls.hls, "a new broadcast has a new HLS URL");
  });

  it("rotates with failed ends and the session callback last when asked; refuses bad options and unknown sessions", async () => {
    const { sid, archive, broadcast } = await show();
    const answer = await control("POST", `/_control/sessions/${sid}/rotate`, { status: "failed", order: "resourcesFirst" });
    assert.equal(answer.status, 200);
    await v.callbacksIdle();
    assert.deepEqual(
      events().map((e) => [e.event, e.id ?? null, e.status ?? e.reason]),
      [
        ["archive", archive.id, "failed"],
        ["broadcast", broadcast.id, "failed"],
        ["sessionDestroyed", null, "serverRotation"],
      ],
    );
    assert.equal((await api.getArchive(archive.id)).status, "failed");
    assert.equal((await api.getBroadcast(broadcast.id)).status, "failed");
    // Nothing runs any more: a second rotation ends nothing.
    const second = await control("POST", `/_control/sessions/${sid}/rotate`, {});
    assert.deepEqual([second.json.archives, second.json.broadcasts], [[], []]);

    assert.equal((await control("POST", `/_control/sessions/${sid}/rotate`, { status: "paused" })).status, 400);
    assert.equal((await control("POST", `/_control/sessions/${sid}/rotate`, { order: "later" })).status, 400);
    assert.equal((await control("POST", `/_control/sessions/${sid}/rotate`, { notify: "yes" })).status, 400);
    assert.equal((await control("POST", "/_control/sessions/1_nope/rotate", {})).status, 404);
    assert.equal((await control("POST", "/_control/sessions/1_nope/rotation-notice", {})).status, 404);
  });

  it("sends the advance notice alone: nothing stops", async () => {
    const { sid, archive, broadcast } = await show();
    const answer = await control("POST", `/_control/sessions/${sid}/rotation-notice`);
    assert.deepEqual(answer.json, { sessionId: sid, notified: true });
    await v.callbacksIdle();
    assert.deepEqual(
      events().map((e) => e.event),
      ["sessionNotification"],
    );
    assert.equal((await api.getArchive(archive.id)).status, "started");
    assert.equal((await api.getBroadcast(broadcast.id)).status, "started");
  });

  it("fails one broadcast (failed callback, the session may broadcast again) and one archive", async () => {
    const { sid, archive, broadcast } = await show();
    const failed = await control("POST", `/_control/broadcasts/${broadcast.id}/status`, { status: "failed" });
    assert.equal(failed.status, 200);
    assert.equal(failed.json.status, "failed");
    assert.equal(failed.json.broadcastUrls.hlsStatus, "ended");
    assert.equal((await control("POST", `/_control/broadcasts/${broadcast.id}/status`, { status: "failed" })).status, 409);
    assert.equal((await control("POST", `/_control/broadcasts/${broadcast.id}/status`, { status: "live" })).status, 400);
    assert.equal((await control("POST", "/_control/broadcasts/nope/status", { status: "failed" })).status, 404);
    const archiveFailed = await control("POST", `/_control/archives/${archive.id}/status`, { status: "failed", reason: "disk" });
    assert.equal(archiveFailed.json.status, "failed");
    await v.callbacksIdle();
    assert.deepEqual(
      events().map((e) => [e.event, e.id, e.status]),
      [
        ["broadcast", broadcast.id, "failed"],
        ["archive", archive.id, "failed"],
      ],
    );
    // A failed broadcast no longer blocks a new one on the session.
    const next = await api.startBroadcast(sid, { outputs: { hls: {} } });
    assert.equal(next.status, "started");
    const listed = await api.listBroadcasts({ sessionId: sid });
    assert.deepEqual(listed[0].map((/** @type {Json} */ b) => b.status).sort(), ["failed", "started"]);
  });

  it("answers 404 for force-disconnect, mute and signal of unknown connections, streams and sessions", async () => {
    const sid = await api.routed();
    const P = `/v2/project/${KEY}/session`;
    /** @type {import("./helpers").RawCall} */
    const rest = (method, path, body) => raw(v, method, path, { auth: restAuth(), body });
    assert.equal((await rest("DELETE", `${P}/${sid}/connection/nope`)).status, 404);
    assert.equal((await rest("DELETE", `${P}/1_nope/connection/nope`)).status, 404);
    assert.equal((await rest("POST", `${P}/${sid}/stream/nope/mute`, {})).status, 404);
    assert.equal((await rest("POST", `${P}/1_nope/mute`, { active: true })).status, 404);
    assert.equal((await rest("POST", `${P}/${sid}/connection/nope/signal`, { type: "t", data: "d" })).status, 404);
    assert.equal((await rest("POST", `${P}/1_nope/signal`, { type: "t", data: "d" })).status, 404);
  });
});
