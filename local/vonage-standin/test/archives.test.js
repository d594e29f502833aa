// @ts-check
"use strict";

/** @typedef {import("./helpers").Json} Json */

const assert = require("node:assert/strict");
const { start, sdk, startReceiver, waitFor } = require("./helpers");

describe("vonage stand-in: archives", () => {
  /** @type {import("../lib/types").VonageStandin} */
  let v;
  /** @type {import("./helpers").Sdk} */
  let api;
  /** @type {import("./helpers").Receiver} */
  let receiver;
  before(async () => {
    receiver = await startReceiver();
    v = await start({ callbackUrl: receiver.url, archiveReadyMs: 30 });
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

  it("starts, stops, gets and lists archives with the documented fields", async () => {
    const sid = await api.routed();
    const archive = await api.startArchive(sid, { name: "Show 1", resolution: "1280x720", layout: { type: "pip" } });
    assert.equal(archive.status, "started");
    for (const f of [
      "id",
      "sessionId",
      "projectId",
      "name",
      "status",
      "createdAt",
      "duration",
      "size",
      "url",
      "reason",
      "outputMode",
      "resolution",
      "hasAudio",
      "hasVideo",
      "streamMode",
      "streams",
    ]) {
      assert.ok(f in archive, f);
    }
    assert.equal(archive.sessionId, sid);
    assert.equal(archive.name, "Show 1");
    assert.equal(archive.outputMode, "composed");
    assert.equal(archive.url, null);

    const stopped = await api.stopArchive(archive.id);
    assert.equal(stopped.status, "stopped");
    assert.equal(stopped.reason, "user initiated");

    const available = await waitFor(async () => {
      const a = await api.getArchive(archive.id);
      return a.status === "available" && a;
    });
    assert.match(available.url, /^http:\/\/127\.0\.0\.1:\d+\/_media\/archives\/.+\.mp4$/);
    assert.ok(available.size > 0);
    const file = await fetch(available.url);
    assert.equal(file.status, 200);
    assert.equal(file.headers.get("content-type"), "video/mp4");

    const second = await api.startArchive(sid, { outputMode: "individual", hasVideo: false });
    const [items, count] = await api.listArchives({ sessionId: sid });
    assert.equal(count, 2);
    assert.deepEqual(
      items.map((/** @type {Json} */ a) => a.id),
      [second.id, archive.id],
    ); // newest first
    const [page, total] = await api.listArchives({ offset: 1, count: 1 });
    assert.equal(total, 2);
    assert.deepEqual(
      page.map((/** @type {Json} */ a) => a.id),
      [archive.id],
    );
    assert.equal(second.resolution, undefined); // composed only
  });

  it("sends archive status callbacks: started, stopped, available", async () => {
    const sid = await api.routed();
    const archive = await api.startArchive(sid);
    await api.stopArchive(archive.id);
    await waitFor(() => receiver.received.length >= 3);
    await v.callbacksIdle();
    const statuses = receiver.received.map((r) => r.json.status);
    assert.deepEqual(statuses, ["started", "stopped", "available"]);
    for (const r of receiver.received) {
      assert.equal(r.json.event, "archive");
      assert.equal(r.json.id, archive.id);
      assert.equal(r.json.sessionId, sid);
      assert.equal(r.json.partnerId, r.json.projectId);
    }
    assert.ok(receiver.received[2].json.url);
    const recorded = v.state().callbacks.map((/** @type {Json} */ c) => [c.kind, c.status, c.lastStatus]);
    assert.deepEqual(recorded, [
      ["archive", "started", 200],
      ["archive", "stopped", 200],
      ["archive", "available", 200],
    ]);
  });

  it("answers 404 for an unknown session or archive", async () => {
    await assert.rejects(api.startArchive("1_MX4xMjM0NTY3OH5-bm9wZX4"), /Session not found/);
    await assert.rejects(api.getArchive("00000000-0000-0000-0000-000000000000"), /Archive not found/);
    await assert.rejects(api.stopArchive("00000000-0000-0000-0000-000000000000"), /Archive not found/);
    await assert.rejects(api.deleteArchive("00000000-0000-0000-0000-000000000000"), /Archive not found/);
  });

  it("answers 409 for a second archive unless the multiArchiveTag differs", async () => {
    const sid = await api.routed();
    await api.startArchive(sid);
    await assert.rejects(api.startArchive(sid), (/** @type {Json} */ err) => {
      assert.match(err.message, /already being recorded/);
      return true;
    });
    const tagged = await api.startArchive(sid, { multiArchiveTag: "backup" });
    assert.equal(tagged.status, "started");
    await assert.rejects(api.startArchive(sid, { multiArchiveTag: "backup" }), /already recording/);
  });

  it("answers 409 when stopping an archive that is not recording", async () => {
    const sid = await api.routed();
    const archive = await api.startArchive(sid);
    await api.stopArchive(archive.id);
    await assert.rejects(api.stopArchive(archive.id), /not in progress/);
  });

  it("answers 409 when archiving a relayed session", async () => {
    const { sessionId } = await api.createSession({});
    await assert.rejects(api.startArchive(sessionId), /Media Router/);
  });

  it("deletes only finished archives", async () => {
    const sid = await api.routed();
    const archive = await api.startArchive(sid);
    await assert.rejects(api.deleteArchive(archive.id), /Only archives that are available/);
    await api.stopArchive(archive.id);
    await waitFor(async () => (await api.getArchive(archive.id)).status === "available");
    await api.deleteArchive(archive.id);
    await assert.rejects(api.getArchive(archive.id), /Archive not found/);
  });

  it("changes the layout of a running composed archive and validates it", async () => {
    const sid = await api.routed();
    const archive = await api.startArchive(sid);
    await api.setArchiveLayout(archive.id, "bestFit", undefined, "pip");
    assert.deepEqual(v.state().archives[0].layout, { type: "bestFit", screenshareType: "pip" });
    await assert.rejects(api.setArchiveLayout(archive.id, "custom"), /custom layout requires a stylesheet/);
    await api.setArchiveLayout(archive.id, "custom", "stream { width: 100%; }");
    assert.equal(v.state().archives[0].layout?.type, "custom");
  });

  it("adds streams to a manual-mode archive only", async () => {
    const sid = await api.routed();
    const conn = v.connectClient(sid, { data: "host" });
    const stream = v.createStream(conn.connectionId, { name: "host cam" });
    const auto = await api.startArchive(sid);
    await assert.rejects(api.addArchiveStream(auto.id, stream.id), /Unsupported Stream Mode/);
    await api.stopArchive(auto.id);
    const manual = await api.startArchive(sid, { streamMode: "manual" });
    await api.addArchiveStream(manual.id, stream.id, { hasVideo: false });
    const got = await api.getArchive(manual.id);
    assert.deepEqual(got.streams, [{ streamId: stream.id, hasAudio: true, hasVideo: false }]);
  });

  it("records an always-archived session automatically from its first stream and pauses without streams", async () => {
    const { sessionId } = await api.createSession({ mediaMode: "routed", archiveMode: "always" });
    const conn = v.connectClient(sessionId, {});
    assert.equal(v.state().archives.length, 0);
    const stream = v.createStream(conn.connectionId, {});
    const [auto] = v.state().archives;
    assert.equal(auto.status, "started");
    assert.equal(auto.auto, true);
    // A manual archive on an always-archived session needs its own multiArchiveTag.
    await assert.rejects(api.startArchive(sessionId), /already being recorded/);
    v.destroyStream(stream.id);
    assert.equal((await api.getArchive(auto.id)).status, "paused");
    v.createStream(conn.connectionId, {});
    assert.equal((await api.getArchive(auto.id)).status, "started");
  });

  it("stops archives once the last client has left for emptySessionStopMs", async () => {
    v.setOptions({ emptySessionStopMs: 20 });
    try {
      const sid = await api.routed();
      const conn = v.connectClient(sid, {});
      const archive = await api.startArchive(sid);
      v.disconnectClient(conn.connectionId);
      await waitFor(async () => (await api.getArchive(archive.id)).status !== "started");
      const a = await api.getArchive(archive.id);
      assert.ok(["stopped", "available"].includes(a.status));
      assert.match(a.reason, /all clients disconnected/);
    } finally {
      v.setOptions({ emptySessionStopMs: 60000 });
    }
  });

  it("can refuse archives with nobody connected, and can force a failed status", async () => {
    v.setOptions({ requireClientForArchive: true });
    try {
      const sid = await api.routed();
      await assert.rejects(api.startArchive(sid), /Session not found/); // the SDK's text for any 404
      v.connectClient(sid, {});
      const archive = await api.startArchive(sid);
      v.setArchiveStatus(archive.id, "failed", "upload failed");
      const got = await api.getArchive(archive.id);
      assert.equal(got.status, "failed");
      assert.equal(got.reason, "upload failed");
    } finally {
      v.setOptions({ requireClientForArchive: false });
    }
  });

  it('can finish archives as "uploaded" (upload target configured) without a url', async () => {
    v.setOptions({ archiveFinalStatus: "uploaded" });
    try {
      const sid = await api.routed();
      const archive = await api.startArchive(sid);
      await api.stopArchive(archive.id);
      const done = await waitFor(async () => {
        const a = await api.getArchive(archive.id);
        return a.status === "uploaded" && a;
      });
      assert.equal(done.url, null);
    } finally {
      v.setOptions({ archiveFinalStatus: "available" });
    }
  });
});
