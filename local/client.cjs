// @ts-check
/**
 * A web-SDK client of the local stack, as a show's web app would have: Auth, Functions and Database
 * connected to the local emulators / database server. Each call of `newClient` is a separate Firebase
 * app, i.e. a separate signed-in user.
 */
"use strict";
const { initializeApp, deleteApp } = require("firebase/app");
const {
  getAuth,
  connectAuthEmulator,
  signInWithEmailAndPassword,
  signInWithCustomToken,
  signInAnonymously,
  signOut,
} = require("firebase/auth");
const { getFunctions, connectFunctionsEmulator, httpsCallable } = require("firebase/functions");
const { getDatabase, connectDatabaseEmulator } = require("firebase/database");
const { PROJECT_ID, REGION } = require("./config.cjs");

/** @typedef {import("@interactive-broadcast/contract").CallableName} CallableName */
/**
 * @template {string} N
 * @typedef {N extends CallableName ? import("@interactive-broadcast/contract").CallableOutput<N> : unknown} CallResult
 */

let counter = 0;

/**
 * @param {Pick<import("./config.cjs").Ports, "database" | "auth" | "functions">} ports
 * @param {string} [name] the Firebase app's name (one per signed-in user)
 */
function newClient(ports, name = `client-${process.pid}-${++counter}`) {
  const app = initializeApp(
    {
      projectId: PROJECT_ID,
      apiKey: "demo-api-key", // the emulators accept any key for demo- projects
      authDomain: `${PROJECT_ID}.firebaseapp.com`,
      databaseURL: `http://127.0.0.1:${ports.database}?ns=${PROJECT_ID}-default-rtdb`,
    },
    name,
  );
  const auth = getAuth(app);
  connectAuthEmulator(auth, `http://127.0.0.1:${ports.auth}`, { disableWarnings: true });
  const functions = getFunctions(app, REGION);
  connectFunctionsEmulator(functions, "127.0.0.1", ports.functions);
  /** @type {import("firebase/database").Database | undefined} */
  let database;
  return {
    app,
    auth,
    functions,
    /** The database, connected on first use (not every client needs a socket). */
    get db() {
      if (!database) {
        database = getDatabase(app);
        connectDatabaseEmulator(database, "127.0.0.1", ports.database);
      }
      return database;
    },
    /**
     * A callable by name; the data is not checked here (the bad-input tests send wrong data on purpose),
     * the answer has the callable's declared output type.
     * @template {string} N
     * @param {N} name @param {unknown} [data]
     * @returns {Promise<CallResult<N>>}
     */
    async call(name, data = {}) {
      // A generous deadline: the emulator runs every call in a local worker and can be slow on 2 cores.
      const result = await httpsCallable(functions, name, { timeout: 180_000 })(data);
      return /** @type {CallResult<N>} */ (result.data);
    },
    /** @param {string} email @param {string} password */
    signInWithPassword: (email, password) => signInWithEmailAndPassword(auth, email, password),
    /** @param {string} token */
    signInWithCustomToken: (token) => signInWithCustomToken(auth, token),
    signInAnonymously: () => signInAnonymously(auth),
    async refreshClaims() {
      await auth.currentUser?.getIdToken(true);
    },
    async close() {
      await signOut(auth).catch(() => undefined);
      await deleteApp(app);
    },
  };
}

module.exports = { newClient };
