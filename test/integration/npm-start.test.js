// @ts-check
/**
 * `npm start` as a developer tool, exactly as a person runs it (tools/bootstrap.cjs start, in a process
 * group of its own, every port moved with LOCAL_*_PORT, a data directory of its own): the CLI against
 * it, `npm run demo` finding it through stack.json, stop and start again with the same superAdmin uid
 * and the same events in the same states, Ctrl-C, --fresh and reset. All the while every process of
 * the stack (and of the CLI and the demo) is watched: none may open a connection outside the machine.
 */
"use strict";
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { execFile } = require("node:child_process");
const jwt = require("jsonwebtoken");
const { DEFAULT_PORTS, localApplication, DEMO_SUPER_ADMIN } = require("../../local/config.cjs");
const { newClient } = require("../../local/client.cjs");
const { waitFor } = require("../../local/async.cjs");
const { SocketWatch, runTagged, leftovers, killTagged } = require("../support/processes.cjs");

/**
 * @typedef {{code: number | string, stdout: string, stderr: string}} CommandRun how a command ended, and what it printed
 * @typedef {{says: number, wall: number}} StartTime the seconds `npm start` says it took, and the wall-clock seconds
 * @typedef {{running: true, parts: {name: string, up: boolean}[], superAdmins: {uid: string, email: string, name: string}[], events: import("../../local/cli.cjs").ListedEvent[]}} RunningStatus
 *   what `cli status --json` prints for a running stack
 * @typedef {import("jsonwebtoken").JwtPayload & {session_id: string, role: string, connection_data: string}} ClientTokenClaims
 *   what a Vonage client token carries
 * @typedef {{shards?: Record<string, unknown>, peakInteractive?: number}} StageGate the seat gate, as the database's REST API gives it
 */

const root = path.resolve(__dirname, "..", "..");
const offset = Number(process.env.TEST_PORT_BASE ?? 1000) + 60;
// Every one of DEFAULT_PORTS, moved (fromEntries does not keep the keys' names).
const ports = /** @type {import("../../local/config.cjs").Ports} */ (
  Object.fromEntries(Object.entries(DEFAULT_PORTS).map(([name, port]) => [name, port + offset]))
);
const portEnv = Object.fromEntries(Object.entries(ports).map(([name, port]) => [`LOCAL_${name.toUpperCase()}_PORT`, String(port)]));
const run = `${process.pid}-${Date.now().toString(36)}`;
const stackTag = `npm-start-${run}`;
const clientTag = `npm-start-clients-${run}`;

describe("integration: npm start as a developer tool (every port moved, state kept, offline)", function () {
  this.timeout(600_000);
  /** @type {string} */
  let tmp;
  /** @type {Record<string, string>} */
  let env;
  /** @type {SocketWatch} */
  let watch;
  /** The running `npm start` (set by `start`, before any test reads it). @type {ReturnType<typeof runTagged>} */
  let stack;
  /** @type {RunningStatus} */
  let firstStatus;
  /** @type {Record<string, StartTime>} */
  const measured = {};

  /**
   * A CLI command (or any script) as the person's second shell runs it.
   * @param {string[]} args
   * @param {Record<string, string>} [extraEnv]
   * @param {number} [timeout]
   * @returns {Promise<CommandRun>}
   */
  const node = (args, extraEnv = {}, timeout = 300_000) =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        args,
        { cwd: root, env: { ...process.env, ...env, ...extraEnv, IBS_TEST_TAG: clientTag }, timeout, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => resolve({ code: error ? (error.code ?? 1) : 0, stdout, stderr }),
      );
    });
  const cli = (/** @type {string[]} */ ...args) => node(["local/cli.cjs", ...args]);
  /** @returns {Promise<RunningStatus>} */
  const status = async () => {
    const result = await cli("status", "--json");
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout);
  };
  /**
   * npm start, up; resolves with the seconds it says it took.
   * @param {string[]} flags
   * @returns {Promise<StartTime>}
   */
  const start = async (...flags) => {
    const started = Date.now();
    stack = runTagged(["tools/bootstrap.cjs", "start", ...flags], { tag: stackTag, env });
    const [, seconds] = await stack.waitFor(/Local stack up in ([\d.]+) s/, 300_000);
    return { says: Number(seconds), wall: (Date.now() - started) / 1000 };
  };
  const nothingLeft = async (/** @type {string} */ what) => {
    const left = await leftovers(stackTag, Object.values(ports), 40_000);
    assert.deepEqual(left.processes, [], `${what}: processes of the stack are left`);
    assert.deepEqual(left.ports, [], `${what}: ports of the stack are still taken`);
    assert.ok(!fs.existsSync(path.join(env.LOCAL_DATA_DIR, "stack.json")), `${what}: stack.json is left`);
  };

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ibs-npm-start-"));
    env = { ...portEnv, LOCAL_DATA_DIR: path.join(tmp, "data"), LOCAL_BROADCAST_DRAIN_SECONDS: "2" };
    watch = new SocketWatch([stackTag, clientTag], { intervalMs: 100 }).start();
  });
  after(async () => {
    watch?.stop();
    // A test that failed half-way may leave its stack up: stop it as Ctrl-C would, then make sure.
    if (stack) {
      stack.signalGroup("SIGINT");
      await Promise.race([stack.exited, new Promise((resolve) => setTimeout(resolve, 40_000))]);
    }
    killTagged(stackTag);
    killTagged(clientTag);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("starts with every port moved, writes them down in stack.json, and `cli status` shows the superAdmin and the demo show", async () => {
    measured.first = await start();
    const record = JSON.parse(fs.readFileSync(path.join(env.LOCAL_DATA_DIR, "stack.json"), "utf8"));
    assert.deepEqual(record.ports, ports);
    assert.match(stack.output, /Local stack up in [\d.]+ s \(project demo-interactive-broadcast, offline, empty data\)/);
    firstStatus = await status();
    assert.equal(firstStatus.running, true);
    assert.ok(
      firstStatus.parts.every((part) => part.up),
      JSON.stringify(firstStatus.parts),
    );
    assert.equal(firstStatus.superAdmins.length, 1);
    assert.equal(firstStatus.superAdmins[0].uid, record.superAdmin.uid);
    assert.deepEqual(
      firstStatus.events.map((event) => [event.name, event.status]),
      [["Demo Show", "notStarted"]],
    );
    const text = await cli("status");
    assert.equal(text.code, 0, text.stderr);
    assert.match(
      text.stdout,
      new RegExp(`superAdmin  Demo Super Admin <${DEMO_SUPER_ADMIN.email} / ${DEMO_SUPER_ADMIN.password}>  uid ${record.superAdmin.uid}`),
    );
    assert.match(text.stdout, new RegExp(`Functions emulator\\s+127\\.0\\.0\\.1:${ports.functions}\\s+answering`));
    assert.match(text.stdout, /Demo Show\s+\S+\s+Demo Super Admin\s+notStarted\s+0\/50/);
  });

  it("`cli token` mints tokens through the backend; `cli show` moves the show; `cli fans` seats some, lines some up, sends the rest to HLS", async () => {
    const demoEvent = firstStatus.events[0];
    const { publicKey } = localApplication();
    const producer = await cli("token", "producer", "--json");
    assert.equal(producer.code, 0, producer.stderr);
    const tokens = JSON.parse(producer.stdout);
    const claims = /** @type {ClientTokenClaims} */ (jwt.verify(tokens.stageToken, publicKey, { algorithms: ["RS256"] }));
    assert.equal(claims.session_id, demoEvent.stageSessionId);
    assert.equal(claims.role, "moderator");
    assert.deepEqual(JSON.parse(claims.connection_data), {
      userType: "producer",
      participantId: firstStatus.superAdmins[0].uid,
      eventId: demoEvent.id,
    });
    const early = await cli("token", "fan", "Demo Show");
    assert.equal(early.code, 1);
    assert.match(early.stderr, /createTokensFan: failed-precondition: .*preshow/);

    const preshow = await cli("show", "demo", "preshow");
    assert.equal(preshow.code, 0, preshow.stderr);
    assert.match(preshow.stdout, /"Demo Show" \(.+\): notStarted -> preshow in [\d.]+ s/);
    const host = await cli("token", "host", demoEvent.fanUrl, "--json");
    assert.equal(host.code, 0, host.stderr);
    const hostClaims = /** @type {ClientTokenClaims} */ (
      jwt.verify(JSON.parse(host.stdout).stageToken, publicKey, { algorithms: ["RS256"] })
    );
    assert.equal(hostClaims.role, "publisher");
    assert.equal(JSON.parse(hostClaims.connection_data).userType, "host");

    // Two seats, so four fans make two of each kind.
    const boss = newClient(ports);
    try {
      await boss.signInWithPassword(DEMO_SUPER_ADMIN.email, DEMO_SUPER_ADMIN.password);
      await boss.call("updateEvent", { id: demoEvent.id, interactiveLimit: 2 });
    } finally {
      await boss.close();
    }
    const fans = await cli("fans", "demo", "4", "--in-line", "1", "--for", "1");
    assert.equal(fans.code, 0, fans.stderr);
    assert.match(fans.stdout, /4 fans joined "Demo Show" \(preshow\)/);
    assert.equal((fans.stdout.match(/seat, watching the stage, in line for the producer/g) ?? []).length, 1);
    assert.equal((fans.stdout.match(/HLS viewer: the stream starts when the show goes live/g) ?? []).length, 2);
    assert.match(fans.stdout, /2 seated \(1 in line\), 2 on HLS or turned away/);
    assert.match(fans.stdout, /The 4 fans left/);
    const gateNow = async () =>
      /** @type {StageGate} */ (await (await fetch(`http://127.0.0.1:${ports.database}/stageGates/${demoEvent.id}.json`)).json());
    assert.equal((await gateNow()).shards ?? null, null, "the fans' seats are free again");
    // peakInteractive is batched per function instance (a flush every few seconds).
    await waitFor("the batched peakInteractive", gateNow, (gate) => gate.peakInteractive === 2, { timeoutMs: 30_000, intervalMs: 250 });
  });

  it("`npm run demo` finds the moved stack through stack.json and plays a whole show: names, the producer and HLS viewers in the table, a run of show, a countdown", async () => {
    const demo = await node(["local/demo.cjs"]);
    assert.equal(demo.code, 0, `${demo.stdout}\n${demo.stderr}`);
    const transcript = demo.stdout;
    assert.match(
      transcript,
      new RegExp(
        `Using the local stack of npm start \\(.*stack\\.json; functions on port ${ports.functions}, database on ${ports.database}\\)`,
      ),
    );
    assert.match(transcript, /12 fans log in/);
    assert.match(transcript, /5 interactive \(\w+, \w+, \w+, \w+, \w+\).*\n.*7 HLS \(/);
    assert.match(transcript, /Attendance of "Demo Night" \(live [\d.]+ min, peak 5 interactive seats/);
    const table = transcript.split('Attendance of "Demo Night"')[1].split("Run of show")[0];
    const people = [
      "Dana (producer)",
      "Maya (host)",
      "Leo Star (celebrity)",
      "Ava",
      "Ben",
      "Chloe",
      "Dev",
      "Elif",
      "Finn",
      "Grace",
      "Hugo",
      "Iris",
      "Jonas",
      "Kai",
      "Lena",
    ];
    for (const name of people) assert.match(table, new RegExp(`\\n  ${name.replace(/[()]/g, "\\$&")} `), `${name} is not in the table`);
    assert.match(table, /\n {2}Dana \(producer\)\s+producer\s+1\s/);
    assert.match(table, /\n {2}\w+\s+fan on stage\s+1\s/);
    assert.equal((table.match(/HLS viewer/g) ?? []).length, 7);
    assert.equal((table.match(/\s2\s+[\d.]+ s \(/g) ?? []).length, 2, "the celebrity and a fan came twice");
    assert.doesNotMatch(table, /[A-Za-z0-9]{28}/, "a Firebase uid in the table");
    const show = transcript.split("Run of show (from the preshow):")[1];
    let at = -1;
    for (const what of ["00:00  preshow", "12 fans arrive", "live:", "HLS viewers get the stream", "closed:", "the broadcast stops"]) {
      const index = show.indexOf(what);
      assert.ok(index > at, `"${what}" out of order in the run of show:\n${show}`);
      at = index;
    }
    assert.match(transcript, /HLS drain: the broadcast stops in \d+ s/);
    assert.match(transcript, /The show ran end to end in [\d.]+ s/);
    const events = (await status()).events;
    assert.equal(events.find((event) => event.name === "Demo Night")?.status, "closed");
  });

  it("`cli callbacks` records the stand-in's callbacks and replays them: each answered 200, nothing changes", async () => {
    const file = path.join(tmp, "callbacks.json");
    const recorded = await cli("callbacks", "--record", file);
    assert.equal(recorded.code, 0, recorded.stderr);
    const count = JSON.parse(fs.readFileSync(file, "utf8")).length;
    assert.ok(count >= 20, `${count} callbacks recorded`);
    const attendance = async () => (await fetch(`http://127.0.0.1:${ports.database}/attendance.json`)).json();
    const before = await attendance();
    const replayed = await cli("callbacks", file);
    assert.equal(replayed.code, 0, replayed.stderr);
    assert.match(replayed.stdout, new RegExp(`${count} callback\\(s\\) replayed: ${count} x 200\\.`));
    assert.deepEqual(await attendance(), before, "a replayed callback is a duplicate: no change");
  });

  it("`cli stop` stops it (no process, no port left); `npm start` again has the same superAdmin uid and the same events in the same states", async () => {
    const snapshot = path.join(tmp, "snapshot");
    const exported = await cli("export", snapshot);
    assert.equal(exported.code, 0, exported.stderr);
    assert.ok(
      fs.existsSync(path.join(snapshot, "database.json")) && fs.existsSync(path.join(snapshot, "auth", "auth_export", "accounts.json")),
    );
    const before = await status();
    const stopped = await cli("stop");
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.match(stopped.stdout, /Stopped in [\d.]+ s; the data is kept/);
    assert.equal((await stack.exited).code, 0);
    await nothingLeft("cli stop");
    const stoppedStatus = await cli("status");
    assert.match(stoppedStatus.stdout, /No local stack is running\.\nData directory .*: 2 event\(s\), \d+ Auth account\(s\) kept/);

    measured.again = await start();
    assert.match(stack.output, /data kept from the last run/);
    const after = await status();
    assert.equal(after.superAdmins[0].uid, before.superAdmins[0].uid, "the same superAdmin uid");
    const summary = (/** @type {RunningStatus} */ s) =>
      s.events.map((event) => [event.id, event.name, event.status, event.interactiveLimit]);
    assert.deepEqual(summary(after), summary(before), "the same events in the same states");
    assert.deepEqual(
      after.events.map((event) => event.status),
      ["preshow", "closed"],
    );
    // The kept show's sessions still work at the restarted stand-in: it goes live and closes.
    const live = await cli("show", "demo", "live");
    assert.equal(live.code, 0, live.stderr);
    assert.match(live.stdout, /preshow -> live/);
    assert.match(live.stdout, /archive {4}started/);
    const closed = await cli("show", "demo", "closed");
    assert.equal(closed.code, 0, closed.stderr);
    assert.match(closed.stdout, /live -> closed/);
  });

  it("Ctrl-C of npm start leaves no process, no port and no stack.json behind", async () => {
    stack.signalGroup("SIGINT");
    const { code } = await stack.exited;
    assert.equal(code, 0, stack.output.slice(-2000));
    assert.match(stack.output, /SIGINT: stopping the local stack \.\.\.\nStopped\./);
    await nothingLeft("Ctrl-C");
  });

  it("--fresh starts empty (a new superAdmin, only the demo show); `cli reset` starts over on a running stack", async () => {
    measured.fresh = await start("--fresh");
    assert.match(stack.output, /empty \(--fresh\)/);
    const fresh = await status();
    assert.notEqual(fresh.superAdmins[0].uid, firstStatus.superAdmins[0].uid);
    assert.deepEqual(
      fresh.events.map((event) => [event.name, event.status]),
      [["Demo Show", "notStarted"]],
    );
    await cli("show", "demo", "preshow");
    const reset = await cli("reset");
    assert.equal(reset.code, 0, reset.stderr);
    const after = await status();
    assert.notEqual(after.superAdmins[0].uid, fresh.superAdmins[0].uid);
    assert.deepEqual(
      after.events.map((event) => [event.name, event.status]),
      [["Demo Show", "notStarted"]],
    );
    assert.match(reset.stdout, new RegExp(`Reset\\. superAdmin ${DEMO_SUPER_ADMIN.email} \\(uid ${after.superAdmins[0].uid}\\)`));
    // The bootstrap command through the CLI, against the moved ports it found.
    const extra = await cli("superadmin", "--email", "second@demo.local", "--password", "second-password", "--name", "Second");
    assert.equal(extra.code, 0, extra.stderr);
    assert.match(extra.stdout, /superAdmin ready: second@demo\.local \(uid \w+; password set\)/);
    const rerun = await cli("superadmin", "--email", "second@demo.local", "--password", "another-password");
    assert.match(rerun.stdout, /existing user: password kept, not changed to --password \(--reset-password sets it\)/);
    const short = await cli("superadmin", "--email", "third@demo.local", "--password", "seven77");
    assert.equal(short.code, 2);
    assert.match(short.stderr, /8 to 128 characters/);
    assert.deepEqual((await status()).superAdmins.map((admin) => admin.email).sort(), [DEMO_SUPER_ADMIN.email, "second@demo.local"].sort());
    assert.equal((await cli("stop")).code, 0);
    await stack.exited;
    await nothingLeft("cli stop after reset");
    console.log(
      `    [figure] npm start up in ${measured.first.says} s (first), ${measured.again.says} s (kept data), ${measured.fresh.says} s (--fresh)`,
    );
  });

  it("no process of the stack, the CLI or the demo opened a connection to an address outside the machine", () => {
    watch.stop();
    const seen = [...watch.processesSeen].join("\n");
    // The watch saw the right processes: the emulators, their function workers, the CLI and the demo.
    assert.match(seen, /firebase-tools\/lib\/bin\/firebase\.js emulators/);
    assert.match(seen, /functionsEmulatorRuntime/);
    assert.match(seen, /local\/start\.cjs/);
    assert.match(seen, /local\/demo\.cjs/);
    assert.match(seen, /local\/cli\.cjs/);
    assert.ok(watch.samples > 200 && watch.socketsSeen > 1000, `${watch.samples} samples, ${watch.socketsSeen} sockets`);
    assert.deepEqual(watch.outside, [], "connections outside 127.0.0.0/8 and ::1");
    console.log(
      `    [figure] outbound watch: ${watch.samples} samples, ${watch.socketsSeen} sockets of ${watch.processesSeen.size} processes, 0 outside`,
    );
  });
});
