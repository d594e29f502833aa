// @ts-check
/**
 * Ctrl-C at any moment leaves nothing behind. Each command runs as a person runs it (through
 * tools/bootstrap.cjs, in a process group of its own, with its ports moved) and gets SIGINT on the
 * whole group, as a terminal sends it: during the build, while the emulators start, while the demo data
 * is seeded (npm start), in the middle of the show (npm run demo in its own-stack mode), and with the
 * suite's shared stack up (npm test). Afterwards no process that descends from the command may remain
 * (found by a marker in the environment, whatever group it moved to) and every port must be free.
 */
"use strict";
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { DEFAULT_PORTS } = require("../../local/config.cjs");
const { runTagged, leftovers, killTagged } = require("../support/processes.cjs");

const root = path.resolve(__dirname, "..", "..");
const base = Number(process.env.TEST_PORT_BASE ?? 1000);
const run = `${process.pid}-${Date.now().toString(36)}`;
const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Every port of a stack at `offset`, and the variables that put it there.
 * @param {number} offset
 */
function stackAt(offset) {
  const ports = Object.fromEntries(Object.entries(DEFAULT_PORTS).map(([name, port]) => [name, port + offset]));
  const env = Object.fromEntries(Object.entries(ports).map(([name, port]) => [`LOCAL_${name.toUpperCase()}_PORT`, String(port)]));
  return { ports: Object.values(ports), env };
}

describe("integration: Ctrl-C at any moment leaves no process and no port behind", function () {
  this.timeout(400_000);
  /** @type {string} */
  let tmp;
  /** @type {string[]} */
  const tags = [];
  /**
   * Starts `args` tagged; remembers the tag for the final clean-up.
   * @param {string} name
   * @param {string[]} args
   * @param {Record<string, string>} env
   */
  const launch = (name, args, env) => {
    const tag = `interrupt-${name}-${run}`;
    tags.push(tag);
    return { tag, proc: runTagged(args, { tag, env }) };
  };
  /**
   * @param {string} tag
   * @param {number[]} ports
   * @param {ReturnType<typeof runTagged>} proc
   * @param {string} what
   */
  const nothingLeft = async (tag, ports, proc, what) => {
    const exit = await Promise.race([proc.exited, sleep(60_000).then(() => null)]);
    assert.ok(exit, `${what}: the command did not end within 60 s of Ctrl-C:\n${proc.output.slice(-3000)}`);
    const left = await leftovers(tag, ports, 40_000);
    assert.deepEqual(left.processes, [], `${what}: processes left:\n${proc.output.slice(-3000)}`);
    assert.deepEqual(left.ports, [], `${what}: ports still taken`);
    return exit;
  };

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ibs-interrupt-"));
  });
  after(() => {
    for (const tag of tags) killTagged(tag);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("npm start, during the build: tsc stops, the old functions/lib stays whole, no build directory is left", async () => {
    const stack = stackAt(base + 70);
    const { tag, proc } = launch("build", ["tools/bootstrap.cjs", "start"], {
      ...stack.env,
      LOCAL_DATA_DIR: path.join(tmp, "build"),
      LOCAL_FORCE_BUILD: "1",
    });
    await proc.waitFor(/\[setup\] building functions \(tsc\)/);
    await sleep(2000);
    proc.signalGroup("SIGINT");
    const exit = await nothingLeft(tag, stack.ports, proc, "Ctrl-C during the build");
    assert.notEqual(exit.code, 0);
    assert.match(proc.output, /the build was interrupted \(SIGINT\)/);
    assert.doesNotMatch(proc.output, /Starting the local stack/);
    assert.ok(fs.existsSync(path.join(root, "functions", "lib", "index.js")), "functions/lib is still there");
    assert.deepEqual(
      fs.readdirSync(path.join(root, "functions")).filter((name) => /^lib\.(build|old)-/.test(name)),
      [],
      "a build directory is left",
    );
  });

  it("npm start, while the emulators start", async () => {
    const stack = stackAt(base + 70);
    const { tag, proc } = launch("emulators", ["tools/bootstrap.cjs", "start"], {
      ...stack.env,
      LOCAL_DATA_DIR: path.join(tmp, "emulators"),
    });
    await proc.waitFor(/Starting the local stack/);
    await sleep(4000);
    proc.signalGroup("SIGINT");
    const exit = await nothingLeft(tag, stack.ports, proc, "Ctrl-C while the emulators start");
    assert.match(proc.output, /SIGINT: stopping what has started \.\.\./);
    assert.doesNotMatch(proc.output, /Local stack up/);
    assert.notEqual(exit.code, 0);
    assert.ok(!fs.existsSync(path.join(tmp, "emulators", "stack.json")));
  });

  it("npm start, while it seeds the demo data", async () => {
    const stack = stackAt(base + 70);
    const { tag, proc } = launch("seed", ["tools/bootstrap.cjs", "start"], { ...stack.env, LOCAL_DATA_DIR: path.join(tmp, "seed") });
    await proc.waitFor(/Emulators ready in [\d.]+ s; seeding the demo data/, 300_000);
    proc.signalGroup("SIGINT");
    await nothingLeft(tag, stack.ports, proc, "Ctrl-C during the seed");
    assert.match(proc.output, /SIGINT: stopping the local stack/);
    assert.ok(!fs.existsSync(path.join(tmp, "seed", "stack.json")));
  });

  it("npm run demo in its own-stack mode, in the middle of the show", async () => {
    // Ports where no stack runs: the demo finds none there and starts its own on them.
    const stack = stackAt(base + 80);
    const { tag, proc } = launch("demo", ["tools/bootstrap.cjs", "demo"], { ...stack.env, LOCAL_DATA_DIR: path.join(tmp, "demo") });
    await proc.waitFor(/No local stack running: starting one for the demo/);
    await proc.waitFor(/\] {2}4\. createEvent/, 300_000);
    proc.signalGroup("SIGINT");
    const exit = await nothingLeft(tag, stack.ports, proc, "Ctrl-C of the demo");
    assert.match(proc.output, /SIGINT: ending the demo \.\.\.\nStopping the demo's local stack \.\.\./);
    assert.notEqual(exit.code, 0);
  });

  it("npm test, with the suite's shared stack up", async () => {
    const offset = base + 90;
    const stack = stackAt(offset);
    // The stack of a nested run sits at its own TEST_PORT_BASE; STACK_LOG shows when it is up.
    /** @type {Record<string, string>} */
    const env = { TEST_PORT_BASE: String(offset), STACK_LOG: "1" };
    for (const name of Object.keys(stack.env)) env[name] = "";
    const { tag, proc } = launch(
      "test",
      ["tools/bootstrap.cjs", "test", "--grep", "^integration: the local stack a superAdmin signs in"],
      env,
    );
    await proc.waitFor(/All emulators ready/, 300_000);
    proc.signalGroup("SIGINT");
    await nothingLeft(tag, stack.ports, proc, "Ctrl-C of npm test");
    // Mocha died at once (no clean-up of its own): the emulators' supervisor removed their files.
    const functionsPort = 5001 + offset;
    assert.ok(!fs.existsSync(path.join(root, `firebase.local-${functionsPort}.json`)), "the emulators' config file is left");
    assert.ok(!fs.existsSync(path.join(root, ".local-stack", `functions-env-${functionsPort}`)), "the functions' env directory is left");
    assert.deepEqual(
      fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith(`ibs-stack-${functionsPort}-`)),
      [],
      "the emulators' temporary directory is left",
    );
  });
});
