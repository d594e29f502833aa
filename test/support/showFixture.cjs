// @ts-check
/**
 * The preamble the integration suites shared: the shared local stack, clients that are closed after the
 * suite, stored reads through the database server, and a producer whose admin record is written
 * directly (no createAdmin call) and who is signed in with the claims `login` confirms for them.
 */
"use strict";
const { sharedStack } = require("./stack.cjs");
const { signInAs } = require("./identities.cjs");
const { newClient } = require("../../local/client.cjs");

/**
 * @typedef {import("./stack.cjs").SharedStack} SharedStack
 * @typedef {ReturnType<typeof newClient>} Client
 */

/**
 * An admin record as createAdmin stores it, for a producer that uses the platform's Vonage project.
 * @param {string} adminId
 * @param {string} displayName
 */
function adminRecord(adminId, displayName) {
  return {
    id: adminId,
    displayName,
    email: `${adminId}@example.com`,
    superAdmin: false,
    hls: true,
    httpSupport: false,
    otApiKey: "",
    hasOwnCredentials: false,
    createdAt: 1,
    updatedAt: 1,
  };
}

/**
 * One suite's view of the shared stack. `start()` in a `before`, `close()` in an `after`.
 * @param {{adminId: string, displayName: string}} producer the suite's admin
 */
function showFixture({ adminId, displayName }) {
  /** @type {SharedStack | undefined} */
  let started;
  /** @type {Client[]} */
  const clients = [];
  const fixture = {
    adminId,
    /** The stack, once `start()` has resolved. */
    get stack() {
      if (!started) throw new Error("showFixture: call start() in a before hook first");
      return started;
    },
    /** A new web-SDK client of the stack, closed by `close()` (an arrow: suites destructure it). */
    client: () => {
      const created = newClient(fixture.stack.ports);
      clients.push(created);
      return created;
    },
    /**
     * What the database holds at `path` (as the admin sees it, no rules).
     * @param {string} path
     */
    stored: (path) => fixture.stack.database.getData(path),
    /** Starts (or joins) the shared stack and writes the producer's admin record. */
    async start() {
      started = await sharedStack();
      started.database.setData(`admins/${adminId}`, adminRecord(adminId, displayName));
      return started;
    },
    /** A client signed in as the producer. */
    signInProducer() {
      return signInAs(fixture.client(), adminId, { role: "admin", superAdmin: false });
    },
    /** Closes every client this fixture made. */
    async close() {
      for (const created of clients.splice(0)) await created.close();
    },
  };
  return fixture;
}

module.exports = { showFixture, adminRecord };
