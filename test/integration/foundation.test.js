// @ts-check
/**
 * The full local stack end to end, through the real web SDK: Auth emulator sign-in, a callable over
 * HTTP through the Functions emulator, which reads and writes the local database server.
 */
"use strict";
const assert = require("node:assert/strict");
const { sharedStack } = require("../support/stack.cjs");
const { newClient } = require("../../local/client.cjs");
const { DEMO_SUPER_ADMIN } = require("../../local/config.cjs");

/** @typedef {import("firebase/functions").FunctionsError} CallError a refused call, as the web SDK rejects it */

describe("integration: the local stack", function () {
  this.timeout(180_000);
  /** @type {import("../support/stack.cjs").SharedStack} */
  let stack;
  /** @type {import("../support/showFixture.cjs").Client[]} */
  const clients = [];
  const client = () => {
    const created = newClient(stack.ports);
    clients.push(created);
    return created;
  };

  before(async () => {
    stack = await sharedStack();
  });
  after(async () => {
    for (const created of clients) await created.close();
  });

  it("a superAdmin signs in with e-mail and password and `login` answers from the database", async () => {
    const admin = client();
    await admin.signInWithPassword(DEMO_SUPER_ADMIN.email, DEMO_SUPER_ADMIN.password);
    const result = /** @type {import("@interactive-broadcast/contract").CallableOutput<"login">} */ (await admin.call("login"));
    assert.equal(result.admin.email, DEMO_SUPER_ADMIN.email);
    assert.equal(result.admin.superAdmin, true);
    assert.equal(result.refreshIdToken, false, "the seed already set the claims");
    const stored = stack.database.getData(`admins/${result.admin.id}`);
    assert.equal(typeof stored.lastLoginAt, "number", "the function wrote through to the local database");
  });

  it("an anonymous user is refused by `login` (IBS flaw 1) and cannot read admin data directly", async () => {
    const fan = client();
    await fan.signInAnonymously();
    await assert.rejects(fan.call("login"), (/** @type {CallError} */ error) => error.code === "functions/permission-denied");
    const { ref, get } = require("firebase/database");
    await assert.rejects(get(ref(fan.db, "admins")), /permission/i);
  });

  it("an unauthenticated call gets `unauthenticated`, not `internal`", async () => {
    await assert.rejects(client().call("login"), (/** @type {CallError} */ error) => error.code === "functions/unauthenticated");
  });
});

describe("integration: test identities", function () {
  this.timeout(180_000);
  it("a test can sign in with any claims through an unsigned custom token", async () => {
    const stack = await sharedStack();
    const { signInAs } = require("../support/identities.cjs");
    const fan = newClient(stack.ports);
    try {
      await signInAs(fan, "fan-test-1", { role: "fan", adminId: "a1", eventId: "e1" });
      const token = await /** @type {import("firebase/auth").User} */ (fan.auth.currentUser).getIdTokenResult();
      assert.equal(token.claims.role, "fan");
      assert.equal(token.claims.eventId, "e1");
      await assert.rejects(fan.call("login"), (/** @type {CallError} */ error) => error.code === "functions/permission-denied");
    } finally {
      await fan.close();
    }
  });
});
