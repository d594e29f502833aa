// @ts-check
"use strict";

/** @typedef {import("./helpers").Json} Json */

const assert = require("node:assert/strict");
const path = require("node:path");
const net = require("node:net");
const { spawn } = require("node:child_process");
const { KEY, SECRET, start, sdk, startReceiver } = require("./helpers");

const CLI = path.join(__dirname, "..", "cli.js");

/**
 * @param {{ url: string }} v
 * @param {string} method
 * @param {string} p the path under /_control
 * @param {unknown} [body]
 */
async function control(v, method, p, body) {
  const res = await fetch(`${v.url}/_control${p}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

/** @param {string[]} args */
function runCli(args) {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const out = { stdout: "", stderr: "" };
  child.stdout.on("data", (d) => {
    out.stdout += d;
  });
  child.stderr.on("data", (d) => {
    out.stderr += d;
  });
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, ...out })));
  const firstLine = new Promise((resolve, reject) => {
    const check = () => {
      if (out.stdout.includes("\n")) resolve(out.stdout.split("\n")[0]);
    };
    child.stdout.on("data", check);
    void exited.then(() => reject(new Error(`cli exited early: ${out.stderr}`)));
  });
  return { child, firstLine, exited };
}

describe("vonage stand-in: control HTTP API", () => {
  /** @type {import("../lib/types").VonageStandin} */
  let v;
  /** @type {import("./helpers").Receiver} */
  let receiver;
  before(async () => {
    receiver = await startReceiver();
    v = await start();
  });
  after(async () => {
    await v.close();
    await receiver.close();
  });

  it("drives projects, sessions, clients, streams, faults and callbacks over HTTP", async () => {
    assert.equal((await control(v, "POST", "/projects", { apiKey: "42424242", secret: "z".repeat(40) })).status, 201);
    assert.equal((await control(v, "PUT", "/callback", { url: receiver.url, signingSecret: "sig" })).json.signed, true);

    const {
      json: { sessionId },
    } = await control(v, "POST", "/sessions", { apiKey: KEY });
    const api = sdk(v);
    const bad = await control(v, "POST", `/sessions/${sessionId}/connections`, { token: "garbage" });
    assert.equal(bad.status, 401);
    assert.equal(bad.json.code, 401);

    const fan = await control(v, "POST", `/sessions/${sessionId}/connections`, { token: api.token(sessionId, { role: "subscriber" }) });
    assert.equal(fan.status, 201);
    const denied = await control(v, "POST", `/connections/${fan.json.connectionId}/streams`, { name: "x" });
    assert.equal(denied.status, 403);

    const host = await control(v, "POST", `/sessions/${sessionId}/connections`, { data: "host", role: "publisher" });
    const stream = await control(v, "POST", `/connections/${host.json.connectionId}/streams`, { name: "cam" });
    assert.equal(stream.status, 201);
    assert.equal((await control(v, "DELETE", `/streams/${stream.json.id}?reason=mediaStopped`)).json.reason, "mediaStopped");
    assert.equal((await control(v, "DELETE", `/sessions/${sessionId}/connections/${host.json.connectionId}`)).status, 200);

    assert.equal((await control(v, "POST", "/faults", { path: "/session/create", status: 500 })).status, 201);
    assert.equal((await control(v, "GET", "/faults")).json.length, 1);
    assert.equal((await control(v, "DELETE", "/faults")).status, 204);

    await control(v, "POST", "/callbacks/idle");
    await control(v, "POST", "/callbacks/hold");
    await control(v, "POST", `/sessions/${sessionId}/connections`, { data: "late-1" });
    await control(v, "POST", `/sessions/${sessionId}/connections`, { data: "late-2" });
    const released = await control(v, "POST", "/callbacks/release", { order: "lifo" });
    assert.equal(released.json.released.length, 2);
    const datas = receiver.received.map((r) => r.json.connection && r.json.connection.data);
    assert.deepEqual(datas.slice(-2), ["late-2", "late-1"]);

    const { json: cbs } = await control(v, "GET", "/callbacks");
    const last = cbs[cbs.length - 1];
    const dup = await control(v, "POST", `/callbacks/${last.seq}/redeliver`, { sameToken: true });
    assert.equal(dup.json.duplicateOf, last.seq);
    const many = await control(v, "POST", "/callbacks/deliver", { seqs: [cbs[0].seq, cbs[1].seq] });
    assert.equal(many.json.length, 2);
    const sent = await control(v, "POST", "/callbacks/send", { payload: { event: "custom" } });
    assert.equal(sent.json.state, "delivered");

    const archive = await api.startArchive(sessionId);
    const failed = await control(v, "POST", `/archives/${archive.id}/status`, { status: "failed", reason: "disk" });
    assert.equal(failed.json.status, "failed");

    const state = await control(v, "GET", "/state");
    assert.ok(state.json.projects.includes("42424242"));
    assert.equal(state.json.options.callbackSigningSecret, "(set)");
    assert.equal(JSON.stringify(state.json).includes(SECRET), false, "state never shows secrets");

    assert.equal((await control(v, "PUT", "/options", { nope: 1 })).status, 400);
    assert.equal((await control(v, "PUT", "/options", { archiveReadyMs: 10 })).json.archiveReadyMs, 10);
    assert.equal((await control(v, "GET", "/nope")).status, 404);
    await control(v, "POST", "/callbacks/idle");
    assert.equal((await control(v, "POST", "/reset")).status, 200);
    const after = (await control(v, "GET", "/state")).json;
    assert.deepEqual([after.sessions.length, after.archives.length, after.callbacks.length], [0, 0, 0]);
  });
});

describe("vonage stand-in: CLI", () => {
  it("prints its address, serves the SDK, and stops cleanly on SIGTERM", async () => {
    const { child, firstLine, exited } = runCli(["--port", "0", "--project", `${KEY}:${SECRET}`, "--project", "11111111:sec:with:colons"]);
    const line = await firstLine;
    const m = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(line);
    assert.ok(m, line);
    const api = sdk({ url: m[1] });
    const s = await api.createSession();
    assert.ok(api.token(s.sessionId));
    const other = sdk({ url: m[1] }, "11111111", "sec:with:colons");
    assert.ok((await other.createSession()).sessionId);
    child.kill("SIGTERM");
    const result = await exited;
    assert.equal(result.code, 0);
    assert.match(result.stdout, /stopped \(SIGTERM\)/);
  });

  it("stops cleanly on SIGINT", async () => {
    const { child, firstLine, exited } = runCli(["--port=0", `--project=${KEY}:${SECRET}`]);
    await firstLine;
    child.kill("SIGINT");
    const r = await exited;
    assert.equal(r.code, 0, JSON.stringify(r));
  });

  it("exits with a one-line message naming the port when it is taken", async () => {
    const blocker = net.createServer();
    await new Promise((/** @type {(value?: unknown) => void} */ r) => blocker.listen(0, "127.0.0.1", r));
    const { port } = /** @type {import("node:net").AddressInfo} */ (blocker.address());
    try {
      const { exited } = runCli(["--port", String(port), "--project", `${KEY}:${SECRET}`]);
      const result = await exited;
      assert.equal(result.code, 1);
      assert.match(result.stderr, new RegExp(`Port ${port} .*already in use`));
      assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
      assert.equal(result.stderr.trim().split("\n").length, 1);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it("rejects the programmatic start with EADDRINUSE naming the port", async () => {
    const v = await start();
    try {
      await assert.rejects(
        start({ port: v.port }),
        (/** @type {Json} */ err) => err.code === "EADDRINUSE" && err.message.includes(`Port ${v.port}`),
      );
    } finally {
      await v.close();
    }
  });

  it("explains bad arguments", async () => {
    const r1 = await runCli(["--port", "0"]).exited;
    assert.equal(r1.code, 2);
    assert.match(r1.stderr, /--project KEY:SECRET is required/);
    const r2 = await runCli(["--project", "nocolon"]).exited;
    assert.match(r2.stderr, /must be KEY:SECRET/);
  });
});
