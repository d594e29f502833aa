// @ts-check
/**
 * What runs where: `npm start` writes `stack.json` into its data directory once the stack is up (ports,
 * process ids, the superAdmin, the log file) and removes it when it stops. The CLI and the demo read
 * it, so they find a stack whatever ports it was moved to. Needs nothing but Node.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const net = require("node:net");
const { dataDir: defaultDataDir, resolvePorts, portVariable } = require("./config.cjs");

const FILE = "stack.json";

/**
 * Is a process with this id alive (and ours to signal)?
 * @param {unknown} pid
 */
function alive(pid) {
  if (typeof pid !== "number" || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return /** @type {NodeJS.ErrnoException} */ (error).code === "EPERM";
  }
}

/**
 * What a running stack writes down in its data directory (stack.json): its process, ports and, once
 * seeded, the superAdmin and demo event.
 * @typedef {object} StackRecord
 * @property {number} pid
 * @property {number|null} [emulatorsPid]
 * @property {string} [projectId]
 * @property {import("./config.cjs").Ports} ports
 * @property {string|null} [dataDir]
 * @property {string|null} [logFile]
 * @property {number} [startedAt]
 * @property {{email: string, uid: string}} [superAdmin]
 * @property {string} [demoEventId]
 */

/**
 * Writes the record atomically (a reader never sees half a file).
 * @param {string} dir
 * @param {StackRecord} record
 */
function writeRunning(dir, record) {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(record, null, 2) + "\n");
  fs.renameSync(temporary, file);
  return file;
}

/**
 * The record of the stack running from `dir`, or null. A record whose process is gone (a stack
 * killed with SIGKILL) is reported as `stale` and not as running.
 * @returns {{ running: StackRecord | null, stale: StackRecord | null }}
 */
function readRunningRecord(dir = defaultDataDir()) {
  /** @type {StackRecord} */
  let record;
  try {
    record = JSON.parse(fs.readFileSync(path.join(dir, FILE), "utf8"));
  } catch {
    return { running: null, stale: null };
  }
  return alive(record.pid) ? { running: record, stale: null } : { running: null, stale: record };
}

function readRunning(dir = defaultDataDir()) {
  return readRunningRecord(dir).running;
}

/**
 * Removes the record if it is this process's (a newer stack's record is left alone).
 * @param {string} dir
 */
function removeRunning(dir, pid = process.pid) {
  const file = path.join(dir, FILE);
  try {
    if (JSON.parse(fs.readFileSync(file, "utf8")).pid !== pid) return;
    fs.rmSync(file, { force: true });
  } catch {
    /* no record */
  }
}

/**
 * Does something accept TCP connections on 127.0.0.1:port (within `timeoutMs`)?
 * @param {number} port
 * @returns {Promise<boolean>}
 */
function listening(port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    const done = (/** @type {boolean} */ result) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/**
 * Is the port free to listen on, on 127.0.0.1?
 * @param {number} port
 * @returns {Promise<boolean>}
 */
function portFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * The taken ports among `ports`, each with the variable that moves it and a free port to suggest.
 * @param {Record<string, number>} ports
 * @returns {Promise<Array<{ name: string, port: number, variable: string, suggestion: number | null }>>}
 */
async function takenPorts(ports) {
  const taken = [];
  const wanted = new Set(Object.values(ports));
  for (const [name, port] of Object.entries(ports)) {
    if (await portFree(port)) continue;
    let suggestion = null;
    for (let candidate = port + 100; candidate < Math.min(port + 2000, 65535); candidate += 100) {
      if (!wanted.has(candidate) && (await portFree(candidate))) {
        suggestion = candidate;
        wanted.add(candidate);
        break;
      }
    }
    taken.push({ name, port, variable: portVariable(name), suggestion });
  }
  return taken;
}

/**
 * The one-paragraph message for taken ports (npm start, the stack, the bootstrap).
 * @param {Array<{name: string, port: number, variable: string, suggestion: number | null}>} taken
 * @param {{pid: number} | null} [running]
 */
function portsMessage(taken, running) {
  const list = taken.map((t) => `${t.name} ${t.port} (${t.variable})`).join(", ");
  const move = taken
    .filter((t) => t.suggestion)
    .map((t) => `${t.variable}=${t.suggestion}`)
    .join(" ");
  const who = running
    ? ` A local stack is running from this checkout (pid ${running.pid}): \`npm run cli -- stop\` stops it.`
    : " Stop whatever holds them (an earlier npm start? `npm run cli -- status` shows it)";
  return `port(s) already in use: ${list}.${who}${running ? " Or" : ", or"} move them: ${move || "LOCAL_<NAME>_PORT=..."} npm start`;
}

/**
 * Finds the stack to talk to: the one `npm start` wrote down in `dir` (its real ports), else whatever
 * answers on the ports of the environment (LOCAL_*_PORT, else the defaults), e.g. the official
 * emulators. Null when neither answers.
 * @returns {Promise<{ ports: import("./config.cjs").Ports, record: StackRecord | null, source: string } | null>}
 */
async function discoverStack(dir = defaultDataDir()) {
  const record = readRunning(dir);
  if (record) return { ports: record.ports, record, source: path.join(dir, FILE) };
  const ports = resolvePorts();
  if ((await listening(ports.functions)) && (await listening(ports.vonage))) {
    return { ports, record: null, source: "the environment's ports (no stack.json)" };
  }
  return null;
}

/** The stack's parts, for status lines and for saying which one stopped answering. */
const COMPONENTS = [
  { name: "database", label: "Realtime Database", path: "/.probe.json" },
  { name: "auth", label: "Auth emulator", path: "/" },
  { name: "functions", label: "Functions emulator", path: "/" },
  { name: "vonage", label: "Vonage stand-in", path: "/_probe" },
  { name: "hub", label: "emulator hub", path: "/" },
  { name: "logging", label: "logging emulator", path: "/" },
  { name: "eventarc", label: "Eventarc emulator", path: "/" },
  { name: "tasks", label: "Cloud Tasks emulator", path: "/" },
];

/**
 * Any HTTP answer within `timeoutMs` counts: a process that accepts but never answers does not.
 * @param {number} port
 */
async function answers(port, pathname = "/", timeoutMs = 2000) {
  try {
    const response = await fetch(`http://127.0.0.1:${port}${pathname}`, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer().catch(() => undefined);
    return true;
  } catch {
    return false;
  }
}

/**
 * Which of the stack's parts answer on `ports`.
 * @param {Record<string, number>} ports
 * @param {string[]} [names]
 * @returns {Promise<Array<{ name: string, label: string, port: number, variable: string, up: boolean }>>}
 */
async function probeStack(ports, names = COMPONENTS.map((c) => c.name), timeoutMs = 2000) {
  const parts = COMPONENTS.filter((c) => names.includes(c.name) && ports[c.name]);
  return Promise.all(
    parts.map(async (c) => ({
      name: c.name,
      label: c.label,
      port: ports[c.name],
      variable: portVariable(c.name),
      up: await answers(ports[c.name], c.path, timeoutMs),
    })),
  );
}

/**
 * "the Functions emulator (127.0.0.1:5001) stopped answering", or null when all answer.
 * @param {Record<string, number>} ports
 * @param {string[]} [names]
 */
async function diagnoseStack(ports, names) {
  const down = (await probeStack(ports, names)).filter((part) => !part.up);
  if (!down.length) return null;
  const list = down.map((part) => `the ${part.label} (127.0.0.1:${part.port})`).join(", ");
  return `${list} ${down.length > 1 ? "do" : "does"} not answer: the local stack stopped or crashed (npm run cli -- status)`;
}

module.exports = {
  COMPONENTS,
  answers,
  probeStack,
  diagnoseStack,
  FILE,
  alive,
  writeRunning,
  readRunning,
  readRunningRecord,
  removeRunning,
  listening,
  portFree,
  takenPorts,
  portsMessage,
  discoverStack,
};
