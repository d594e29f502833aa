// @ts-check
/**
 * `npm run cli -- <command>`: the local stack from the shell. Every command finds the running stack
 * through the `stack.json` that `npm start` writes into its data directory (so moved ports are found),
 * and acts through the same interfaces a client or the platform would: the callables (as the seeded
 * superAdmin, or as a fan / host / celebrity after their login), the Vonage stand-in's control API and
 * the emulators' own endpoints. `npm run cli -- <command> --help` explains each command.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { execFile } = require("node:child_process");
const { messageOf } = require("./logs.cjs");
const { DEMO_SUPER_ADMIN, PROJECT_ID, dataDir: defaultDataDir, childEnv } = require("./config.cjs");
const { parseFlags, flagHelp, UsageError } = require("./options.cjs");
const { readRunningRecord, writeRunning, discoverStack, probeStack, diagnoseStack, alive, portFree } = require("./running.cjs");
const { withTimeout, inParallel } = require("./async.cjs");

const EVENT_STATUSES = /** @type {const} */ (["notStarted", "preshow", "live", "closed"]);
const ROLES = /** @type {const} */ (["producer", "host", "celebrity", "fan"]);
/** @typedef {(typeof EVENT_STATUSES)[number]} EventStatus */
/** @typedef {(typeof ROLES)[number]} Role */
const FAN_NAMES = [
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
  "Mo",
  "Nora",
  "Omar",
  "Pia",
];

/** @typedef {import("./config.cjs").Ports} Ports */
/** @typedef {import("./running.cjs").StackRecord} StackRecord */
/** @typedef {import("./options.cjs").FlagSpecs} FlagSpecs */
/** @typedef {ReturnType<typeof import("./client.cjs").newClient>} Client */
/** @typedef {import("@interactive-broadcast/contract").CallableName} CallableName */
/** @typedef {import("@interactive-broadcast/contract").EventRecord} EventRecord */
/** @typedef {import("@interactive-broadcast/contract").AdminRecord} AdminRecord */
/** An event as the commands list it: the stored record, its id and its admin's name. */
/** @typedef {EventRecord & { adminName: string }} ListedEvent */
/** `stageGates/{eventId}` as far as the status counts seats: shards of seat holders. */
/** @typedef {Record<string, { shards?: Record<string, Record<string, unknown> | null> } | null>} StageGates */
/** @typedef {{ values: Record<string, any>, positionals: string[], rest?: string[] }} CommandArgs */
/**
 * A command: its synopsis, what it does, its own flags (null: every flag goes to the command it runs),
 * how many positionals it takes.
 * @typedef {{ usage: string, summary: string, details: string, flags: FlagSpecs | null, positionals: number, run: (args: CommandArgs) => Promise<void> }} CommandSpec
 */

class CliError extends Error {}

/** @type {import("./options.cjs").FlagSpecs} */
const COMMON = {
  "data-dir": { type: "string", value: "DIR", help: "the stack's data directory (default LOCAL_DATA_DIR, else .local-stack/data)" },
  help: { type: "boolean", short: "h", help: "help for this command" },
};

/** Every command by name. @type {Record<string, CommandSpec>} */
const COMMANDS = {};

/** @param {string} name @param {CommandSpec} spec */
function command(name, spec) {
  // flags: null (superadmin) passes every flag on to the bootstrap command; keep it null.
  COMMANDS[name] = { ...spec, flags: spec.flags === null ? null : { ...spec.flags, ...COMMON } };
}

// ---------------------------------------------------------------------------------------------------
// Finding the stack, the superAdmin, the events

/** @param {Record<string, unknown>} values */
function dataDirOf(values) {
  const given = values["data-dir"];
  return typeof given === "string" && given ? path.resolve(given) : defaultDataDir();
}

/**
 * The running stack, or CliError saying where we looked.
 * @param {Record<string, unknown>} values
 */
async function requireStack(values) {
  const dir = dataDirOf(values);
  const found = await discoverStack(dir);
  if (!found) {
    const { stale } = readRunningRecord(dir);
    const why = stale ? ` (the last one, pid ${stale.pid}, is gone without cleaning up)` : "";
    throw new CliError(
      `no local stack is running${why}: start one with \`npm start\` (looked for ${path.join(dir, "stack.json")} and the default ports)`,
    );
  }
  return { ...found, dir };
}

/**
 * GET from the database server as the admin (the debug view; the official emulator takes `owner` too).
 * @param {Pick<Ports, "database">} ports @param {string} at
 * @returns {Promise<unknown>}
 */
async function databaseGet(ports, at) {
  const url = `http://127.0.0.1:${ports.database}/${at.replace(/^\/+/, "")}.json?ns=${PROJECT_ID}-default-rtdb`;
  let response;
  try {
    response = await fetch(url, { headers: { authorization: "Bearer owner" }, signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new CliError(`the Realtime Database (127.0.0.1:${ports.database}) does not answer: ${messageOf(error)}`);
  }
  if (!response.ok) throw new CliError(`the Realtime Database answered ${response.status} for ${at}`);
  return response.json();
}

/** @param {Pick<Ports, "database">} ports */
async function readAdmins(ports) {
  return /** @type {Record<string, AdminRecord> | null} */ (await databaseGet(ports, "admins"));
}

/**
 * Every event, newest last, with its admin's name.
 * @param {Pick<Ports, "database">} ports
 * @returns {Promise<ListedEvent[]>}
 */
async function listEvents(ports) {
  const [events, admins] = await Promise.all([databaseGet(ports, "events"), readAdmins(ports)]);
  return Object.entries(/** @type {Record<string, EventRecord> | null} */ (events) ?? {})
    .map(([id, event]) => ({ ...event, id, adminName: admins?.[event.adminId]?.displayName ?? event.adminId }))
    .sort((a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0));
}

/**
 * An event by id, fan slug, name (case-insensitive; the open one when several share it) or `demo`
 * (the seeded demo show).
 * @param {Pick<Ports, "database">} ports @param {StackRecord | null} record @param {string} [wanted]
 */
async function findEvent(ports, record, wanted = "demo") {
  const events = await listEvents(ports);
  if (!events.length) throw new CliError("there are no events yet (npm run cli -- reset seeds the demo show)");
  let matches = events.filter((event) => event.id === wanted || event.fanUrl === wanted);
  if (!matches.length && wanted === "demo") {
    matches = events.filter((event) => event.id === record?.demoEventId || event.name === "Demo Show");
  }
  if (!matches.length) matches = events.filter((event) => event.name.toLowerCase() === wanted.toLowerCase());
  if (matches.length > 1) {
    const open = matches.filter((event) => event.status !== "closed");
    if (open.length === 1) matches = open;
  }
  if (matches.length === 1) return matches[0];
  const known = events.map((event) => `"${event.name}" (${event.id}, ${event.status})`).join(", ");
  if (!matches.length) throw new CliError(`no event "${wanted}"; the events: ${known}`);
  throw new CliError(`"${wanted}" names ${matches.length} events; give an id: ${matches.map((e) => `${e.id} (${e.status})`).join(", ")}`);
}

/** A web-SDK client of the stack; closed by `closeAll`. */
/** @type {Client[]} */
const clients = [];
/** @param {Ports} ports */
function client(ports) {
  const { newClient } = require("./client.cjs");
  const created = newClient(ports);
  clients.push(created);
  return created;
}
async function closeAll() {
  await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
}

/**
 * A callable, with a deadline and an error that says which part of the stack stopped answering. A
 * rate-limited call (the login and token functions allow RATE_LIMIT_PER_MINUTE per caller) waits as
 * the answer says and tries again.
 * @template {CallableName} N
 * @param {Ports} ports @param {Client} user @param {N} name
 * @param {import("@interactive-broadcast/contract").CallableInput<N>} data
 * @returns {Promise<import("@interactive-broadcast/contract").CallableOutput<N>>}
 */
async function call(ports, user, name, data, timeoutMs = 60_000) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const answer = await withTimeout(user.call(name, data), timeoutMs, `${name}`);
      return /** @type {import("@interactive-broadcast/contract").CallableOutput<N>} */ (answer);
    } catch (error) {
      const { code, details } = /** @type {{ code?: string, details?: { retryAfterSeconds?: number } }} */ (error);
      if (code === "functions/resource-exhausted" && attempt <= 5) {
        const seconds = Math.min(60, Math.max(1, Number(details?.retryAfterSeconds) || 5));
        console.error(`  (${name} is rate limited: trying again in ${seconds} s)`);
        await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
        continue;
      }
      throw await callError(ports, name, error);
    }
  }
}

/**
 * The callable's own error, or (internal, unavailable, a timeout) which part of the stack is down.
 * @param {Ports} ports @param {string} name @param {unknown} error
 */
async function callError(ports, name, error) {
  const code = /** @type {{ code?: string }} */ (error).code;
  if (code && !["functions/internal", "functions/unavailable", "functions/deadline-exceeded"].includes(code)) {
    return new CliError(`${name}: ${code.replace("functions/", "")}: ${messageOf(error)}`);
  }
  const down = await diagnoseStack(ports, ["functions", "database", "vonage", "auth"]);
  return new CliError(`${name}: ${down ?? `${code ?? ""} ${messageOf(error)}`.trim()}`);
}

/**
 * The seeded superAdmin, signed in (it produces every show: superAdmins may).
 * @param {Ports} ports @param {StackRecord | null} record
 */
async function superAdmin(ports, record) {
  const user = client(ports);
  const email = record?.superAdmin?.email ?? DEMO_SUPER_ADMIN.email;
  try {
    await withTimeout(user.signInWithPassword(email, DEMO_SUPER_ADMIN.password), 20_000, "the superAdmin's sign-in");
  } catch (error) {
    const down = await diagnoseStack(ports, ["auth"]);
    throw new CliError(`cannot sign in as the superAdmin ${email}: ${down ?? messageOf(error)} (npm run cli -- superadmin re-creates it)`);
  }
  return user;
}

/** The Vonage stand-in's control API; each answer is cast to what the caller asked for. @param {Pick<Ports, "vonage">} ports */
const vonage = (ports) => ({
  /**
   * @param {string} method @param {string} at @param {unknown} [body]
   * @returns {Promise<unknown>}
   */
  async request(method, at, body) {
    let response;
    try {
      response = await fetch(`http://127.0.0.1:${ports.vonage}/_control${at}`, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new CliError(`the Vonage stand-in (127.0.0.1:${ports.vonage}) does not answer: ${messageOf(error)}`);
    }
    const text = await response.text();
    if (!response.ok) throw new CliError(`Vonage stand-in ${method} ${at}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  },
});

/** @param {string | number | null | undefined} text @param {number} width */
const pad = (text, width) => String(text ?? "").padEnd(width);
/** @param {number} ms */
const ago = (ms) => {
  const seconds = Math.max(0, Math.round((Date.now() - ms) / 1000));
  return seconds < 120 ? `${seconds} s` : seconds < 7200 ? `${Math.round(seconds / 60)} min` : `${Math.round(seconds / 3600)} h`;
};

// ---------------------------------------------------------------------------------------------------
// status

/**
 * What the data directory keeps, read from its files (the stack may be stopped).
 * @param {string} dir
 */
function keptData(dir) {
  const database = path.join(dir, "database.json");
  const accounts = path.join(dir, "auth", "auth_export", "accounts.json");
  /** @type {{ events?: Record<string, EventRecord>, admins?: Record<string, AdminRecord>, stageGates?: StageGates } | null} */
  let data = null;
  /** @type {unknown[] | null} */
  let users = null;
  try {
    data = JSON.parse(fs.readFileSync(database, "utf8"));
  } catch {
    /* none kept */
  }
  try {
    users = JSON.parse(fs.readFileSync(accounts, "utf8")).users ?? [];
  } catch {
    /* none kept */
  }
  return { data, users, database: fs.existsSync(database) ? database : null };
}

/** @param {ListedEvent[]} events @param {StageGates | null | undefined} gates */
function eventRows(events, gates) {
  const rows = events.map((event) => {
    // Seats live in shards of the gate (functions/src/seats/shards.ts): count the holders of all.
    const seats = Object.values(gates?.[event.id]?.shards ?? {}).reduce((sum, shard) => sum + Object.keys(shard ?? {}).length, 0);
    return [
      event.name,
      event.id,
      event.adminName,
      event.status,
      `${seats}/${event.interactiveLimit ?? "?"}`,
      event.archive?.status ?? "-",
      event.broadcast?.status ?? "-",
      event.fanUrl,
    ];
  });
  const header = ["event", "id", "admin", "status", "seats", "archive", "broadcast", "fan slug"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => String(row[i]).length)) + 2);
  return [header, ...rows].map(
    (row) =>
      `  ${row
        .map((cell, i) => pad(cell, widths[i]))
        .join("")
        .trimEnd()}`,
  );
}

command("status", {
  usage: "status [--json]",
  summary: "what runs where, the superAdmin, the events and their states",
  details:
    "Reads the stack.json the running stack wrote, checks that each part answers, and lists the admins'\n" +
    "events with their state. With the stack stopped it shows what the data directory keeps.",
  flags: { json: { type: "boolean", help: "one JSON object instead of text" } },
  positionals: 0,
  async run({ values }) {
    const dir = dataDirOf(values);
    const { running, stale } = readRunningRecord(dir);
    const found = running ? { ports: running.ports, record: running } : await discoverStack(dir);
    if (!found) {
      const kept = keptData(dir);
      const events = Object.entries(kept.data?.events ?? {}).map(([id, event]) => ({
        ...event,
        id,
        adminName: kept.data?.admins?.[event.adminId]?.displayName ?? event.adminId,
      }));
      if (values.json) {
        console.log(
          JSON.stringify({ running: false, dataDir: dir, stale: stale ?? null, users: kept.users?.length ?? 0, events }, null, 2),
        );
        return;
      }
      console.log(`No local stack is running${stale ? ` (the last one, pid ${stale.pid}, stopped without cleaning up)` : ""}.`);
      console.log(
        `Data directory ${dir}: ${kept.database ? `${events.length} event(s), ${kept.users?.length ?? 0} Auth account(s) kept` : "nothing kept"}.`,
      );
      if (events.length) for (const line of eventRows(events, kept.data?.stageGates)) console.log(line);
      console.log("`npm start` starts the stack with this data; `npm start -- --fresh` starts empty.");
      return;
    }
    const { ports, record } = found;
    const parts = await probeStack(ports);
    /** @type {ListedEvent[]} */
    let events = [];
    /** @type {StageGates | null} */
    let gates = null;
    /** @type {Record<string, AdminRecord> | null} */
    let admins = null;
    if (parts.find((part) => part.name === "database")?.up) {
      let stageGates;
      [events, stageGates, admins] = await Promise.all([listEvents(ports), databaseGet(ports, "stageGates"), readAdmins(ports)]);
      gates = /** @type {StageGates | null} */ (stageGates);
    }
    const superAdmins = Object.entries(admins ?? {})
      .filter(([, admin]) => admin.superAdmin)
      .map(([uid, admin]) => ({ uid, email: admin.email, name: admin.displayName }));
    if (values.json) {
      console.log(JSON.stringify({ running: true, dataDir: record ? dir : null, record, ports, parts, superAdmins, events }, null, 2));
      return;
    }
    console.log(
      record
        ? `Local stack running (pid ${record.pid}, up ${record.startedAt ? ago(record.startedAt) : "?"}, project ${record.projectId}), data in ${record.dataDir}`
        : "A stack answers on the environment's ports (it wrote no stack.json: not started by npm start?)",
    );
    for (const part of parts) {
      console.log(`  ${pad(part.label, 22)}127.0.0.1:${pad(part.port, 7)}${part.up ? "answering" : "NOT ANSWERING"}   (${part.variable})`);
    }
    if (record?.logFile) console.log(`  emulators' log         ${record.logFile}`);
    console.log("");
    for (const admin of superAdmins) {
      const seeded = admin.email === DEMO_SUPER_ADMIN.email ? ` / ${DEMO_SUPER_ADMIN.password}` : "";
      console.log(`superAdmin  ${admin.name} <${admin.email}${seeded}>  uid ${admin.uid}`);
    }
    if (!superAdmins.length) console.log("superAdmin  none yet (npm run cli -- superadmin)");
    console.log(`admins      ${Object.keys(admins ?? {}).length}`);
    console.log("");
    if (events.length) for (const line of eventRows(events, gates)) console.log(line);
    else console.log("No events.");
    const down = parts.filter((part) => !part.up);
    if (down.length) process.exitCode = 1;
  },
});

// ---------------------------------------------------------------------------------------------------
// stop

/**
 * Waits until the process is gone and the ports are free.
 * @param {number} pid @param {Ports} ports @param {number} timeoutMs
 */
async function waitStopped(pid, ports, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive(pid)) {
      const free = await Promise.all(Object.values(ports).map((port) => portFree(port)));
      if (free.every(Boolean)) return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

command("stop", {
  usage: "stop",
  summary: "stop the running stack (as Ctrl-C in its terminal; the data is kept)",
  details: "Sends SIGTERM to the stack's process and waits until it is gone and its ports are free.",
  flags: {},
  positionals: 0,
  async run({ values }) {
    const dir = dataDirOf(values);
    const { running, stale } = readRunningRecord(dir);
    if (!running) {
      console.log(`No local stack is running from ${dir}${stale ? ` (pid ${stale.pid} is already gone)` : ""}.`);
      return;
    }
    const started = Date.now();
    console.log(`Stopping the local stack (pid ${running.pid}) ...`);
    process.kill(running.pid, "SIGTERM");
    if (!(await waitStopped(running.pid, running.ports, 60_000))) {
      throw new CliError(`the stack (pid ${running.pid}) did not stop within 60 s`);
    }
    console.log(`Stopped in ${((Date.now() - started) / 1000).toFixed(1)} s; the data is kept in ${dir}.`);
  },
});

// ---------------------------------------------------------------------------------------------------
// reset

/**
 * The seed of `npm start`, against a running stack; updates stack.json.
 * @param {{ ports: Ports, record: StackRecord | null, dir: string }} found
 */
async function seedAgain(found) {
  const { ensureDemoSuperAdmin, ensureDemoEvent } = require("./seed.cjs");
  const admin = await ensureDemoSuperAdmin(found.ports);
  const event = await ensureDemoEvent(found.ports);
  if (found.record) writeRunning(found.dir, { ...found.record, superAdmin: { email: admin.email, uid: admin.id }, demoEventId: event.id });
  return { admin, event };
}

command("reset", {
  usage: "reset",
  summary: "start over: empty database, no Auth accounts, no Vonage sessions, then the demo data again",
  details:
    "On a running stack: deletes every Auth account and the whole database, resets the Vonage stand-in,\n" +
    "and seeds the superAdmin and the demo show again (new ids). On a stopped one: drops the kept data,\n" +
    "so the next `npm start` starts empty (as `npm start -- --fresh`).",
  flags: {},
  positionals: 0,
  async run({ values }) {
    const dir = dataDirOf(values);
    const found = await discoverStack(dir);
    if (!found) {
      require("./stack.cjs").clearState(dir);
      console.log(`No stack running: the kept data in ${dir} is dropped; the next npm start starts empty.`);
      return;
    }
    const { ports } = found;
    const response = await fetch(`http://127.0.0.1:${ports.auth}/emulator/v1/projects/${PROJECT_ID}/accounts`, {
      method: "DELETE",
      signal: AbortSignal.timeout(10_000),
    }).catch((error) => {
      throw new CliError(`the Auth emulator (127.0.0.1:${ports.auth}) does not answer: ${messageOf(error)}`);
    });
    if (!response.ok) throw new CliError(`the Auth emulator refused to delete the accounts: ${response.status}`);
    await clearDatabase(ports);
    await vonage(ports).request("POST", "/reset");
    const { admin, event } = await seedAgain({ ...found, dir });
    console.log(`Reset. superAdmin ${admin.email} (uid ${admin.id}); demo event "${event.name}" (${event.id}, ${event.status}).`);
  },
});

/**
 * Removes the whole database as the admin (firebase-admin bypasses the rules, on either server).
 * @param {Pick<Ports, "database">} ports
 */
async function clearDatabase(ports) {
  const { initializeApp, deleteApp } = require("firebase-admin/app");
  const { getDatabase } = require("firebase-admin/database");
  const previous = process.env.FIREBASE_DATABASE_EMULATOR_HOST;
  process.env.FIREBASE_DATABASE_EMULATOR_HOST = `127.0.0.1:${ports.database}`;
  const app = initializeApp(
    { projectId: PROJECT_ID, databaseURL: `https://${PROJECT_ID}-default-rtdb.firebaseio.com` },
    `cli-${process.pid}`,
  );
  try {
    await withTimeout(getDatabase(app).ref("/").set(null), 15_000, "clearing the database");
  } finally {
    if (previous === undefined) delete process.env.FIREBASE_DATABASE_EMULATOR_HOST;
    else process.env.FIREBASE_DATABASE_EMULATOR_HOST = previous;
    await deleteApp(app);
  }
}

// ---------------------------------------------------------------------------------------------------
// export

command("export", {
  usage: "export DIR",
  summary: "snapshot of the database and the Auth accounts (npm start -- --import DIR starts from it)",
  details:
    "Writes DIR/database.json and DIR/auth/ (the Auth emulator's export format). Works on a running stack\n" +
    "(through the emulator hub and the database) and on a stopped one (a copy of the kept data).",
  flags: {},
  positionals: 1,
  async run({ values, positionals }) {
    const [target] = positionals;
    if (!target) throw new UsageError("give the directory to write the snapshot to");
    const out = path.resolve(target);
    const dir = dataDirOf(values);
    fs.mkdirSync(out, { recursive: true });
    const found = await discoverStack(dir);
    if (!found) {
      const kept = keptData(dir);
      if (!kept.database && !kept.users) throw new CliError(`nothing to export: ${dir} keeps no data`);
      if (kept.database) fs.copyFileSync(kept.database, path.join(out, "database.json"));
      if (fs.existsSync(path.join(dir, "auth"))) fs.cpSync(path.join(dir, "auth"), path.join(out, "auth"), { recursive: true });
      console.log(`Snapshot of the kept data written to ${out}.`);
      return;
    }
    const { ports } = found;
    const response = await fetch(`http://127.0.0.1:${ports.database}/.json?format=export&ns=${PROJECT_ID}-default-rtdb`, {
      headers: { authorization: "Bearer owner" },
      signal: AbortSignal.timeout(30_000),
    });
    fs.writeFileSync(path.join(out, "database.json"), await response.text());
    const exported = await fetch(`http://127.0.0.1:${ports.hub}/_admin/export`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ path: path.join(out, "auth"), initiatedBy: "export", targets: ["auth"] }),
      signal: AbortSignal.timeout(60_000),
    }).catch((error) => {
      throw new CliError(`the emulator hub (127.0.0.1:${ports.hub}) does not answer: ${messageOf(error)}`);
    });
    if (!exported.ok) throw new CliError(`the emulator hub refused the export: ${exported.status} ${await exported.text()}`);
    console.log(`Snapshot written to ${out} (database.json, auth/). npm start -- --import ${target} starts from it.`);
  },
});

// ---------------------------------------------------------------------------------------------------
// token

/**
 * Signs in as the event's host / celebrity / a new fan through their login callable.
 * @param {Ports} ports @param {"host" | "celebrity" | "fan"} role @param {EventRecord} event
 */
async function participant(ports, role, event) {
  const user = client(ports);
  const slug = { host: event.hostUrl, celebrity: event.celebrityUrl, fan: event.fanUrl }[role];
  const login = /** @type {const} */ ({ host: "loginHost", celebrity: "loginCelebrity", fan: "loginFan" })[role];
  const answer = await call(ports, user, login, { adminId: event.adminId, slug });
  await withTimeout(user.signInWithCustomToken(answer.token), 20_000, `the ${role}'s sign-in`);
  return { user, uid: answer.uid };
}

command("token", {
  usage: "token ROLE [EVENT] [--json] [--keep-seat]",
  summary: "mint a Vonage client token as the backend does (producer | host | celebrity | fan)",
  details:
    "Through the real callables: the producer's tokens as the superAdmin (createTokenProducer), the host's\n" +
    "and the celebrity's after their link login (createTokenHostCeleb), a fan's after loginFan\n" +
    "(createTokensFan: a seat, or HLS when they are taken). EVENT is an id, a fan slug, a name, or `demo`\n" +
    "(the default). A fan's seat is freed again at once (the token stays valid) unless --keep-seat.",
  flags: {
    json: { type: "boolean", help: "the callable's whole answer as JSON" },
    "keep-seat": { type: "boolean", help: "fan: keep the seat (held until released: releaseSeat, or reset)" },
  },
  positionals: 2,
  async run({ values, positionals }) {
    const [roleText, wanted = "demo"] = positionals;
    if (!ROLES.some((known) => known === roleText))
      throw new UsageError(`ROLE must be one of ${ROLES.join(", ")}${roleText ? `, not "${roleText}"` : ""}`);
    const role = /** @type {Role} */ (roleText);
    const found = await requireStack(values);
    const { ports } = found;
    const event = await findEvent(ports, found.record, wanted);
    /** @typedef {import("@interactive-broadcast/contract").CallableOutputs} Outputs */
    /** @type {Outputs["createTokenProducer"] | Outputs["createTokenHostCeleb"] | Outputs["createTokensFan"]} */
    let answer;
    if (role === "producer") {
      answer = await call(ports, await superAdmin(ports, found.record), "createTokenProducer", { eventId: event.id });
    } else {
      const { user, uid } = await participant(ports, role, event);
      if (role === "fan") {
        const fanAnswer = await call(ports, user, "createTokensFan", { fanId: uid });
        answer = fanAnswer;
        if (fanAnswer.mode === "interactive" && !values["keep-seat"]) {
          // Freed at once: the token stays valid (Vonage checks tokens, not seats), the seat is not held.
          const { ref, remove } = require("firebase/database");
          await remove(ref(user.db, fanAnswer.seatPath));
        }
      } else {
        answer = await call(ports, user, "createTokenHostCeleb", {});
      }
    }
    if (values.json) {
      console.log(JSON.stringify(answer, null, 2));
      return;
    }
    console.log(`${role} of "${event.name}" (${event.id}, ${answer.status})`);
    if ("mode" in answer && answer.mode !== "interactive") {
      console.log(`  no seat (${answer.mode}, ${answer.reason}): ${answer.message}`);
      if (answer.mode === "hls" && answer.hlsUrl) console.log(`  hlsUrl          ${answer.hlsUrl}`);
      return;
    }
    console.log(`  apiKey          ${answer.apiKey}   (OT.initSession(apiKey, sessionId))`);
    if ("sessionId" in answer && answer.sessionId) console.log(`  sessionId       ${answer.sessionId}   (backstage)`);
    if ("backstageToken" in answer && answer.backstageToken) console.log(`  backstageToken  ${answer.backstageToken}`);
    console.log(`  stageSessionId  ${answer.stageSessionId}`);
    console.log(`  stageToken      ${answer.stageToken}`);
    console.log(`  expiresAt       ${new Date(answer.expiresAt).toISOString()}`);
    if ("mode" in answer) {
      console.log(
        `  seat            ${answer.seatPath}${values["keep-seat"] ? " (kept)" : " (freed again at once; --keep-seat keeps it)"}`,
      );
    }
  },
});

// ---------------------------------------------------------------------------------------------------
// show

command("show", {
  usage: "show [EVENT] STATUS",
  summary: "move a show: preshow | live | closed (as its producer would, through changeStatus)",
  details:
    "Calls changeStatus as the superAdmin (who may produce every show) and prints what happened: the\n" +
    "archive and the HLS broadcast at go-live, the drain at close. EVENT is an id, a fan slug, a name or\n" +
    "`demo` (the default when only STATUS is given).",
  flags: {},
  positionals: 2,
  async run({ values, positionals }) {
    const [first, second] = positionals;
    const [wanted, statusText] = second === undefined ? ["demo", first] : [first, second];
    if (!EVENT_STATUSES.some((known) => known === statusText))
      throw new UsageError(`STATUS must be one of ${EVENT_STATUSES.join(", ")}${statusText ? `, not "${statusText}"` : ""}`);
    const status = /** @type {EventStatus} */ (statusText);
    const found = await requireStack(values);
    const { ports } = found;
    const event = await findEvent(ports, found.record, wanted);
    const boss = await superAdmin(ports, found.record);
    const started = Date.now();
    const answer = await call(ports, boss, "changeStatus", { id: event.id, status }, 180_000);
    console.log(`"${event.name}" (${event.id}): ${event.status} -> ${answer.status} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (answer.archive) console.log(`  archive    ${answer.archive.status}${answer.archive.id ? ` (${answer.archive.id})` : ""}`);
    if (answer.broadcast) {
      console.log(`  broadcast  ${answer.broadcast.status}${answer.broadcast.hlsUrl ? `, HLS ${answer.broadcast.hlsUrl}` : ""}`);
      if (answer.status === "closed" && answer.broadcast.stopAfter) {
        console.log(
          `  the broadcast stops after the drain, in ${Math.max(0, Math.round((answer.broadcast.stopAfter - Date.now()) / 1000))} s`,
        );
      }
    }
  },
});

// ---------------------------------------------------------------------------------------------------
// fans

command("fans", {
  usage: "fans [EVENT] N [--in-line K] [--for SECONDS]",
  summary: "N simulated fans join: seated ones connect to the stage, K get in line, the rest go to HLS",
  details:
    "Each fan logs in with the fan link (loginFan) and asks for tokens (createTokensFan). Fans with a seat\n" +
    "connect their stage token to the Vonage stand-in (so attendance counts them) and the first K of them\n" +
    "get in line (their activeFans record, as the fan app writes it); the others are sent to HLS. They\n" +
    "stay until Ctrl-C (or --for SECONDS), then leave: connections closed, records and seats removed.\n" +
    "The show must be in preshow or live.",
  flags: {
    "in-line": { type: "string", value: "K", help: "how many seated fans get in line (default 2)" },
    for: { type: "string", value: "SECONDS", help: "leave after this long instead of waiting for Ctrl-C" },
  },
  positionals: 2,
  async run({ values, positionals }) {
    const [first, second] = positionals;
    const [wanted, countText] = second === undefined ? ["demo", first] : [first, second];
    const count = Number(countText);
    if (!Number.isInteger(count) || count < 1 || count > 500)
      throw new UsageError(`N must be a whole number from 1 to 500, not "${countText ?? ""}"`);
    const inLine = values["in-line"] === undefined ? 2 : Number(values["in-line"]);
    if (!Number.isInteger(inLine) || inLine < 0) throw new UsageError("--in-line takes a whole number");
    const stay = values.for === undefined ? null : Number(values.for);
    if (stay !== null && !(stay >= 0)) throw new UsageError("--for takes a number of seconds");
    const found = await requireStack(values);
    const { ports } = found;
    const event = await findEvent(ports, found.record, wanted);
    if (event.status === "notStarted" || event.status === "closed") {
      throw new CliError(`"${event.name}" is ${event.status}: fans join from preshow on (npm run cli -- show ${event.id} preshow)`);
    }
    const { ref, set, remove, onDisconnect } = require("firebase/database");
    const stand = vonage(ports);
    const started = Date.now();
    const fans = await inParallel(Array.from({ length: count }), 4, async (_, index) => {
      const name = `${FAN_NAMES[index % FAN_NAMES.length]}${index >= FAN_NAMES.length ? ` ${Math.floor(index / FAN_NAMES.length) + 1}` : ""}`;
      const { user, uid } = await participant(ports, "fan", event);
      const answer = await call(ports, user, "createTokensFan", { fanId: uid });
      if (answer.mode === "interactive") await onDisconnect(ref(user.db, answer.seatPath)).remove();
      return { name, user, uid, answer, connectionId: /** @type {string | null} */ (null), inLine: false };
    });
    const seated = fans.filter(
      /**
       * @param {(typeof fans)[number]} fan
       * @returns {fan is (typeof fans)[number] & { answer: import("@interactive-broadcast/contract").InteractiveAnswer }}
       */
      (fan) => fan.answer.mode === "interactive",
    );
    for (const fan of seated) {
      const connection = /** @type {{ connectionId: string }} */ (
        await stand.request("POST", `/sessions/${encodeURIComponent(fan.answer.stageSessionId)}/connections`, {
          token: fan.answer.stageToken,
        })
      );
      fan.connectionId = connection.connectionId;
    }
    const lineBase = `activeBroadcasts/${event.adminId}/${event.fanUrl}/activeFans`;
    for (const fan of seated.slice(0, inLine)) {
      await set(ref(fan.user.db, `${lineBase}/${fan.uid}`), { id: fan.uid, name: fan.name, browser: "npm run cli -- fans" });
      await onDisconnect(ref(fan.user.db, `${lineBase}/${fan.uid}`)).remove();
      fan.inLine = true;
    }
    console.log(`${count} fans joined "${event.name}" (${event.status}) in ${((Date.now() - started) / 1000).toFixed(1)} s:`);
    for (const fan of fans) {
      const where =
        fan.answer.mode === "interactive"
          ? `seat, watching the stage${fan.inLine ? ", in line for the producer" : ""}`
          : fan.answer.mode === "hls"
            ? `HLS viewer: ${fan.answer.hlsUrl ?? "the stream starts when the show goes live"}`
            : `turned away: ${fan.answer.message}`;
      console.log(`  ${pad(fan.name, 10)}${where}`);
    }
    console.log(
      `${seated.length} seated (${seated.filter((f) => f.inLine).length} in line), ${fans.length - seated.length} on HLS or turned away.`,
    );
    /** @type {() => void} */
    let leave = () => {};
    const done = new Promise((resolve) => (leave = () => resolve(undefined)));
    process.once("SIGINT", leave);
    process.once("SIGTERM", leave);
    if (stay !== null) setTimeout(leave, stay * 1000);
    else console.log("They stay until Ctrl-C.");
    await done;
    for (const fan of seated) {
      if (fan.connectionId)
        await stand
          .request("DELETE", `/connections/${encodeURIComponent(fan.connectionId)}?reason=clientDisconnected`)
          .catch(() => undefined);
      if (fan.inLine) await remove(ref(fan.user.db, `${lineBase}/${fan.uid}`)).catch(() => undefined);
      await remove(ref(fan.user.db, fan.answer.seatPath)).catch(() => undefined);
    }
    console.log(`The ${count} fans left (connections closed, seats freed).`);
  },
});

// ---------------------------------------------------------------------------------------------------
// callbacks

/**
 * Callback records from a file: a JSON array, `{callbacks: [...]}` (the stand-in's list) or JSON lines.
 * @param {string} file
 * @returns {Array<{ kind: string, payload: Record<string, any> }>}
 */
function readCallbackFile(file) {
  const text = fs.readFileSync(file, "utf8").trim();
  /** @type {any[]} */
  let items;
  try {
    const parsed = JSON.parse(text);
    items = Array.isArray(parsed) ? parsed : Array.isArray(parsed?.callbacks) ? parsed.callbacks : [parsed];
  } catch {
    items = text
      .split("\n")
      .filter((line) => line.trim())
      .map((line, index) => {
        try {
          return JSON.parse(line);
        } catch {
          throw new CliError(`${file}:${index + 1} is not JSON`);
        }
      });
  }
  return items.map((item, index) => {
    const payload = item && typeof item === "object" && "payload" in item ? item.payload : item;
    if (!payload || typeof payload !== "object") throw new CliError(`${file}: callback ${index + 1} has no payload object`);
    const kind = item.kind ?? (payload.event === "archive" ? "archive" : payload.event === "broadcast" ? "broadcast" : "session");
    return { kind, payload };
  });
}

command("callbacks", {
  usage: "callbacks FILE | callbacks --record FILE",
  summary: "replay recorded Vonage callbacks to vonageCallbacks (or record the stand-in's so far)",
  details:
    "Replays each callback of FILE through the Vonage stand-in, which signs it as Vonage does and\n" +
    "delivers it to the vonageCallbacks function, and prints the function's answer per callback (a\n" +
    "callback already applied is answered 200 and changes nothing). FILE: a JSON array of payloads or\n" +
    "of {kind, payload} (the stand-in's list, GET /_control/callbacks, is one), or one JSON object per line.\n" +
    "--record FILE writes every callback the stand-in sent so far, ready to replay.",
  flags: { record: { type: "string", value: "FILE", help: "write the stand-in's callbacks to FILE instead" } },
  positionals: 1,
  async run({ values, positionals }) {
    const found = await requireStack(values);
    const stand = vonage(found.ports);
    if (values.record) {
      /** @typedef {{ kind?: string, payload?: unknown }} SentCallback */
      const listed = /** @type {SentCallback[] | { callbacks?: SentCallback[] } | null} */ (await stand.request("GET", "/callbacks"));
      const callbacks = Array.isArray(listed) ? listed : (listed?.callbacks ?? []);
      const records = callbacks
        .filter((c) => c.payload && typeof c.payload === "object")
        .map((c) => ({ kind: c.kind, payload: c.payload }));
      fs.writeFileSync(values.record, JSON.stringify(records, null, 2) + "\n");
      console.log(`${records.length} callback(s) written to ${values.record}.`);
      return;
    }
    const [file] = positionals;
    if (!file) throw new UsageError("give the callback file to replay (or --record FILE)");
    if (!fs.existsSync(file)) throw new CliError(`no file ${file}`);
    const items = readCallbackFile(file);
    /** @type {Record<string, number>} */
    const counts = {};
    for (const [index, item] of items.entries()) {
      const record = /** @type {{ state?: string, deliveries?: Array<{ status?: number, error?: string }> }} */ (
        await stand.request("POST", "/callbacks/send", item)
      );
      const delivery = record.deliveries?.at(-1);
      // the HTTP status the function answered, or why the delivery failed
      const answer = String(delivery?.status ?? delivery?.error ?? record.state);
      counts[answer] = (counts[answer] ?? 0) + 1;
      const what = `${item.kind} ${item.payload.event ?? ""}${item.payload.status ? ` ${item.payload.status}` : ""}`.trim();
      console.log(`  ${String(index + 1).padStart(3)}. ${pad(what, 34)} -> ${answer}`);
    }
    console.log(
      `${items.length} callback(s) replayed: ${Object.entries(counts)
        .map(([answer, n]) => `${n} x ${answer}`)
        .join(", ")}.`,
    );
    if (Object.keys(counts).some((answer) => !/^2\d\d$/.test(String(answer)))) process.exitCode = 1;
  },
});

// ---------------------------------------------------------------------------------------------------
// superadmin

command("superadmin", {
  usage: "superadmin [--email EMAIL --password PASSWORD --name NAME ...]",
  summary: "create or promote a superAdmin on the running stack (the bootstrap command, built first)",
  details:
    "Runs tools/create-superadmin.cjs --local against the running stack's Auth emulator and database\n" +
    "(npm run cli builds functions/lib first). Without --email it ensures the seeded superAdmin\n" +
    `(${DEMO_SUPER_ADMIN.email}). Every other option is the bootstrap command's: --password, --name,\n` +
    "--reset-password, --vonage-application-id + --vonage-private-key, --ot-api-key + --ot-secret\n" +
    "(node tools/create-superadmin.cjs --help).",
  flags: null, // passed on to tools/create-superadmin.cjs, which checks them
  positionals: 0,
  async run({ values, rest }) {
    const found = await requireStack(values);
    const args = [...(rest ?? [])];
    if (!args.some((arg) => arg === "--email" || arg.startsWith("--email="))) {
      args.push("--email", DEMO_SUPER_ADMIN.email, "--password", DEMO_SUPER_ADMIN.password, "--name", DEMO_SUPER_ADMIN.displayName);
    }
    const script = path.join(__dirname, "..", "tools", "create-superadmin.cjs");
    const fullArgs = [script, "--local", "--auth-port", String(found.ports.auth), "--database-port", String(found.ports.database), ...args];
    const code = await new Promise((resolve) => {
      const child = execFile(process.execPath, fullArgs, { env: childEnv() }, (error) => resolve(error ? (error.code ?? 1) : 0));
      child.stdout?.pipe(process.stdout);
      child.stderr?.pipe(process.stderr);
    });
    process.exitCode = typeof code === "number" ? code : 1;
  },
});

// ---------------------------------------------------------------------------------------------------

function usage() {
  const width = Math.max(...Object.values(COMMANDS).map((c) => c.usage.split(" ")[0].length)) + 2;
  return `npm run cli -- COMMAND [OPTIONS]: the local stack from the shell (npm run cli -- COMMAND --help).

${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(width)}${c.summary}`)
  .join("\n")}

Every command finds the running stack through the stack.json npm start writes in its data directory
(.local-stack/data, or LOCAL_DATA_DIR / --data-dir DIR), so moved ports are found.
`;
}

/** @param {string} name */
function commandHelp(name) {
  const c = COMMANDS[name];
  const flags = c.flags ? c.flags : COMMON;
  const summary = c.summary[0].toUpperCase() + c.summary.slice(1);
  return `npm run cli -- ${c.usage}\n\n${summary}.\n\n${c.details}\n\nOptions:\n${flagHelp(flags)}\n`;
}

/** @param {string[]} argv */
async function main(argv) {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(usage());
    if (!name) process.exitCode = 2;
    return;
  }
  const spec = COMMANDS[name];
  if (!spec) throw new UsageError(`unknown command "${name}"; the commands: ${Object.keys(COMMANDS).join(", ")}`);
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(commandHelp(name));
    return;
  }
  if (spec.flags === null) {
    // superadmin: only --data-dir is ours, the rest goes to the bootstrap command.
    /** @type {Record<string, string>} */
    const values = {};
    /** @type {string[]} */
    const passed = [];
    for (let i = 0; i < rest.length; i += 1) {
      if (rest[i] === "--data-dir") values["data-dir"] = rest[++i];
      else if (rest[i].startsWith("--data-dir=")) values["data-dir"] = rest[i].slice("--data-dir=".length);
      else passed.push(rest[i]);
    }
    await spec.run({ values, positionals: [], rest: passed });
    return;
  }
  const parsed = parseFlags(spec.flags, rest, { positionals: spec.positionals, what: `cli ${name}` });
  await spec.run(parsed);
}

if (require.main === module) {
  main(process.argv.slice(2))
    .catch((error) => {
      if (error instanceof UsageError) {
        console.error(
          `cli: ${error.message} (npm run cli -- ${process.argv[2] && COMMANDS[process.argv[2]] ? `${process.argv[2]} ` : ""}--help)`,
        );
        process.exitCode = 2;
      } else if (error instanceof CliError) {
        console.error(`cli: ${error.message}`);
        process.exitCode = 1;
      } else {
        console.error(`cli: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        process.exitCode = 1;
      }
    })
    .finally(async () => {
      await closeAll();
      // The web SDK keeps timers; exit when the command is done.
      process.exit(process.exitCode ?? 0);
    });
}

module.exports = { COMMANDS, main, readCallbackFile };
