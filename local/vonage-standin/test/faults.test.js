// @ts-check
"use strict";

/** @typedef {import("./helpers").Json} Json */

const assert = require("node:assert/strict");
const { start, sdk, deadline, sleep, OpenTok } = require("./helpers");

describe("vonage stand-in: fault injection", () => {
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

  it("a 500 on startArchive surfaces as an SDK RequestError once, then clears", async () => {
    const sid = await api.routed();
    v.injectFault({ method: "POST", path: "/archive", status: 500 });
    await assert.rejects(api.startArchive(sid), (/** @type {Json} */ err) => {
      assert.ok(err instanceof OpenTok.RequestError);
      assert.match(err.message, /Internal server error \(injected fault\)/);
      return true;
    });
    assert.equal((await api.startArchive(sid)).status, "started");
    assert.deepEqual(v.state().faults, []);
    const [, faulted] = v
      .state()
      .requests.filter((/** @type {Json} */ r) => r.path.endsWith("/archive"))
      .reverse();
    assert.equal(faulted.status, 500);
    assert.equal(faulted.fault, 1);
  });

  it("a 429 with Retry-After on createSession fails `count` times, then clears", async () => {
    const fault = v.injectFault({ path: "/session/create", status: 429, headers: { "Retry-After": "1" }, count: 2 });
    assert.equal(fault.remaining, 2);
    await assert.rejects(api.createSession(), /Failed to createSession.*Too many requests/);
    await assert.rejects(api.createSession(), /Too many requests/);
    assert.ok((await api.createSession()).sessionId);
    const res = await fetch(`${v.url}/session/create`, { method: "POST" });
    assert.equal(res.status, 401); // cleared: back to normal handling
  });

  it("matches by method and regex path, with a custom body, until cleared", async () => {
    const sid = await api.routed();
    v.injectFault({
      method: "GET",
      path: "^/v2/project/[^/]+/archive$",
      status: 503,
      body: { code: 503, message: "maintenance" },
      count: 0,
    });
    await assert.rejects(api.listArchives(), /maintenance/);
    await assert.rejects(api.listArchives(), /maintenance/);
    assert.equal((await api.startArchive(sid)).status, "started"); // POST is not matched
    assert.equal(v.state().faults[0].remaining, "until cleared");
    v.clearFaults();
    const [items] = await api.listArchives();
    assert.equal(items.length, 1);
  });

  it("a delay beyond the SDK timeout: the SDK does not time out by itself, a caller deadline does", async () => {
    const slow = sdk(v, undefined, undefined, { timeout: 150 });
    v.injectFault({ path: "/session/create", delayMs: 600 });
    const startedAt = Date.now();
    const call = slow.createSession();
    await assert.rejects(deadline(call, 150), (/** @type {Json} */ err) => err.code === "ETIMEDOUT");
    // opentok 2.23.2 stores `timeout` but never hands it to node-fetch: the request waits.
    const session = await call;
    assert.ok(Date.now() - startedAt >= 590, "the SDK waited for the delayed answer");
    assert.ok(session.sessionId);
  });

  it("a delay with a status answers late and fails", async () => {
    v.injectFault({ path: "/session/create", delayMs: 100, status: 502 });
    const t0 = Date.now();
    await assert.rejects(api.createSession(), /Failed to createSession/);
    assert.ok(Date.now() - t0 >= 95);
  });

  it("a dropped connection is a network error; some SDK methods then never call back", async () => {
    v.injectFault({ path: "/session/create", reset: true });
    await assert.rejects(api.createSession(), /Failed to createSession.*socket hang up/);

    // signal() reads response.status of a null response, so its callback is never called and
    // the TypeError escapes as an unhandled rejection: callers need their own deadline.
    const sid = await api.routed();
    /** @type {Json[]} */
    const escaped = [];
    const onUnhandled = (/** @type {Json} */ reason) => escaped.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      v.injectFault({ path: "/signal", reset: true });
      await assert.rejects(
        deadline(api.signal(sid, null, { type: "t", data: "d" }), 300),
        (/** @type {Json} */ err) => err.code === "ETIMEDOUT",
      );
      await sleep(20);
    } finally {
      process.removeListener("unhandledRejection", onUnhandled);
    }
    // (mocha re-emits the event, so the listener may see it twice)
    assert.ok(escaped.length >= 1);
    for (const e of escaped) assert.match(e.message, /Cannot read properties of null \(reading 'status'\)/);
  });

  it("an exception thrown in an SDK callback makes the SDK call it again with that error", async () => {
    /** @type {Json[]} */
    const calls = [];
    await new Promise((/** @type {(value?: unknown) => void} */ resolve) => {
      api.ot.listArchives({}, (/** @type {Json} */ err) => {
        calls.push(err);
        if (calls.length === 1) throw new Error("bug in caller code");
        resolve();
      });
    });
    assert.equal(calls.length, 2);
    assert.equal(calls[0], null);
    assert.match(calls[1].message, /bug in caller code/);
  });

  it("rejects malformed fault specs and never applies faults to the control API", async () => {
    assert.throws(() => v.injectFault({ path: "/x" }), /at least one of status, delayMs or reset/);
    assert.throws(() => v.injectFault({ status: 99 }), /HTTP status/);
    assert.throws(() => v.injectFault({ status: 500, count: -1 }), /count/);
    v.injectFault({ status: 500, count: 0 }); // every REST path
    const res = await fetch(`${v.url}/_control/state`);
    assert.equal(res.status, 200);
    assert.equal(/** @type {Json} */ (await res.json()).faults.length, 1);
    await assert.rejects(api.createSession(), /Failed to createSession/);
  });
});
