// @ts-check
"use strict";

/** @typedef {import("./helpers").Json} Json */

// Each Vonage application (or project) has its own callback URL and signature secret: its callbacks
// use them, everyone else's the global settings.

const assert = require("node:assert/strict");
const jwt = require("jsonwebtoken");
const { KEY, KEY2, SECRET2, start, sdk, startReceiver } = require("./helpers");

const GLOBAL = "global-signing-secret-0123456789";
const OWN = "project-two-signing-secret-abcdef";

const tokenOf = (/** @type {import("./helpers").Received} */ entry) =>
  /** @type {RegExpExecArray} */ (/^Bearer (.+)$/.exec(entry.headers.authorization || ""))[1];

describe("vonage stand-in: per-owner callback settings", () => {
  /** @type {import("../lib/types").VonageStandin} */
  let v;
  /** @type {import("./helpers").Receiver} */
  let shared;
  /** @type {import("./helpers").Receiver} */
  let own;
  before(async () => {
    shared = await startReceiver();
    own = await startReceiver();
    v = await start({ callbackUrl: shared.url, callbackSigningSecret: GLOBAL });
  });
  after(async () => {
    await v.close();
    await shared.close();
    await own.close();
  });

  it("signs and sends an owner's callbacks with its own secret and URL, the others' with the global ones", async () => {
    assert.deepEqual(v.setCallback({ owner: KEY2, url: `${own.url}?tenant=t2`, signingSecret: OWN }), {
      owner: KEY2,
      url: `${own.url}?tenant=t2`,
      signed: true,
    });
    const one = await sdk(v).routed();
    const two = await sdk(v, KEY2, SECRET2).routed();
    v.connectClient(one, { data: "a" });
    v.connectClient(two, { data: "b" });
    await v.callbacksIdle();
    assert.deepEqual(
      shared.received.map((entry) => entry.json.sessionId),
      [one],
    );
    assert.deepEqual(
      own.received.map((entry) => [entry.path.endsWith("?tenant=t2"), entry.json.sessionId]),
      [[true, two]],
    );
    assert.equal(/** @type {Json} */ (jwt.verify(tokenOf(shared.received[0]), GLOBAL, { algorithms: ["HS256"] })).api_key, KEY);
    assert.equal(/** @type {Json} */ (jwt.verify(tokenOf(own.received[0]), OWN, { algorithms: ["HS256"] })).api_key, KEY2);
    assert.throws(() => jwt.verify(tokenOf(own.received[0]), GLOBAL, { algorithms: ["HS256"] }), /invalid signature/);
  });

  it("clears an owner's settings with nulls and refuses malformed ones", async () => {
    assert.deepEqual(v.setCallback({ owner: KEY2, url: null, signingSecret: null }), { owner: KEY2, url: null, signed: false });
    shared.received.length = 0;
    const two = await sdk(v, KEY2, SECRET2).routed();
    v.connectClient(two, { data: "c" });
    await v.callbacksIdle();
    assert.equal(shared.received.length, 1);
    jwt.verify(tokenOf(shared.received[0]), GLOBAL, { algorithms: ["HS256"] });
    assert.throws(() => v.setCallback({ owner: "", signingSecret: "x" }), /owner must be/);
    assert.throws(() => v.setCallback({ owner: KEY2, signingSecret: 5 }), /signingSecret must be/);
    assert.throws(() => v.setCallback({ owner: KEY2, url: "not a url" }), /not a URL/);
  });
});
