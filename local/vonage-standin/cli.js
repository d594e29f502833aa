#!/usr/bin/env node
// @ts-check
"use strict";

// Command line entry: runs the stand-in until SIGINT/SIGTERM.
//   node local/vonage-standin/cli.js --port 3010 --project KEY:SECRET \
//     [--project KEY2:SECRET2] [--application APP_ID:KEY.pem] [--application-no-video APP_ID:KEY.pem]
//     [--callback-url URL] [--signing-secret S] [--host 127.0.0.1]

const fs = require("node:fs");
const { startVonageStandin } = require("./index");

const USAGE = `Usage: cli.js [--port 3010] [--host 127.0.0.1] --project KEY:SECRET [--project ...]
              [--application APP_ID:PEM_FILE] [--application-no-video APP_ID:PEM_FILE]
              [--callback-url URL] [--archive-callback-url URL] [--broadcast-callback-url URL]
              [--signing-secret S] [--archive-ready-ms 100] [--empty-session-stop-ms 60000]
              [--require-client-for-broadcast] [--require-client-for-archive]
              [--adopt-unknown-sessions] [--public-url URL] [--log]`;

/** @type {Record<string, string>} */
const VALUE_FLAGS = {
  "--port": "port",
  "--host": "host",
  "--callback-url": "callbackUrl",
  "--archive-callback-url": "archiveCallbackUrl",
  "--broadcast-callback-url": "broadcastCallbackUrl",
  "--signing-secret": "callbackSigningSecret",
  "--archive-ready-ms": "archiveReadyMs",
  "--empty-session-stop-ms": "emptySessionStopMs",
  "--public-url": "publicUrl",
};
/** @type {Record<string, string>} */
const BOOL_FLAGS = {
  "--require-client-for-broadcast": "requireClientForBroadcast",
  "--require-client-for-archive": "requireClientForArchive",
  "--adopt-unknown-sessions": "adoptUnknownSessions",
  "--log": "logRequests",
};

/**
 * @param {string} message
 * @param {number} [code] the exit code
 * @returns {never}
 */
function fail(message, code = 2) {
  process.stderr.write(`vonage-standin: ${message}\n`);
  process.exit(code);
}

// APP_ID:PEM_FILE (the id is a UUID, so the first colon ends it; the file holds the public
// key, or the private key, whose public half is used).
/**
 * @param {string} flag
 * @param {string} value
 * @returns {[string, { publicKey: string, video: boolean }]}
 */
function readApplication(flag, value) {
  const colon = value.indexOf(":");
  if (colon <= 0 || colon === value.length - 1) fail(`${flag} must be APP_ID:PEM_FILE, got "${value}"`);
  const file = value.slice(colon + 1);
  /** @type {string} */
  let pem;
  try {
    pem = fs.readFileSync(file, "utf8");
  } catch (err) {
    const e = /** @type {NodeJS.ErrnoException} */ (err);
    fail(`${flag}: cannot read ${file}: ${e.code || e.message}`);
  }
  return [value.slice(0, colon), { publicKey: pem, video: flag === "--application" }];
}

/**
 * @param {string[]} argv
 */
function parseArgs(argv) {
  /** @type {{ projects: Record<string, string>, applications: Record<string, import("./lib/types").ApplicationInput>, [option: string]: any }} */
  const opts = { port: 3010, host: "127.0.0.1", projects: {}, applications: {} };
  for (let i = 0; i < argv.length; i += 1) {
    let arg = argv[i];
    let value;
    const eq = arg.indexOf("=");
    if (arg.startsWith("--") && eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    if (arg === "--help" || arg === "-h") {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    if (BOOL_FLAGS[arg]) {
      opts[BOOL_FLAGS[arg]] = true;
      continue;
    }
    if (arg === "--project" || arg === "--application" || arg === "--application-no-video" || VALUE_FLAGS[arg]) {
      if (value === undefined) {
        i += 1;
        value = argv[i];
      }
      if (value === undefined) fail(`${arg} needs a value\n${USAGE}`);
      if (arg === "--project") {
        const colon = value.indexOf(":");
        if (colon <= 0 || colon === value.length - 1) fail(`--project must be KEY:SECRET, got "${value}"`);
        opts.projects[value.slice(0, colon)] = value.slice(colon + 1);
      } else if (arg === "--application" || arg === "--application-no-video") {
        const [id, entry] = readApplication(arg, value);
        opts.applications[id] = entry;
      } else {
        opts[VALUE_FLAGS[arg]] = value;
      }
      continue;
    }
    fail(`unknown argument "${arg}"\n${USAGE}`);
  }
  for (const k of ["port", "archiveReadyMs", "emptySessionStopMs"]) {
    if (opts[k] !== undefined && !/^-?\d+$/.test(String(opts[k]))) fail(`${k} must be an integer`);
    if (opts[k] !== undefined) opts[k] = Number(opts[k]);
  }
  if (Object.keys(opts.projects).length === 0 && Object.keys(opts.applications).length === 0) {
    fail(`at least one --project KEY:SECRET is required (or --application APP_ID:PEM_FILE)\n${USAGE}`);
  }
  return opts;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  /** @type {import("./lib/types").VonageStandin} */
  let standin;
  try {
    standin = await startVonageStandin(opts);
  } catch (err) {
    // Expected start-up problems (port taken, bad option) get one clear line, no stack.
    const e = /** @type {{ message?: string } | null | undefined} */ (err);
    fail(e && e.message ? e.message : String(err), 1);
  }
  let stopping = false;
  const stop = async (/** @type {string} */ signal) => {
    if (stopping) return;
    stopping = true;
    try {
      await standin.close();
    } finally {
      process.stdout.write(`vonage-standin: stopped (${signal})\n`);
      process.exit(0);
    }
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  // Print only once the signal handlers are in place: a supervisor may signal as soon as it
  // reads this line (stdout to a pipe is synchronous on Linux).
  process.stdout.write(
    `Vonage Video stand-in listening on ${standin.url} (projects: ${Object.keys(opts.projects).join(", ") || "none"}; applications: ${Object.keys(opts.applications).join(", ") || "none"}; control API at ${standin.url}/_control/state)\n`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
