/**
 * Brings up the whole backend on localhost, offline: the Realtime Database server (enforcing
 * database.rules.json), the Vonage Video API stand-in, and the Firebase Auth + Functions emulators
 * wired to both. Used by `npm start`, the integration tests, the demo and the benchmarks.
 */
"use strict";
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const net = require("node:net");
const path = require("node:path");
const { PROJECT_ID, LOCAL_VONAGE, LOCAL_SECRETS, localApplication, resolvePorts, functionUrl, childEnv } = require("./config.cjs");
const { hostingEmulator, webUrl, writeWebConfig } = require("./hosting.cjs");

const root = path.resolve(__dirname, "..");

class PortInUseError extends Error {}

function portFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

async function assertPortsFree(ports) {
  const taken = [];
  for (const [name, port] of Object.entries(ports)) if (!(await portFree(port))) taken.push(`${name} ${port}`);
  if (taken.length) {
    throw new PortInUseError(
      `port(s) already in use: ${taken.join(", ")}. Stop whatever holds them (an earlier npm start?) or pick ` +
        `other ports with LOCAL_<NAME>_PORT, e.g. LOCAL_FUNCTIONS_PORT=5101.`,
    );
  }
}

/**
 * The functions' param values for this stack. The Functions emulator gives its workers the values from
 * env files over the process environment (and writes the defaults of unset params to `.env.local`), so
 * values passed only as environment variables (VONAGE_API_URL...) never arrived. Each stack gets its
 * own env directory (`configDir`), so a test stack and `npm start` in one checkout do not share it.
 * FIREBASE_* names are reserved in env files; those still travel in the process environment.
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

/** firebase.json with this run's ports; the checked-in file keeps the defaults for deploys. */
function writeEmulatorConfig(ports, envDir) {
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

/** Secret params for the functions emulator (it reads functions/.secret.local). Local values only. */
function writeLocalSecrets(application) {
  // The private key as base64 of its PEM: one line, which the functions' key reader accepts.
  const secrets = { ...LOCAL_SECRETS, VONAGE_PRIVATE_KEY: Buffer.from(application.privateKey).toString("base64") };
  const lines = Object.entries(secrets).map(([key, value]) => `${key}=${value}`);
  fs.writeFileSync(path.join(root, "functions", ".secret.local"), lines.join("\n") + "\n");
}

/**
 * The project-wide credential of the local stack is the stand-in's Vonage application (what a new
 * customer has); the legacy pair stays known to the stand-in for admins given it explicitly.
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

function startEmulators(ports, configFile, env, log) {
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
  const child = spawn(process.execPath, args, {
    cwd: root,
    // METADATA_SERVER_DETECTION: the Hosting emulator asks for the project's default site; offline,
    // its auth library must not probe the cloud metadata server for credentials.
    env: childEnv({ ...env, FORCE_COLOR: "0", CI: "true", METADATA_SERVER_DETECTION: "none" }),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group: stopping kills the function workers too
  });
  const tail = [];
  const remember = (chunk) => {
    for (const line of chunk.toString().split("\n")) {
      if (!line.trim()) continue;
      tail.push(line);
      if (tail.length > 60) tail.shift();
      log(line);
    }
  };
  child.stdout.on("data", remember);
  child.stderr.on("data", remember);
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulators not ready after 120 s:\n${tail.join("\n")}`)), 120_000);
    child.stdout.on("data", (chunk) => {
      if (/All emulators ready/.test(chunk.toString())) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`emulators exited (code ${code}) before they were ready:\n${tail.join("\n")}`));
    });
  });
  return { child, ready };
}

function stopProcessGroup(child, timeoutMs = 10_000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        /* already gone */
      }
      resolve();
    }, timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      // the workers share the group; make sure none outlives the CLI
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        /* already gone */
      }
      resolve();
    });
    try {
      process.kill(-child.pid, "SIGINT");
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

/**
 * @param {{portBase?: number, ports?: object, log?: (line: string) => void, functionsEnv?: object, emulators?: boolean}} options
 */
async function startStack(options = {}) {
  const log = options.log ?? (() => {});
  const ports = resolvePorts({ base: options.portBase ?? 0, overrides: options.ports ?? {} });
  const emulators = options.emulators !== false;
  await assertPortsFree(emulators ? ports : { database: ports.database, vonage: ports.vonage });

  const { startDatabaseServer } = require("./database-server");
  const { startVonageStandin } = require("./vonage-standin");
  const stopping = [];
  const application = localApplication();
  try {
    const database = await startDatabaseServer({
      port: ports.database,
      host: "127.0.0.1",
      rulesFile: path.join(root, "database.rules.json"),
    });
    stopping.push(() => database.close());
    const vonage = await startVonageStandin({
      port: ports.vonage,
      host: "127.0.0.1",
      projects: { [LOCAL_VONAGE.apiKey]: LOCAL_VONAGE.apiSecret },
      applications: { [application.applicationId]: { publicKey: application.publicKey, video: true } },
      callbackUrl: functionUrl(ports, "vonageCallbacks"),
      callbackSigningSecret: LOCAL_SECRETS.VONAGE_CALLBACK_SIGNING_SECRET,
    });
    stopping.push(() => vonage.close());
    const env = functionsEnv(ports, application, options.functionsEnv);
    let emulatorProcess = null;
    let configFile = null;
    if (emulators) {
      writeLocalSecrets(application);
      const envDir = writeFunctionsEnvDir(ports, env);
      stopping.push(() => fs.rmSync(path.join(root, envDir), { recursive: true, force: true }));
      configFile = writeEmulatorConfig(ports, envDir);
      stopping.push(writeWebConfig(ports));
      const started = startEmulators(ports, configFile, env, log);
      emulatorProcess = started.child;
      stopping.push(() => stopProcessGroup(emulatorProcess));
      stopping.push(() => fs.rmSync(configFile, { force: true }));
      await started.ready;
    }
    return {
      projectId: PROJECT_ID,
      ports,
      application,
      database,
      vonage,
      env,
      functionUrl: (name) => functionUrl(ports, name),
      webUrl: emulators ? webUrl(ports) : null,
      async stop() {
        for (const stop of stopping.reverse().splice(0)) await stop();
      },
    };
  } catch (error) {
    for (const stop of stopping.reverse()) await Promise.resolve(stop()).catch(() => {});
    throw error;
  }
}

module.exports = { startStack, PortInUseError, assertPortsFree };
