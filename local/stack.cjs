// @ts-check
/**
 * Brings up the whole backend on localhost, offline: the Realtime Database server (enforcing
 * database.rules.json), the Vonage Video API stand-in, and the Firebase Auth + Functions emulators
 * wired to both. Used by `npm start`, the integration tests, the demo and the benchmarks.
 *
 * With `dataDir` the stack keeps its state there across restarts (`npm start`): the database in
 * `database.json`, the Auth accounts in `auth/` (the emulators' own export format), and it writes down
 * what runs where in `stack.json` for the CLI and the demo.
 *
 * Nothing of it reaches outside the machine: the emulators run with an environment that turns off
 * every lookup firebase-tools and firebase-admin would make (cloud metadata server, npm registry,
 * the user's Google credentials), see `offlineEnv`.
 */
"use strict";
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const http = require("node:http");
const os = require("node:os");
const path = require("node:path");
const readline = require("node:readline");
const {
  PROJECT_ID,
  LOCAL_VONAGE,
  LOCAL_SECRETS,
  STACK_DIR,
  localApplication,
  resolvePorts,
  functionUrl,
  childEnv,
} = require("./config.cjs");
const { takenPorts, portsMessage, readRunning, writeRunning, removeRunning } = require("./running.cjs");
const { hostingEmulator, webUrl, writeWebConfig } = require("./hosting.cjs");
const { stripAnsi } = require("./logs.cjs");

const root = path.resolve(__dirname, "..");

/** @typedef {import("./config.cjs").Ports} Ports */
/** @typedef {ReturnType<typeof localApplication>} LocalApplication */
/** @typedef {import("node:child_process").ChildProcess} ChildProcess */

/**
 * What `startStack` takes.
 * @typedef {object} StackOptions
 * @property {number} [portBase] added to every default port (tests run beside `npm start`)
 * @property {Partial<Ports>} [ports] ports set one by one
 * @property {(line: string) => void} [log] gets each line the emulators print
 * @property {Record<string, string>} [functionsEnv] extra param values for the functions
 * @property {boolean} [emulators] false: only the database server and the Vonage stand-in
 * @property {string} [dataDir] keep the database and Auth accounts there across restarts; write stack.json
 * @property {boolean} [fresh] drop what was kept first
 * @property {string} [importDir] start from a snapshot
 * @property {string} [logFile] the emulators' log (no escape codes)
 * @property {AbortSignal} [signal] abort a start half-way (Ctrl-C): everything started so far is stopped
 */

/** A running local stack, as `startStack` hands it over. @typedef {Awaited<ReturnType<typeof startStack>>} Stack */

class PortInUseError extends Error {}
class StackAborted extends Error {}

/**
 * Throws PortInUseError naming each taken port and the variable that moves it.
 * @param {Partial<Ports>} ports @param {{ dataDir?: string | null }} [options]
 */
async function assertPortsFree(ports, { dataDir } = {}) {
  const taken = await takenPorts(/** @type {Record<string, number>} */ (ports));
  if (taken.length) throw new PortInUseError(portsMessage(taken, dataDir ? readRunning(dataDir) : null));
}

/**
 * The functions' param values for this stack. The Functions emulator gives its workers the values from
 * env files over the process environment (and writes the defaults of unset params to `.env.local`), so
 * values passed only as environment variables (VONAGE_API_URL...) never arrived. Each stack gets its
 * own env directory (`configDir`), so a test stack and `npm start` in one checkout do not share it.
 * FIREBASE_* names are reserved in env files; those still travel in the process environment.
 * @param {Ports} ports @param {Record<string, string>} env
 */
function writeFunctionsEnvDir(ports, env) {
  const dir = path.join(".local-stack", `functions-env-${ports.functions}`);
  fs.rmSync(path.join(root, dir), { recursive: true, force: true });
  fs.mkdirSync(path.join(root, dir), { recursive: true });
  const lines = Object.entries(env)
    .filter(([key]) => !key.startsWith("FIREBASE_"))
    .map(([key, value]) => `${key}=${value}`);
  fs.writeFileSync(path.join(root, dir, ".env.local"), lines.join("\n") + "\n");
  return dir;
}

/**
 * firebase.json with this run's ports; the checked-in file keeps the defaults for deploys.
 * @param {Ports} ports @param {string} envDir
 */
function writeEmulatorConfig(ports, envDir) {
  /** @type {{ functions: object[], emulators?: object }} */
  const base = JSON.parse(fs.readFileSync(path.join(root, "firebase.json"), "utf8"));
  if (envDir) base.functions = base.functions.map((codebase) => ({ ...codebase, configDir: envDir }));
  base.emulators = {
    auth: { host: "127.0.0.1", port: ports.auth },
    functions: { host: "127.0.0.1", port: ports.functions },
    hub: { host: "127.0.0.1", port: ports.hub },
    logging: { host: "127.0.0.1", port: ports.logging },
    eventarc: { host: "127.0.0.1", port: ports.eventarc },
    tasks: { host: "127.0.0.1", port: ports.tasks },
    hosting: hostingEmulator(ports),
    ui: { enabled: false },
    singleProjectMode: true,
  };
  const file = path.join(root, `firebase.local-${ports.functions}.json`);
  fs.writeFileSync(file, JSON.stringify(base, null, 2));
  return file;
}

/**
 * Secret params for the functions emulator (it reads functions/.secret.local). Local values only.
 * @param {LocalApplication} application
 */
function writeLocalSecrets(application) {
  // The private key as base64 of its PEM: one line, which the functions' key reader accepts.
  const secrets = { ...LOCAL_SECRETS, VONAGE_PRIVATE_KEY: Buffer.from(application.privateKey).toString("base64") };
  const lines = Object.entries(secrets).map(([key, value]) => `${key}=${value}`);
  fs.writeFileSync(path.join(root, "functions", ".secret.local"), lines.join("\n") + "\n");
}

/**
 * The project-wide credential of the local stack is the stand-in's Vonage application (what a new
 * customer has); the legacy pair stays known to the stand-in for admins given it explicitly.
 * @param {Ports} ports @param {LocalApplication} application @param {Record<string, string>} [extra]
 * @returns {Record<string, string>}
 */
function functionsEnv(ports, application, extra) {
  return {
    FIREBASE_DATABASE_EMULATOR_HOST: `127.0.0.1:${ports.database}`,
    VONAGE_API_URL: `http://127.0.0.1:${ports.vonage}`,
    VONAGE_VIDEO_API_URL: `http://127.0.0.1:${ports.vonage}`,
    VONAGE_APPLICATION_ID: application.applicationId,
    VONAGE_API_KEY: LOCAL_VONAGE.apiKey,
    ...extra,
  };
}

/**
 * A stand-in for the cloud metadata server on a loopback port: every Google library that looks for
 * credentials or a project there (firebase-admin does when it enqueues a Cloud Task: the emulator's
 * workers look like Cloud Run to google-auth-library) gets a quick 404 instead of a connection to
 * 169.254.169.254. Counts what was asked, for `npm run cli -- status` and the tests.
 */
async function startMetadataRefusal() {
  /** @type {string[]} */
  const asked = [];
  const server = http.createServer((request, response) => {
    if (asked.length < 100) asked.push(`${request.method} ${request.url}`);
    response.writeHead(404, { "content-type": "text/plain" });
    response.end("The local stack is offline: no cloud metadata server here.\n");
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(undefined));
  });
  return {
    port: /** @type {import("node:net").AddressInfo} */ (server.address()).port,
    asked,
    close: () =>
      /** @type {Promise<void>} */ (
        new Promise((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        })
      ),
  };
}

/**
 * The emulators' environment without anything that would reach outside the machine:
 * - google-auth-library: no GCE detection, the metadata server on a loopback port that refuses, and a
 *   home directory of the stack's own (the user's gcloud credentials would be refreshed online);
 * - firebase-tools: npm offline (the Functions emulator runs `npm show firebase-functions` to suggest
 *   upgrades), no update notifier, its config store (login, usage analytics) in that home too, and its
 *   hub locator in a temporary directory of this stack (several stacks of one project on one machine
 *   otherwise share it, and export-on-exit could ask another stack's hub);
 * - no colours: the log is read by people in files, and by this module.
 * @param {{ metadataPort: number, home: string, tmp: string }} where
 */
function offlineEnv({ metadataPort, home, tmp }) {
  return {
    METADATA_SERVER_DETECTION: "none",
    GCE_METADATA_HOST: `127.0.0.1:${metadataPort}`,
    GCE_METADATA_IP: `127.0.0.1:${metadataPort}`,
    GOOGLE_CLOUD_PROJECT: PROJECT_ID,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, ".config"),
    CLOUDSDK_CONFIG: path.join(home, ".config", "gcloud"),
    npm_config_offline: "true",
    npm_config_update_notifier: "false",
    NO_UPDATE_NOTIFIER: "1",
    TMPDIR: tmp,
    NO_COLOR: "1",
    CI: "true",
  };
}

/** Variables that must not reach the emulators (credentials that would be used online, colours). */
const DROPPED = ["GOOGLE_APPLICATION_CREDENTIALS", "FORCE_COLOR", "FIREBASE_TOKEN", "GOOGLE_CLOUD_QUOTA_PROJECT"];

/**
 * Starts the emulators under local/supervise.cjs: the supervisor leads their process group and stops
 * all of it (exporting Auth data first) when this process stops or dies, even by SIGKILL.
 * @param {{
 *   configFile: string, env: Record<string, string>, log: (line: string) => void, logFile?: string,
 *   auth: { importDir: string | null, exportDir: string } | null, temporary?: string[],
 * }} options
 */
function startEmulators({ configFile, env, log, logFile, auth, temporary = [] }) {
  const firebaseBin = path.join(root, "node_modules", "firebase-tools", "lib", "bin", "firebase.js");
  const args = [
    firebaseBin,
    "emulators:start",
    "--only",
    "auth,functions,hosting",
    "--project",
    PROJECT_ID,
    "--non-interactive",
    "-c",
    configFile,
  ];
  if (auth?.importDir) args.push("--import", auth.importDir);
  if (auth?.exportDir) args.push("--export-on-exit", auth.exportDir);
  const supervisor = path.join(__dirname, "supervise.cjs");
  const childEnvironment = childEnv(env);
  for (const name of DROPPED) delete childEnvironment[name];
  const supervision = [...(logFile ? ["--log", logFile] : []), ...temporary.flatMap((file) => ["--remove", file])];
  const child = spawn(process.execPath, [supervisor, ...supervision, "--", process.execPath, ...args], {
    cwd: root,
    env: childEnvironment,
    stdio: ["pipe", "pipe", "pipe"],
    detached: true, // its own process group: stopping kills the function workers too
  });
  // Only the supervisor holds this pipe: it sees it close when this process goes away.
  child.stdin.on("error", () => {});
  /** @type {string[]} */
  const tail = [];
  /** @type {(() => void) | undefined} */
  let resolveReady;
  /** @param {string} line */
  const remember = (line) => {
    const clean = stripAnsi(line);
    if (!clean.trim()) return;
    tail.push(clean);
    if (tail.length > 60) tail.shift();
    log(clean);
    if (/All emulators ready/.test(clean)) resolveReady?.();
  };
  readline.createInterface({ input: child.stdout, crlfDelay: Infinity }).on("line", remember);
  readline.createInterface({ input: child.stderr, crlfDelay: Infinity }).on("line", remember);
  /** @type {Promise<void>} */
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulators not ready after 120 s:\n${tail.join("\n")}`)), 120_000);
    resolveReady = () => {
      clearTimeout(timer);
      resolve();
    };
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`emulators exited (${signal ?? `code ${code}`}) before they were ready:\n${tail.join("\n")}`));
    });
  });
  ready.catch(() => {});
  return { child, ready, tail };
}

/**
 * Stops the supervisor (which stops the emulators and their workers); SIGKILLs the group at the end.
 * @param {ChildProcess | null} child
 * @returns {Promise<void>}
 */
function stopProcessGroup(child, timeoutMs = 25_000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const pid = /** @type {number} */ (child.pid); // a child that started (it has not exited) has a pid
  return new Promise((resolve) => {
    const killGroup = () => {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    };
    const timer = setTimeout(() => {
      killGroup();
      resolve();
    }, timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      // the workers share the group; make sure none outlives the CLI
      killGroup();
      resolve();
    });
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

/**
 * The persisted state's files in a data directory.
 * @param {string} dir
 */
function stateFiles(dir) {
  return {
    database: path.join(dir, "database.json"),
    auth: path.join(dir, "auth"),
    authMetadata: path.join(dir, "auth", "firebase-export-metadata.json"),
  };
}

/**
 * Drops the kept state (`--fresh`, `cli reset` on a stopped stack); stack.json and logs stay.
 * @param {string} dir
 */
function clearState(dir) {
  const files = stateFiles(dir);
  fs.rmSync(files.database, { force: true });
  fs.rmSync(files.auth, { recursive: true, force: true });
}

/**
 * Replaces the kept state with a snapshot (`npm start -- --import DIR`): a directory made by
 * `npm run cli -- export DIR` (database.json and/or auth/).
 * @param {string} dir @param {string} snapshot
 */
function importState(dir, snapshot) {
  const from = stateFiles(path.resolve(snapshot));
  const hasDatabase = fs.existsSync(from.database);
  const hasAuth = fs.existsSync(from.authMetadata);
  if (!hasDatabase && !hasAuth) {
    throw new Error(`${snapshot} is not a snapshot: it has neither database.json nor auth/firebase-export-metadata.json`);
  }
  clearState(dir);
  fs.mkdirSync(dir, { recursive: true });
  if (hasDatabase) fs.copyFileSync(from.database, stateFiles(dir).database);
  if (hasAuth) fs.cpSync(from.auth, stateFiles(dir).auth, { recursive: true });
  return { database: hasDatabase, auth: hasAuth };
}

/**
 * The stack up and wired (see StackOptions); its `stop()` stops all of it.
 * @param {StackOptions} [options]
 */
async function startStack(options = {}) {
  const log = options.log ?? (() => {});
  const ports = resolvePorts({ base: options.portBase ?? 0, overrides: options.ports ?? {} });
  const emulators = options.emulators !== false;
  const dataDir = options.dataDir ? path.resolve(options.dataDir) : null;
  await assertPortsFree(emulators ? ports : { database: ports.database, vonage: ports.vonage }, { dataDir });

  /** @type {Array<() => unknown>} */
  const stopping = [];
  const abort = () => {
    if (options.signal?.aborted) throw new StackAborted("the start was interrupted");
  };
  const runStops = async () => {
    for (const stop of stopping.reverse().splice(0)) await Promise.resolve(stop()).catch(() => {});
  };
  try {
    abort();
    let imported = null;
    if (dataDir) {
      fs.mkdirSync(dataDir, { recursive: true });
      if (options.importDir) imported = importState(dataDir, options.importDir);
      else if (options.fresh) clearState(dataDir);
    }
    const files = dataDir ? stateFiles(dataDir) : null;
    const { startDatabaseServer } = require("./database-server");
    const { startVonageStandin } = require("./vonage-standin");
    const application = localApplication();
    const database = await startDatabaseServer({
      port: ports.database,
      host: "127.0.0.1",
      rulesFile: path.join(root, "database.rules.json"),
      ...(files ? { persistFile: files.database } : {}),
    });
    stopping.push(() => database.close());
    abort();
    const vonage = await startVonageStandin({
      port: ports.vonage,
      host: "127.0.0.1",
      projects: { [LOCAL_VONAGE.apiKey]: LOCAL_VONAGE.apiSecret },
      applications: { [application.applicationId]: { publicKey: application.publicKey, video: true } },
      callbackUrl: functionUrl(ports, "vonageCallbacks"),
      callbackSigningSecret: LOCAL_SECRETS.VONAGE_CALLBACK_SIGNING_SECRET,
      // The stand-in keeps sessions in memory: a kept event's session ids (created before the restart)
      // must still work.
      adoptUnknownSessions: Boolean(dataDir),
      // npm start: a callback that meets a function worker's cold start (over 5 s on 2 cores) is
      // retried, as the platform does, instead of lost. Tests keep the deterministic single delivery.
      ...(dataDir ? { callbackTimeoutMs: 20_000, callbackRetries: 2, callbackRetryDelayMs: 1000 } : {}),
    });
    stopping.push(() => vonage.close());
    abort();
    const metadata = await startMetadataRefusal();
    stopping.push(() => metadata.close());
    const env = functionsEnv(ports, application, options.functionsEnv);
    /** @type {ChildProcess | null} */
    let emulatorProcess = null;
    if (emulators) {
      writeLocalSecrets(application);
      const envDir = writeFunctionsEnvDir(ports, env);
      stopping.push(() => fs.rmSync(path.join(root, envDir), { recursive: true, force: true }));
      const configFile = writeEmulatorConfig(ports, envDir);
      stopping.push(() => fs.rmSync(configFile, { force: true }));
      stopping.push(writeWebConfig(ports));
      const home = path.join(STACK_DIR, "home");
      fs.mkdirSync(path.join(home, ".config", "gcloud"), { recursive: true });
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `ibs-stack-${ports.functions}-`));
      stopping.push(() => fs.rmSync(tmp, { recursive: true, force: true }));
      if (options.logFile) fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
      const started = startEmulators({
        configFile,
        env: { ...env, ...offlineEnv({ metadataPort: metadata.port, home, tmp }) },
        log,
        logFile: options.logFile,
        auth: files ? { importDir: fs.existsSync(files.authMetadata) ? files.auth : null, exportDir: files.auth } : null,
        // Removed by the supervisor too, should this process die before its own clean-up.
        temporary: [tmp, configFile, path.join(root, envDir)],
      });
      emulatorProcess = started.child;
      stopping.push(() => stopProcessGroup(emulatorProcess));
      await new Promise((resolve, reject) => {
        started.ready.then(() => resolve(undefined), reject);
        options.signal?.addEventListener("abort", () => reject(new StackAborted("the start was interrupted")), { once: true });
      });
    }
    abort();
    const record = {
      pid: process.pid,
      emulatorsPid: emulatorProcess?.pid ?? null,
      projectId: PROJECT_ID,
      ports,
      dataDir,
      logFile: options.logFile ?? null,
      startedAt: Date.now(),
    };
    if (dataDir) {
      writeRunning(dataDir, record);
      stopping.push(() => removeRunning(dataDir));
    }
    return {
      projectId: PROJECT_ID,
      ports,
      application,
      database,
      vonage,
      env,
      dataDir,
      imported,
      record,
      emulatorsPid: emulatorProcess?.pid ?? null,
      /** What asked the loopback metadata stand-in (credential lookups that would have gone online). */
      metadataRequests: metadata.asked,
      /** @param {string} name */
      functionUrl: (name) => functionUrl(ports, name),
      webUrl: emulators ? webUrl(ports) : null,
      /**
       * Adds fields to stack.json (the seeded superAdmin, the demo event).
       * @param {Partial<import("./running.cjs").StackRecord>} fields
       */
      describe(fields) {
        Object.assign(record, fields);
        if (dataDir) writeRunning(dataDir, record);
      },
      stop: runStops,
    };
  } catch (error) {
    await runStops();
    throw error;
  }
}

module.exports = { startStack, PortInUseError, StackAborted, assertPortsFree, stateFiles, clearState, importState };
