// @ts-check
"use strict";

/** @typedef {import("./helpers").Json} Json */

// What the web app's pages on the Hosting emulator need from the stand-in: CORS for loopback origins
// on the control API and the HLS placeholder, and one session's clients and streams.

const assert = require("node:assert/strict");
const { start, sdk } = require("./helpers");

describe("vonage stand-in: browser pages", () => {
  /** @type {import("../lib/types").VonageStandin} */
  let v;
  /** @type {import("./helpers").Sdk} */
  let api;
  before(async () => {
    v = await start();
    api = sdk(v);
  });
  beforeEach(() => v.reset());
  after(() => v.close());

  it("answers a loopback page's preflight and adds its origin to control answers", async () => {
    const origin = "http://127.0.0.1:5002";
    const preflight = await fetch(`${v.url}/_control/state`, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get("access-control-allow-origin"), origin);
    assert.match(String(preflight.headers.get("access-control-allow-methods")), /POST/);
    assert.match(String(preflight.headers.get("access-control-allow-headers")), /content-type/);
    const state = await fetch(`${v.url}/_control/state`, { headers: { origin: "http://localhost:5173" } });
    assert.equal(state.status, 200);
    assert.equal(state.headers.get("access-control-allow-origin"), "http://localhost:5173");
  });

  it("gives other origins no CORS headers and refuses their preflight", async () => {
    const preflight = await fetch(`${v.url}/_control/state`, {
      method: "OPTIONS",
      headers: { origin: "https://example.com", "access-control-request-method": "POST" },
    });
    assert.equal(preflight.status, 403);
    assert.equal(preflight.headers.get("access-control-allow-origin"), null);
    const state = await fetch(`${v.url}/_control/state`, { headers: { origin: "http://127.0.0.1.example.com" } });
    assert.equal(state.headers.get("access-control-allow-origin"), null);
  });

  it("REST paths get no CORS headers (only servers call them)", async () => {
    const res = await fetch(`${v.url}/session/create`, { method: "POST", headers: { origin: "http://127.0.0.1:5002" } });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get("access-control-allow-origin"), null);
  });

  it("serves the HLS placeholder to a loopback page", async () => {
    const sid = await api.routed();
    v.connectClient(sid, { data: "x", role: "publisher" });
    const broadcast = await api.startBroadcast(sid, { outputs: { hls: {} } });
    const res = await fetch(broadcast.broadcastUrls.hls, { headers: { origin: "http://127.0.0.1:5002" } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("access-control-allow-origin"), "http://127.0.0.1:5002");
    assert.match(await res.text(), /^#EXTM3U/);
  });

  it("GET /_control/sessions/{id} lists one session's connections and streams", async () => {
    const sid = await api.routed();
    const other = await api.routed();
    const publisher = v.connectClient(sid, { data: "a", role: "publisher" });
    v.connectClient(sid, { data: "b", role: "subscriber" });
    v.connectClient(other, { data: "c", role: "publisher" });
    const stream = v.createStream(publisher.connectionId, { name: "Host", videoType: "camera" });
    const res = await fetch(`${v.url}/_control/sessions/${encodeURIComponent(sid)}`);
    assert.equal(res.status, 200);
    /** @type {Json} */
    const body = await res.json();
    assert.equal(body.id, sid);
    assert.deepEqual(
      body.connections.map((/** @type {Json} */ c) => c.role),
      ["publisher", "subscriber"],
    );
    assert.equal(body.streams.length, 1);
    assert.equal(body.streams[0].id, stream.id);
    assert.equal(body.streams[0].name, "Host");
    assert.equal(body.streams[0].connectionId, publisher.connectionId);
    assert.equal((await fetch(`${v.url}/_control/sessions/2_unknown`)).status, 404);
  });
});
