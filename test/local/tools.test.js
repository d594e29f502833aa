// @ts-check
/**
 * The local stack's tools without a stack: strict flags, the port check before any build, the log
 * reader, the CLI's file formats, snapshots, the supervisor that outlives no parent, and the /proc
 * readers the stack tests rely on.
 */
"use strict";
const assert = require("node:assert/strict");
const fs = require("node:fs");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");
const { execFile, spawn } = require("node:child_process");
const { parseFlags, START_FLAGS, UsageError } = require("../../local/options.cjs");
const { LogBlocks, stripAnsi } = require("../../local/logs.cjs");
const { readCallbackFile } = require("../../local/cli.cjs");
const { importState, clearState, stateFiles } = require("../../local/stack.cjs");
const { takenPorts, portsMessage, writeRunning } = require("../../local/running.cjs");
const { DEFAULT_PORTS } = require("../../local/config.cjs");
const { decodeAddress, loopbackOrNone, taggedProcesses, leftovers, killTagged } = require("../support/processes.cjs");

const root = path.resolve(__dirname, "..", "..");
const base = Number(process.env.TEST_PORT_BASE ?? 1000) + 40;

/**
 * Runs a command to its end; resolves {code, stdout, stderr, ms}.
 * @param {string[]} args
 * @param {Record<string, string>} [env]
 * @returns {Promise<{code: number | string, stdout: string, stderr: string, ms: number}>}
 */
function run(args, env = {}) {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (error.code ?? 1) : 0, stdout, stderr, ms: Date.now() - started }),
    );
  });
}

/**
 * Every port of a stack moved by `base` (the environment's LOCAL_*_PORT variables).
 * @param {number} offset
 */
function movedPorts(offset) {
  return Object.fromEntries(
    Object.entries(DEFAULT_PORTS).map(([name, port]) => [`LOCAL_${name.toUpperCase()}_PORT`, String(port + offset)]),
  );
}

describe("local tools: flags, port check, logs, files", function () {
  this.timeout(120_000);
  /** @type {string} */
  let tmp;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ibs-tools-"));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("every command refuses an unknown flag with the list of known ones, before installing or building", async () => {
    assert.throws(
      () => parseFlags(START_FLAGS, ["--frsh"], { what: "npm start" }),
      (error) =>
        error instanceof UsageError &&
        /unknown option --frsh for npm start; known options: --fresh, --import DIR, --verbose, --help/.test(error.message),
    );
    assert.throws(() => parseFlags(START_FLAGS, ["--import"], { what: "npm start" }), /option --import needs a value/);
    assert.throws(() => parseFlags(START_FLAGS, ["now"], { what: "npm start" }), /unexpected argument\(s\) for npm start: now/);
    const start = await run(["tools/bootstrap.cjs", "start", "--frsh"]);
    assert.equal(start.code, 2);
    assert.match(start.stderr, /unknown option --frsh for npm start; known options: --fresh, --import DIR, --verbose, --help/);
    assert.doesNotMatch(start.stderr, /\[setup\] (installing|building)/);
    const demo = await run(["tools/bootstrap.cjs", "demo", "--fast"]);
    assert.equal(demo.code, 2);
    assert.match(demo.stderr, /unknown option --fast for npm run demo; known options: --help/);
    const cli = await run(["tools/bootstrap.cjs", "cli", "status", "--verbose"]);
    assert.equal(cli.code, 2);
    assert.match(cli.stderr, /unknown option --verbose for cli status; known options: --json, --data-dir DIR, --help/);
    const command = await run(["local/cli.cjs", "stats"]);
    assert.match(
      command.stderr,
      /unknown command "stats"; the commands: status, stop, reset, export, token, show, fans, callbacks, superadmin/,
    );
    for (const name of ["status", "stop", "reset", "export", "token", "show", "fans", "callbacks", "superadmin"]) {
      const help = await run(["local/cli.cjs", name, "--help"]);
      assert.equal(help.code, 0, `${name} --help`);
      assert.match(help.stdout, new RegExp(`^npm run cli -- ${name}`), `${name} --help`);
      assert.match(help.stdout, /Options:\n/);
    }
  });

  it("npm start checks the ports first: a taken one is named with its variable (and a free one to use), nothing is built", async () => {
    const ports = movedPorts(base);
    const blocker = net.createServer();
    const authPort = Number(ports.LOCAL_AUTH_PORT);
    await /** @type {Promise<void>} */ (new Promise((resolve) => blocker.listen(authPort, "127.0.0.1", resolve)));
    const tasks = net.createServer();
    await /** @type {Promise<void>} */ (new Promise((resolve) => tasks.listen(Number(ports.LOCAL_TASKS_PORT), "127.0.0.1", resolve)));
    try {
      const stampBefore = fs.existsSync(path.join(root, ".local-stack", "build-stamp.json"));
      const result = await run(["tools/bootstrap.cjs", "start"], {
        ...ports,
        LOCAL_DATA_DIR: path.join(tmp, "data"),
        LOCAL_FORCE_BUILD: "1",
      });
      assert.equal(result.code, 1);
      assert.match(
        result.stderr,
        new RegExp(`auth ${authPort} \\(LOCAL_AUTH_PORT\\), tasks ${ports.LOCAL_TASKS_PORT} \\(LOCAL_TASKS_PORT\\)`),
      );
      assert.match(result.stderr, /move them: LOCAL_AUTH_PORT=\d+ LOCAL_TASKS_PORT=\d+ npm start/);
      assert.doesNotMatch(result.stderr, /LOCAL_FUNCTIONS_PORT/);
      assert.doesNotMatch(result.stderr, /\[setup\] (installing|building)/, "refused before building (LOCAL_FORCE_BUILD would build)");
      assert.equal(fs.existsSync(path.join(root, ".local-stack", "build-stamp.json")), stampBefore);
      // The message the stack itself gives names the variables too, and a running stack when there is one.
      const taken = await takenPorts({ auth: authPort, database: Number(ports.LOCAL_DATABASE_PORT) });
      assert.deepEqual(
        taken.map((t) => [t.name, t.variable]),
        [["auth", "LOCAL_AUTH_PORT"]],
      );
      assert.match(
        portsMessage(taken, { pid: 4242 }),
        /A local stack is running from this checkout \(pid 4242\): `npm run cli -- stop` stops it/,
      );
    } finally {
      blocker.close();
      tasks.close();
    }
    // A stack recorded as running in the data directory: refused, with the command that stops it.
    const dir = path.join(tmp, "running");
    // Only the pid is looked at; the rest of the record is left out.
    writeRunning(dir, { pid: process.pid, ports: /** @type {import("../../local/config.cjs").Ports} */ ({ functions: 1 }) });
    const again = await run(["tools/bootstrap.cjs", "start"], { ...ports, LOCAL_DATA_DIR: dir });
    assert.equal(again.code, 1);
    assert.match(again.stderr, new RegExp(`a local stack already runs from ${dir} \\(pid ${process.pid}.*npm run cli -- stop`));
  });

  it("the emulators' log: escape codes stripped, a warning kept whole with its continuation lines", async () => {
    assert.equal(stripAnsi("\u001b[33m\u001b[1m⚠  emulators:\u001b[22m\u001b[39m text"), "⚠  emulators: text");
    /** @type {string[][]} */
    const shown = [];
    const blocks = new LogBlocks((lines) => shown.push(lines), { idleMs: 20 });
    for (const line of [
      "i  functions: Loaded functions definitions",
      '\u001b[33m⚠  functions: Your requested "node" version differs',
      "   Please note that the emulator runs the local one",
      "   and more detail on a third line",
      "✔  functions: all ready",
      '>  {"severity":"ERROR","message":"Error: boom"}',
      ">      at handler (index.js:1:1)",
      ">  plain function output",
    ]) {
      blocks.push(line);
    }
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.deepEqual(shown, [
      [
        '⚠  functions: Your requested "node" version differs',
        "   Please note that the emulator runs the local one",
        "   and more detail on a third line",
      ],
      ['>  {"severity":"ERROR","message":"Error: boom"}', ">      at handler (index.js:1:1)"],
    ]);
    const all = [];
    const verbose = new LogBlocks((lines) => all.push(lines), { all: true });
    verbose.push("i  one");
    verbose.push("i  two");
    verbose.flush();
    assert.equal(all.length, 2);
  });

  it("cli callbacks reads arrays of payloads, {kind, payload} records, the stand-in's list and JSON lines", () => {
    const session = { sessionId: "s", event: "connectionCreated", connection: { id: "c" } };
    const archive = { id: "a", event: "archive", status: "stopped" };
    const files = {
      "payloads.json": JSON.stringify([session, archive]),
      "records.json": JSON.stringify([
        { seq: 1, kind: "session", payload: session },
        { kind: "archive", payload: archive },
      ]),
      "list.json": JSON.stringify({
        callbacks: [
          { kind: "session", payload: session },
          { kind: "archive", payload: archive },
        ],
      }),
      "lines.jsonl": `${JSON.stringify(session)}\n${JSON.stringify(archive)}\n`,
    };
    for (const [name, text] of Object.entries(files)) {
      fs.writeFileSync(path.join(tmp, name), text);
      assert.deepEqual(
        readCallbackFile(path.join(tmp, name)),
        [
          { kind: "session", payload: session },
          { kind: "archive", payload: archive },
        ],
        name,
      );
    }
    fs.writeFileSync(path.join(tmp, "bad.jsonl"), '{"a":1}\nnot json\n');
    assert.throws(() => readCallbackFile(path.join(tmp, "bad.jsonl")), /bad\.jsonl:2 is not JSON/);
  });

  it("a snapshot (cli export) imports into a data directory; clearState drops the kept data only", () => {
    const snapshot = path.join(tmp, "snapshot");
    fs.mkdirSync(path.join(snapshot, "auth", "auth_export"), { recursive: true });
    fs.writeFileSync(path.join(snapshot, "database.json"), JSON.stringify({ events: { e1: { name: "Kept" } } }));
    fs.writeFileSync(path.join(snapshot, "auth", "firebase-export-metadata.json"), JSON.stringify({ auth: { path: "auth_export" } }));
    fs.writeFileSync(path.join(snapshot, "auth", "auth_export", "accounts.json"), JSON.stringify({ users: [{ localId: "u1" }] }));
    const dir = path.join(tmp, "data-import");
    fs.mkdirSync(path.join(dir, "auth"), { recursive: true });
    fs.writeFileSync(path.join(dir, "database.json"), "{}");
    fs.writeFileSync(path.join(dir, "auth", "stale.json"), "{}");
    fs.writeFileSync(path.join(dir, "stack.json"), "{}");
    assert.deepEqual(importState(dir, snapshot), { database: true, auth: true });
    const files = stateFiles(dir);
    assert.equal(JSON.parse(fs.readFileSync(files.database, "utf8")).events.e1.name, "Kept");
    assert.ok(fs.existsSync(path.join(files.auth, "auth_export", "accounts.json")));
    assert.ok(!fs.existsSync(path.join(files.auth, "stale.json")), "the old Auth data is replaced, not merged");
    assert.throws(() => importState(dir, path.join(tmp, "nothing-here")), /is not a snapshot/);
    clearState(dir);
    assert.deepEqual(fs.readdirSync(dir), ["stack.json"]);
  });

  it("the supervisor takes its command's whole process group down when its parent dies, even by SIGKILL", async () => {
    const tag = `supervise-${process.pid}-${Date.now()}`;
    // A parent that starts the supervisor (as the stack does) over a command with a child of its own
    // that ignores SIGINT, then waits forever.
    const parent = `
      const { spawn } = require("node:child_process");
      const child = spawn(process.execPath, [${JSON.stringify(path.join(root, "local", "supervise.cjs"))}, "--grace", "1500", "--",
        process.execPath, "-e", "require('node:child_process').spawn(process.execPath, ['-e', 'process.on(\\"SIGINT\\", () => {}); setInterval(() => {}, 1000)'], { stdio: 'ignore' }); process.on('SIGINT', () => {}); setInterval(() => {}, 1000)"],
        { detached: true, stdio: ["pipe", "ignore", "ignore"] });
      console.log("started " + child.pid);
      setInterval(() => {}, 1000);`;
    const proc = spawn(process.execPath, ["-e", parent], {
      env: { ...process.env, IBS_TEST_TAG: tag },
      stdio: ["ignore", "pipe", "ignore"],
    });
    try {
      await new Promise((resolve) => proc.stdout.once("data", resolve));
      const deadline = Date.now() + 10_000;
      while (taggedProcesses(tag).length < 4 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(taggedProcesses(tag).length, 4, "parent, supervisor, command and its child run");
      proc.kill("SIGKILL");
      const left = await leftovers(tag, [], 10_000);
      assert.deepEqual(left.processes, [], "nothing of the supervised group outlives the parent");
    } finally {
      killTagged(tag);
    }
  });

  it("the /proc readers: addresses decoded, loopback told apart from the outside", () => {
    assert.deepEqual(decodeAddress("0100007F:1F90"), { ip: "127.0.0.1", port: 8080, family: 4 });
    assert.equal(decodeAddress("00000000000000000000000001000000:0050").ip, "::1");
    assert.equal(decodeAddress("FEA9FEA9:0050").ip, "169.254.169.254");
    for (const [hex, local] of /** @type {Array<[string, boolean]>} */ ([
      ["0100007F:1F90", true],
      ["00000000000000000000000001000000:0050", true],
      ["0000000000000000FFFF00000100007F:0050", true],
      ["00000000:0000", true],
      ["FEA9FEA9:0050", false],
      ["0000000000000000FFFF0000FEA9FEA9:01BB", false],
      ["35FFFF0A:0035", false],
    ])) {
      assert.equal(loopbackOrNone(decodeAddress(hex)), local, hex);
    }
  });
});
