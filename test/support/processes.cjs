// @ts-check
/**
 * What a local stack leaves running and whom it talks to, read from /proc (Linux):
 * - `taggedProcesses(tag)`: every process whose environment carries `IBS_TEST_TAG=<tag>`. Children
 *   inherit the environment, so this finds all of a command's descendants, whatever process group or
 *   parent they moved to (the emulators run in a group of their own).
 * - `SocketWatch`: samples the TCP and UDP sockets of such processes and records every remote address
 *   outside 127.0.0.0/8 and ::1 (a connection attempt in progress counts: SYN_SENT is sampled too).
 * - `runTagged(...)`: starts a command as a terminal would, in a process group of its own (so a test can
 *   send the whole group SIGINT, as Ctrl-C does), under local/supervise.cjs --harness, which stops the
 *   group if this test process dies first.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { spawn } = require("node:child_process");

const TAG = "IBS_TEST_TAG";
const root = path.resolve(__dirname, "..", "..");

function pids() {
  return fs
    .readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/** The pids (with their command lines) whose environment has IBS_TEST_TAG=tag. */
/**
 * @param {string} tag
 * @returns {Array<{pid: number, command: string}>}
 */
function taggedProcesses(tag) {
  const needle = `${TAG}=${tag}\0`;
  const found = [];
  for (const pid of pids()) {
    if (pid === process.pid) continue;
    let environ;
    try {
      environ = fs.readFileSync(`/proc/${pid}/environ`, "latin1");
    } catch {
      continue; // gone, or not ours
    }
    if (!`${environ}\0`.includes(needle)) continue;
    let command = "";
    try {
      command = fs.readFileSync(`/proc/${pid}/cmdline`, "latin1").split("\0").join(" ").trim();
    } catch {
      /* gone */
    }
    let state = "";
    try {
      state = fs.readFileSync(`/proc/${pid}/stat`, "latin1").split(") ")[1]?.[0] ?? "";
    } catch {
      /* gone */
    }
    if (state !== "Z") found.push({ pid, command });
  }
  return found;
}

/** "0100007F:1F90" (IPv4) or 32 hex digits (IPv6, four little-endian words) -> "127.0.0.1:8080". */
/**
 * @param {string} hex
 * @returns {{ip: string, port: number, family: 4 | 6}}
 */
function decodeAddress(hex) {
  const [address, port] = hex.split(":");
  const portNumber = parseInt(port, 16);
  if (address.length === 8) {
    const bytes = (address.match(/../g) ?? []).map((byte) => parseInt(byte, 16)).reverse();
    return { ip: bytes.join("."), port: portNumber, family: 4 };
  }
  const words = (address.match(/.{8}/g) ?? []).map((word) => (word.match(/../g) ?? []).reverse().join(""));
  const groups = (words.join("").match(/.{4}/g) ?? []).map((group) => group.replace(/^0+(?=.)/, ""));
  return { ip: groups.join(":").replace(/(^|:)0(:0)+(:|$)/, "::"), port: portNumber, family: 6 };
}

/** Is this remote address on the machine itself (or no address at all)? */
/** @param {{ip: string, port: number}} address */
function loopbackOrNone({ ip, port }) {
  if (ip === "0.0.0.0" || ip === "::" || port === 0) return true; // listening / unconnected
  if (ip.startsWith("127.")) return true;
  if (ip === "::1") return true;
  const mapped = /^::ffff:([0-9a-f]+):([0-9a-f]+)$/i.exec(ip);
  if (mapped) return parseInt(mapped[1], 16) >> 8 === 127;
  return false;
}

/** @type {Record<string, string>} */
const TCP_STATES = {
  "01": "ESTABLISHED",
  "02": "SYN_SENT",
  "03": "SYN_RECV",
  "04": "FIN_WAIT1",
  "05": "FIN_WAIT2",
  "06": "TIME_WAIT",
  "07": "CLOSE",
  "08": "CLOSE_WAIT",
  "09": "LAST_ACK",
  "0A": "LISTEN",
  "0B": "CLOSING",
};

/** inode -> socket, for the whole network namespace. */
function socketTable() {
  /** @type {Map<string, {proto: string, local: ReturnType<typeof decodeAddress>, remote: ReturnType<typeof decodeAddress>, state: string}>} */
  const table = new Map();
  for (const proto of ["tcp", "tcp6", "udp", "udp6"]) {
    let text;
    try {
      text = fs.readFileSync(`/proc/net/${proto}`, "latin1");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10) continue;
      table.set(fields[9], {
        proto,
        local: decodeAddress(fields[1]),
        remote: decodeAddress(fields[2]),
        state: TCP_STATES[fields[3]] ?? fields[3],
      });
    }
  }
  return table;
}

/** The socket inodes a process holds. */
/** @param {number} pid */
function socketInodes(pid) {
  /** @type {string[]} */
  const inodes = [];
  let fds;
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return inodes;
  }
  for (const fd of fds) {
    try {
      const target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      const match = /^socket:\[(\d+)\]$/.exec(target);
      if (match) inodes.push(match[1]);
    } catch {
      /* closed meanwhile */
    }
  }
  return inodes;
}

/**
 * Samples, every `intervalMs`, the sockets of the processes tagged with any of `tags` (the list of
 * processes is refreshed every `refreshMs`) and keeps every non-loopback remote address seen.
 */
class SocketWatch {
  /**
   * @param {string[]} tags
   * @param {{intervalMs?: number, refreshMs?: number}} [options]
   */
  constructor(tags, { intervalMs = 40, refreshMs = 400 } = {}) {
    this.tags = tags;
    this.intervalMs = intervalMs;
    this.refreshMs = refreshMs;
    /** @type {Array<{ pid: number, command: string, proto: string, remote: string, state: string, at: number }>} */
    this.outside = [];
    this.samples = 0;
    this.socketsSeen = 0;
    this.processesSeen = new Set();
    /** @type {Array<{pid: number, command: string}>} */
    this.processes = [];
    this.refreshedAt = 0;
    /** @type {NodeJS.Timeout | null} */
    this.timer = null;
  }

  sample() {
    const now = Date.now();
    if (now - this.refreshedAt >= this.refreshMs) {
      this.processes = this.tags.flatMap((tag) => taggedProcesses(tag));
      for (const { pid, command } of this.processes) this.processesSeen.add(`${pid} ${command.slice(0, 300)}`);
      this.refreshedAt = now;
    }
    const table = socketTable();
    for (const { pid, command } of this.processes) {
      for (const inode of socketInodes(pid)) {
        const socket = table.get(inode);
        if (!socket) continue;
        this.socketsSeen += 1;
        if (loopbackOrNone(socket.remote)) continue;
        const remote = `${socket.remote.ip}:${socket.remote.port}`;
        if (this.outside.length < 200 && !this.outside.some((seen) => seen.pid === pid && seen.remote === remote)) {
          this.outside.push({ pid, command: command.slice(0, 200), proto: socket.proto, remote, state: socket.state, at: now });
        }
      }
    }
    this.samples += 1;
  }

  start() {
    this.sample();
    this.timer = setInterval(() => {
      try {
        this.sample();
      } catch {
        /* a process went away mid-read */
      }
    }, this.intervalMs);
    return this;
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return this;
  }
}

/**
 * Runs `args` (node and a script) tagged, in a process group of its own, capturing its output.
 * `signalGroup(signal)` plays Ctrl-C; `exited` resolves with {code, signal} when the command is done.
 * @param {string[]} args
 * @param {{ tag: string, env?: Record<string, string>, cwd?: string }} options
 */
function runTagged(args, { tag, env = {}, cwd = root }) {
  const supervisor = path.join(root, "local", "supervise.cjs");
  const child = spawn(process.execPath, [supervisor, "--harness", "--grace", "20000", "--", ...args], {
    cwd,
    env: { ...process.env, ...env, [TAG]: tag },
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
  });
  child.stdin.on("error", () => {});
  let output = "";
  /** @type {Array<{check: () => boolean}>} */
  const listeners = [];
  const onData = (/** @type {Buffer} */ chunk) => {
    output += chunk.toString();
    for (const listener of listeners.splice(0)) if (!listener.check()) listeners.push(listener);
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  /** @type {Promise<{code: number | null, signal: NodeJS.Signals | null}>} */
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  return {
    child,
    exited,
    get output() {
      return output;
    },
    /** Resolves when the output matches `pattern` (rejects after `timeoutMs` or if the command ends first). */
    /**
     * @param {RegExp} pattern
     * @returns {Promise<RegExpExecArray>}
     */
    waitFor(pattern, timeoutMs = 180_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no ${pattern} in the output after ${timeoutMs} ms:\n${output.slice(-3000)}`)),
          timeoutMs,
        );
        const listener = {
          check: () => {
            const match = pattern.exec(output);
            if (!match) return false;
            clearTimeout(timer);
            resolve(match);
            return true;
          },
        };
        if (!listener.check()) listeners.push(listener);
        void exited.then(() => {
          if (listener.check()) return;
          clearTimeout(timer);
          reject(new Error(`the command ended without ${pattern}:\n${output.slice(-3000)}`));
        });
      });
    },
    /** @param {NodeJS.Signals} [signal] */
    signalGroup(signal = "SIGINT") {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        /* already gone */
      }
    },
  };
}

/**
 * Waits until no process carries `tag` and every port is free; resolves with what is still there after
 * `timeoutMs` (empty lists when all is gone).
 */
/**
 * @param {string} tag
 * @param {number[]} ports
 */
async function leftovers(tag, ports, timeoutMs = 30_000) {
  const { portFree } = require("../../local/running.cjs");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const processes = taggedProcesses(tag);
    const taken = [];
    for (const port of ports) if (!(await portFree(port))) taken.push(port);
    if ((!processes.length && !taken.length) || Date.now() >= deadline) return { processes, ports: taken };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** SIGKILLs whatever still carries the tag (the end of a failed test). */
/** @param {string} tag */
function killTagged(tag) {
  for (const { pid } of taggedProcesses(tag)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }
}

module.exports = { TAG, taggedProcesses, decodeAddress, loopbackOrNone, socketTable, SocketWatch, runTagged, leftovers, killTagged };
