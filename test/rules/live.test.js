// @ts-check
/**
 * The same matrix, live: every row × the key roles × every operation through the real web SDK
 * against the local database server running database.rules.json, each compared with the verdict the
 * matrix itself expects (its allowed roles), so a rules bug fails here as it does offline. The
 * targaryen verdict is shown beside a disagreement, to tell a rules bug from a server bug.
 */
"use strict";
const assert = require("node:assert/strict");
const { initializeApp, deleteApp } = require("firebase/app");
const { getDatabase, connectDatabaseEmulator, ref, get, set, update, remove } = require("firebase/database");
const { startDatabaseServer } = require("../../local/database-server");
const { ROLES, rows, baseData } = require("./matrix.cjs");
const { loadRules, operations, evaluate, valueOf, RULES_FILE } = require("./support.cjs");

const LIVE_ROLES = ["anonymous", "signedInNoRole", "fan", "fanOtherEvent", "host", "ownerAdmin", "otherAdmin", "superAdmin"];

/**
 * @param {import("./support.cjs").RulesAuth} auth
 * @returns {import("firebase/database").EmulatorMockTokenOptions}
 */
function mockToken(auth) {
  // The matrix's providers are the SDK's (anonymous, custom).
  return /** @type {import("firebase/database").EmulatorMockTokenOptions} */ ({
    sub: auth.uid,
    user_id: auth.uid,
    ...auth.token,
    firebase: auth.token.firebase ?? { sign_in_provider: "custom" },
  });
}

/**
 * @param {import("firebase/database").Database} database
 * @param {import("./matrix.cjs").MatrixRow} row
 * @param {import("./support.cjs").Operation} op
 */
async function attempt(database, row, op) {
  const target = ref(database, row.path);
  try {
    if (op === "read") await get(target);
    else if (op === "write") await set(target, valueOf(row));
    else if (op === "update") await update(target, /** @type {object} */ (row.patch ?? valueOf(row)));
    else await remove(target);
    return true;
  } catch (error) {
    if (/permission/i.test(String(/** @type {Error | undefined} */ (error)?.message ?? error))) return false;
    throw error;
  }
}

describe("rules: the matrix live against the local database server (web SDK)", function () {
  this.timeout(120_000);
  /** @type {Awaited<ReturnType<typeof startDatabaseServer>>} */
  let server;
  /** @type {Record<string, {app: import("firebase/app").FirebaseApp, database: import("firebase/database").Database}>} */
  const apps = {};
  const rules = loadRules();

  before(async () => {
    server = await startDatabaseServer({ port: 0, host: "127.0.0.1", rulesFile: RULES_FILE });
    for (const role of LIVE_ROLES) {
      const app = initializeApp(
        { projectId: "demo-rules", databaseURL: `http://127.0.0.1:${server.port}?ns=demo-rules` },
        `rules-live-${role}`,
      );
      const database = getDatabase(app);
      const auth = ROLES[role];
      connectDatabaseEmulator(database, "127.0.0.1", server.port, auth ? { mockUserToken: mockToken(auth) } : {});
      apps[role] = { app, database };
    }
  });
  after(async () => {
    for (const { app } of Object.values(apps)) await deleteApp(app);
    await server?.close();
  });

  it("the server's verdict is the matrix's expected one on every row, role and operation", async () => {
    const disagreements = [];
    let cases = 0;
    for (const row of rows()) {
      for (const op of operations(row)) {
        const allowed = new Set(row[op] ?? []);
        for (const role of LIVE_ROLES) {
          const now = Date.now();
          const data = baseData(now);
          server.reset(data);
          const expected = allowed.has(role);
          const actual = await attempt(apps[role].database, row, op);
          cases++;
          if (actual !== expected) {
            const offline = evaluate(rules, data, ROLES[role], row, op, now);
            disagreements.push(
              `${role} ${op} ${row.path}: server ${actual ? "allowed" : "refused"}, matrix expects ${expected ? "allowed" : "refused"} (targaryen ${offline ? "allowed" : "refused"})`,
            );
          }
        }
      }
    }
    assert.deepEqual(disagreements, []);
    assert.ok(cases > 500, `ran ${cases} live cases`);
  });
});
