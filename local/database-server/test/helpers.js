// @ts-check
"use strict";
/**
 * Shared test helpers: a server with the fixture rules, firebase-admin apps (credential-less, through
 * FIREBASE_DATABASE_EMULATOR_HOST, as the functions emulator runs them) and web SDK clients
 * (connectDatabaseEmulator with mockUserToken). Everything created here is deleted by cleanup().
 */

const path = require("node:path");
const assert = require("node:assert/strict");
const { startDatabaseServer } = require("..");

const adminApp = require("firebase-admin/app");
const adminDatabase = require("firebase-admin/database");
const webApp = require("firebase/app");
const web = require("firebase/database");

const FIXTURE_RULES = path.join(__dirname, "fixtures", "database.rules.json");
const PROJECT_ID = "demo-rtdb-local";

// The SDKs log a warning for every denied operation, which these tests provoke on purpose.
webApp.setLogLevel("error");

let appCounter = 0;
/** @type {Array<() => Promise<unknown>>} */
let disposers = [];

/** @param {import("../lib/database-server").DatabaseServerOptions} [options] */
async function startServer(options = {}) {
  const server = await startDatabaseServer({ port: 0, rulesFile: FIXTURE_RULES, ...options });
  disposers.push(() => server.close());
  return server;
}

/**
 * A firebase-admin app talking to `server`, exactly as in the functions emulator: no credential,
 * FIREBASE_DATABASE_EMULATOR_HOST set. The variable is read when the database is created.
 * @param {{emulatorHost: string}} server
 * @param {object} [options] extra initializeApp options (e.g. databaseAuthVariableOverride)
 * @param {string} [namespace]
 */
function admin(server, options = {}, namespace = PROJECT_ID) {
  const app = adminApp.initializeApp(
    { projectId: PROJECT_ID, databaseURL: `https://${namespace}.firebaseio.com`, ...options },
    `admin-${(appCounter += 1)}`,
  );
  // Set only while the database is created (when the SDK reads it), so other suites in the same
  // mocha process do not inherit it.
  const previous = process.env.FIREBASE_DATABASE_EMULATOR_HOST;
  process.env.FIREBASE_DATABASE_EMULATOR_HOST = server.emulatorHost;
  let db;
  try {
    db = adminDatabase.getDatabase(app);
  } finally {
    if (previous === undefined) delete process.env.FIREBASE_DATABASE_EMULATOR_HOST;
    else process.env.FIREBASE_DATABASE_EMULATOR_HOST = previous;
  }
  disposers.push(async () => {
    try {
      await adminApp.deleteApp(app);
    } catch {
      /* already deleted by the test */
    }
  });
  return db;
}

/**
 * A web SDK client. With `claims` it signs in with an unsigned mock ID token carrying them
 * (`sub` is the uid; any other claim is a custom claim); without, it is anonymous (auth == null).
 * @param {{host: string, port: number}} server
 * @param {Record<string, unknown>} [claims]
 */
function client(server, claims) {
  const app = webApp.initializeApp(
    { projectId: PROJECT_ID, apiKey: "fake-api-key", databaseURL: `http://${server.host}:${server.port}?ns=${PROJECT_ID}` },
    `web-${(appCounter += 1)}`,
  );
  const db = web.getDatabase(app);
  // Mock claims need no typed shape: the tests send custom claims on purpose.
  const mockUserToken = /** @type {import("@firebase/util").EmulatorMockTokenOptions} */ (claims);
  web.connectDatabaseEmulator(db, server.host, server.port, claims ? { mockUserToken } : {});
  disposers.push(async () => {
    try {
      await webApp.deleteApp(app);
    } catch {
      /* already deleted by the test */
    }
  });
  return db;
}

/** Delete every app and server created since the last cleanup (apps first, then servers). */
async function cleanup() {
  const pending = disposers.reverse();
  disposers = [];
  for (const dispose of pending) await dispose();
}

/**
 * Asserts that a promise rejects with Firebase's permission error.
 * @param {Promise<unknown>} promise
 */
async function denied(promise, what = "operation") {
  await assert.rejects(
    promise,
    (/** @type {{code?: string, message?: string}} */ error) => {
      const text = `${error && error.code} ${error && error.message}`;
      assert.match(text, /permission[_ ]denied/i, `${what}: expected a permission error, got ${text}`);
      return true;
    },
    `${what} should have been denied`,
  );
}

/**
 * Resolves with the first value event of a web query, rejects with the listen's error.
 * @param {import("firebase/database").Query} query
 * @returns {Promise<import("firebase/database").DataSnapshot>}
 */
function firstValue(query) {
  return new Promise((resolve, reject) => {
    web.onValue(query, (snapshot) => resolve(snapshot), reject, { onlyOnce: true });
  });
}

/**
 * Polls `check` until it returns a truthy value (or throws after `timeoutMs`).
 * @template T
 * @param {() => T | Promise<T>} check
 * @returns {Promise<Exclude<T, null | undefined | false>>}
 */
async function eventually(check, timeoutMs = 3000, what = "condition") {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return /** @type {Exclude<T, null | undefined | false>} */ (value);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

module.exports = {
  FIXTURE_RULES,
  PROJECT_ID,
  startServer,
  admin,
  client,
  cleanup,
  denied,
  firstValue,
  eventually,
  web,
  adminDatabase,
};
