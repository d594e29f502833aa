// @ts-check
"use strict";
/**
 * The module's own API: start/close, port errors, direct data access, setRules, stats, REST dump, CLI.
 */

const assert = require("node:assert/strict");
const path = require("node:path");
const { spawn } = require("node:child_process");
const { startDatabaseServer } = require("..");
const { FIXTURE_RULES, startServer, admin, client, cleanup, denied, firstValue, eventually, web } = require("./helpers");

const { ref, set, get, onValue, update, onDisconnect } = web;
const CLI = path.join(__dirname, "..", "cli.js");

describe("server API", function () {
  after(cleanup);

  it("start on port 0: port, host, url and emulatorHost", async () => {
    const server = await startServer();
    assert.ok(server.port > 0);
    assert.equal(server.host, "127.0.0.1");
    assert.equal(server.url, `http://127.0.0.1:${server.port}`);
    assert.equal(server.emulatorHost, `127.0.0.1:${server.port}`);
  });

  it("a taken port rejects with an Error that names the port", async () => {
    const first = await startServer();
    await assert.rejects(startDatabaseServer({ port: first.port, rulesFile: FIXTURE_RULES }), (/** @type {Error} */ error) => {
      assert.match(error.message, new RegExp(`port ${first.port} is already in use`));
      return true;
    });
  });

  it("rules: an object instead of a file, a missing file, and invalid rules", async () => {
    const open = await startServer({ rules: { ".read": true, ".write": true } });
    await set(ref(client(open), "anything"), 1);
    assert.equal(open.getData("anything"), 1);
    assert.throws(
      () => new (require("..").DatabaseServer)({ rulesFile: "/nonexistent/rules.json" }),
      /Cannot read the rules file \/nonexistent\/rules.json/,
    );
    assert.throws(() => open.setRules({ rules: { ".read": "auth.uid ===" } }), /Invalid database rules/);
  });

  it("getData / setData / reset, and listeners see them", async () => {
    const server = await startServer({ data: { public: { a: { text: "A" } } } });
    assert.deepEqual(server.getData(), { public: { a: { text: "A" } } });
    assert.equal(server.getData("/public/a/text"), "A");
    /** @type {unknown[]} */
    const values = [];
    onValue(ref(client(server), "public/a/text"), (snap) => values.push(snap.val()));
    await eventually(() => values.length === 1, 3000, "first value");
    server.setData("public/a/text", "B");
    await eventually(() => values.length === 2, 3000, "setData pushed");
    server.reset({ public: { a: { text: "C" } } });
    await eventually(() => values.length === 3, 3000, "reset pushed");
    assert.deepEqual(values, ["A", "B", "C"]);
    server.reset();
    assert.equal(server.getData(), null);
  });

  it("setRules() applies at once and revokes listens the new rules deny", async () => {
    const server = await startServer({ rules: { rules: { ".read": true, ".write": true } } });
    const db = client(server, { sub: "u1" });
    await set(ref(db, "room/topic"), "x");
    const errors = [];
    onValue(
      ref(db, "room"),
      () => {},
      (error) => errors.push(error),
    );
    await firstValue(ref(db, "room"));
    server.setRules({ rules: { room: { ".read": false, ".write": 'auth.uid === "u2"' } } });
    await eventually(() => errors.length === 1, 3000, "revoked listen");
    await denied(set(ref(db, "room/topic"), "y"), "write under the new rules");
  });

  it("stats(): requests per wire action and connection kind; resetStats()", async () => {
    const server = await startServer();
    const adminDb = admin(server);
    const fan = client(server, { sub: "fan-1" });
    await adminDb.ref("public/a").get(); // connects and authenticates
    await get(ref(fan, "public/a"));
    server.resetStats();
    await adminDb.ref("public/a").set({ text: "x" }); // p
    await adminDb.ref("public").update({ "b/text": "y" }); // m
    await adminDb.ref("public/a").once("value"); // q + n
    await adminDb.ref("public/a").get(); // g
    await set(ref(fan, "public/c"), { text: "z" }); // p
    await denied(update(ref(fan, "adminOnly"), { x: 1 }), "fan update"); // m (denied still counts)
    await onDisconnect(ref(fan, "presence/fan-1")).set(false); // o
    await onDisconnect(ref(fan, "presence/fan-1")).update({ a: 1 }); // om
    await onDisconnect(ref(fan, "presence/fan-1")).cancel(); // oc
    const stats = await eventually(
      () => {
        const s = server.stats();
        return s.admin.n === 1 ? s : null;
      },
      3000,
      "unlisten counted",
    );
    assert.deepEqual(
      { p: stats.admin.p, m: stats.admin.m, q: stats.admin.q, n: stats.admin.n, g: stats.admin.g, total: stats.admin.total },
      { p: 1, m: 1, q: 1, n: 1, g: 1, total: 5 },
    );
    assert.deepEqual(
      { p: stats.client.p, m: stats.client.m, o: stats.client.o, om: stats.client.om, oc: stats.client.oc, total: stats.client.total },
      { p: 1, m: 1, o: 1, om: 1, oc: 1, total: 5 },
    );
    assert.equal(stats.all.total, 10);
    assert.deepEqual(stats.connections.open, { admin: 1, client: 1 });
    assert.ok(stats.admin.pushed >= 1, "data pushes are counted too");
    // The admin wrote {"text":"x"} (12 bytes) and {"b/text":"y"} (14 bytes).
    assert.equal(stats.admin.writtenBytes, 26, "bytes written, as JSON");

    client(server, { sub: "late" });
    const late = client(server, { sub: "late-2" });
    await get(ref(late, "public/a"));
    const after = server.stats();
    assert.equal(after.client.auth, 1, "auth of the new connection");
    assert.equal(after.client.g, 1);
    server.resetStats();
    assert.equal(server.stats().all.total, 0);
  });

  it("GET /path.json returns the admin view (debug dumps)", async () => {
    const server = await startServer({ data: { adminOnly: { secret: 1 }, "a b": { c: true } } });
    const dump = await (await fetch(`${server.url}/.json`)).json();
    assert.deepEqual(dump, { adminOnly: { secret: 1 }, "a b": { c: true } });
    assert.equal(await (await fetch(`${server.url}/adminOnly/secret.json`)).json(), 1);
    assert.equal(await (await fetch(`${server.url}/a%20b/c.json?ns=whatever`)).json(), true);
    assert.equal(await (await fetch(`${server.url}/missing.json`)).json(), null);
    assert.equal((await fetch(`${server.url}/nothing`)).status, 404);
    assert.equal((await fetch(`${server.url}/x.json`, { method: "PUT", body: "1" })).status, 405);
  });

  it("close() ends client connections and frees the port", async () => {
    const server = await startDatabaseServer({ port: 0, rulesFile: FIXTURE_RULES });
    await get(ref(client(server), "public"));
    await server.close();
    const again = await startDatabaseServer({ port: server.port, rulesFile: FIXTURE_RULES });
    await again.close();
  });

  describe("cli.js", () => {
    /**
     * Runs the CLI; resolves with its first stdout line (or its exit when it stops first).
     * @param {string[]} args
     */
    function runCli(args) {
      const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => {
        stdout += chunk;
      });
      child.stderr.on("data", (chunk) => {
        stderr += chunk;
      });
      const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
      const firstLine = eventually(() => stdout.includes("\n") || child.exitCode !== null, 10000, "CLI output");
      return { child, exited, firstLine, output: () => ({ stdout, stderr }) };
    }

    it("starts, prints one line with the address, serves, and stops on SIGTERM", async () => {
      const cli = runCli(["--port", "0", "--host", "127.0.0.1", "--rules", FIXTURE_RULES]);
      await cli.firstLine;
      const line = cli.output().stdout.trim();
      const match = line.match(/listening on (http:\/\/127\.0\.0\.1:(\d+))/);
      assert.ok(match, line);
      assert.equal(await (await fetch(`${match[1]}/.json`)).json(), null);
      cli.child.kill("SIGTERM");
      assert.deepEqual(await cli.exited, { code: 0, signal: null });
    });

    it("a taken port: one clear line on stderr, no stack, exit code 1", async () => {
      const server = await startServer();
      const cli = runCli(["--port", String(server.port), "--rules", FIXTURE_RULES]);
      const { code } = await cli.exited;
      const { stderr } = cli.output();
      assert.equal(code, 1);
      assert.match(stderr, new RegExp(`port ${server.port} is already in use`));
      assert.doesNotMatch(stderr, /\n\s+at /);
    });
  });
});
