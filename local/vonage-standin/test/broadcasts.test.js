// @ts-check
"use strict";

/** @typedef {import("./helpers").Json} Json */

const assert = require("node:assert/strict");
const jwt = require("jsonwebtoken");
const { KEY, SECRET, start, sdk, raw, startReceiver, waitFor } = require("./helpers");

const auth = () => {
  const iat = Math.floor(Date.now() / 1000);
  return jwt.sign({ iss: KEY, ist: "project", iat, exp: iat + 300 }, SECRET, { algorithm: "HS256" });
};

const rtmp = (/** @type {number} */ n) =>
  Array.from({ length: n }, (_, i) => ({ id: `out${i}`, serverUrl: "rtmp://live.example.com/app", streamName: `key${i}` }));

describe("vonage stand-in: broadcasts", () => {
  /** @type {import("../lib/types").VonageStandin} */
  let v;
  /** @type {import("./helpers").Sdk} */
  let api;
  /** @type {import("./helpers").Receiver} */
  let receiver;
  before(async () => {
    receiver = await startReceiver();
    v = await start({ callbackUrl: receiver.url, broadcastLiveMs: 20 });
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

  it("starts an HLS + RTMP broadcast whose playlist URL serves a valid playlist", async () => {
    const sid = await api.routed();
    const b = await api.startBroadcast(sid, {
      outputs: { hls: { lowLatency: true }, rtmp: rtmp(2) },
      maxDuration: 5400,
      resolution: "1280x720",
      layout: { type: "bestFit", screenshareType: "horizontalPresentation" },
    });
    assert.equal(b.status, "started");
    assert.equal(b.sessionId, sid);
    assert.equal(b.projectId, KEY);
    assert.equal(b.maxDuration, 5400);
    assert.equal(b.streamMode, "auto"); // the SDK adds it
    assert.match(b.broadcastUrls.hls, /^http:\/\/127\.0\.0\.1:\d+\/_media\/hls\/[^/]+\/index\.m3u8$/);
    assert.deepEqual(
      b.broadcastUrls.rtmp.map((/** @type {Json} */ r) => [r.id, r.status]),
      [
        ["out0", "connecting"],
        ["out1", "connecting"],
      ],
    );

    const live = await waitFor(async () => {
      const got = await api.getBroadcast(b.id);
      return got.broadcastUrls.rtmp.every((/** @type {Json} */ r) => r.status === "live") && got;
    });
    assert.equal(live.broadcastUrls.hlsStatus, "live");

    const playlist = await fetch(b.broadcastUrls.hls);
    assert.equal(playlist.status, 200);
    assert.equal(playlist.headers.get("content-type"), "application/vnd.apple.mpegurl");
    const text = await playlist.text();
    assert.match(text, /^#EXTM3U\n/);
    assert.match(text, /#EXT-X-TARGETDURATION:\d+/);
    assert.doesNotMatch(text, /#EXT-X-ENDLIST/);
    const segment = /** @type {string} */ (text.split("\n").find((l) => l.endsWith(".ts")));
    const seg = await fetch(new URL(segment, b.broadcastUrls.hls));
    assert.equal(seg.status, 200);
    const bytes = Buffer.from(await seg.arrayBuffer());
    assert.equal(bytes.length % 188, 0);
    assert.equal(bytes[0], 0x47); // MPEG-TS sync byte

    const stopped = await api.stopBroadcast(b.id);
    assert.equal(stopped.status, "stopped");
    assert.ok(stopped.broadcastUrls.rtmp.every((/** @type {Json} */ r) => r.status === "offline"));
    assert.match(await (await fetch(b.broadcastUrls.hls)).text(), /#EXT-X-ENDLIST/);

    await v.callbacksIdle();
    const events = receiver.received.map((r) => [r.json.event, r.json.status, r.json.id]);
    assert.deepEqual(events, [
      ["broadcast", "started", b.id],
      ["broadcast", "stopped", b.id],
    ]);
  });

  it("answers 409 for a second broadcast unless the multiBroadcastTag differs, and 409 on a second stop", async () => {
    const sid = await api.routed();
    const first = await api.startBroadcast(sid, { outputs: { hls: {} } });
    await assert.rejects(api.startBroadcast(sid, { outputs: { hls: {} } }), /Failed to start broadcast.*already started/);
    const tagged = await api.startBroadcast(sid, { outputs: { rtmp: rtmp(1) }, multiBroadcastTag: "youtube" });
    assert.equal(tagged.multiBroadcastTag, "youtube");
    assert.equal(tagged.broadcastUrls.hls, undefined);
    await api.stopBroadcast(first.id);
    await assert.rejects(api.stopBroadcast(first.id), /Failed to stop broadcast/);
    const res = await raw(v, "POST", `/v2/project/${KEY}/broadcast/${first.id}/stop`, { auth: auth(), body: {} });
    assert.equal(res.status, 409);
    assert.match(res.json.message, /already stopped/);
  });

  it("answers 400 for bad outputs", async () => {
    const sid = await api.routed();
    const bad = [
      {},
      { outputs: {} },
      { outputs: { rtmp: rtmp(6) } },
      { outputs: { rtmp: [{ serverUrl: "http://not-rtmp", streamName: "x" }] } },
      { outputs: { rtmp: [{ serverUrl: "rtmp://host/app" }] } },
      { outputs: { rtmp: { serverUrl: "rtmp://host/app", streamName: "x" } } },
      { outputs: { hls: { dvr: true, lowLatency: true } } },
      { outputs: { hls: {} }, maxDuration: 10 },
      { outputs: { hls: {} }, resolution: "123x456" },
    ];
    for (const body of bad) {
      const res = await raw(v, "POST", `/v2/project/${KEY}/broadcast`, { auth: auth(), body: { sessionId: sid, ...body } });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.json.code, 400);
    }
    // Through the SDK a 400 surfaces with the SDK's own (misleading) text.
    await assert.rejects(api.startBroadcast(sid, { outputs: { rtmp: rtmp(6) } }), /Bad session ID/);
    assert.equal(v.state().broadcasts.length, 0);
  });

  it("answers 404 for unknown sessions and broadcasts", async () => {
    await assert.rejects(api.startBroadcast("1_MX4xMjM0NTY3OH5-bm9wZX4", { outputs: { hls: {} } }), /Not Found/);
    await assert.rejects(api.getBroadcast("00000000-0000-0000-0000-000000000000"), /Not Found/);
    await assert.rejects(api.stopBroadcast("00000000-0000-0000-0000-000000000000"), /Not Found/);
    assert.equal((await fetch(`${v.url}/_media/hls/nope/index.m3u8`)).status, 404);
  });

  it("lists broadcasts and changes the layout of a running one", async () => {
    const s1 = await api.routed();
    const s2 = await api.routed();
    const b1 = await api.startBroadcast(s1, { outputs: { hls: {} } });
    const b2 = await api.startBroadcast(s2, { outputs: { hls: { dvr: true } } });
    const [all, count] = await api.listBroadcasts();
    assert.equal(count, 2);
    assert.deepEqual(
      all.map((/** @type {Json} */ b) => b.id),
      [b2.id, b1.id],
    );
    const [only] = await api.listBroadcasts({ sessionId: s1 });
    assert.deepEqual(
      only.map((/** @type {Json} */ b) => b.id),
      [b1.id],
    );
    await api.setBroadcastLayout(b1.id, "verticalPresentation");
    assert.equal(v.state().broadcasts.find((/** @type {Json} */ b) => b.id === b1.id)?.layout.type, "verticalPresentation");
    assert.deepEqual((await api.getBroadcast(b2.id)).settings, { hls: { dvr: true, lowLatency: false } });
  });

  it("can require a connected client before a broadcast starts (option, off by default)", async () => {
    v.setOptions({ requireClientForBroadcast: true });
    try {
      const sid = await api.routed();
      const res = await raw(v, "POST", `/v2/project/${KEY}/broadcast`, { auth: auth(), body: { sessionId: sid, outputs: { hls: {} } } });
      assert.equal(res.status, 400);
      assert.match(res.json.message, /no connected clients/);
      v.connectClient(sid, { data: "host" });
      const b = await api.startBroadcast(sid, { outputs: { hls: {} } });
      assert.equal(b.status, "started");
    } finally {
      v.setOptions({ requireClientForBroadcast: false });
    }
  });

  it("refuses to broadcast a relayed session", async () => {
    const { sessionId } = await api.createSession({});
    const res = await raw(v, "POST", `/v2/project/${KEY}/broadcast`, { auth: auth(), body: { sessionId, outputs: { hls: {} } } });
    assert.equal(res.status, 409);
  });
});
