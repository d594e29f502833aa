// @ts-check
/**
 * Admins and logins end to end, through the real web SDK against the local stack (issue 3, "Done
 * when"): a superAdmin creates an admin with a stand-in Vonage pair, that admin signs in; a fan of
 * another admin's event, an anonymous user and a second admin are refused every admin operation; no
 * answer carries a Vonage secret or another admin's data; bad inputs get invalid-argument; the fan,
 * host and celebrity logins return tokens that sign in with the right claims.
 */
"use strict";
const assert = require("node:assert/strict");
const { randomBytes } = require("node:crypto");
const { ref, get } = require("firebase/database");
const { sharedStack } = require("../support/stack.cjs");
const { signInAs } = require("../support/identities.cjs");
const { newClient } = require("../../local/client.cjs");
const { DEMO_SUPER_ADMIN, LOCAL_VONAGE } = require("../../local/config.cjs");
const { eventIndexPatch } = require("../../functions/lib/events/derived.js");
const { eventKeyRecord } = require("../../functions/lib/events/model.js");

/**
 * @template {import("@interactive-broadcast/contract").CallableName} N
 * @typedef {import("@interactive-broadcast/contract").CallableOutput<N>} Output
 */
/**
 * @typedef {import("firebase/functions").FunctionsError} CallError a refused call, as the web SDK rejects it
 * @typedef {import("@interactive-broadcast/contract").CallableName} CallableName
 * @typedef {import("../../functions/src/events/model").EventRecord} EventRecord
 * @typedef {import("../support/showFixture.cjs").Client} Client
 * @typedef {Output<"createAdmin">["admin"]} AdminProfile
 */

const run = randomBytes(3).toString("hex");
const HUGE = "x".repeat(10_000);

describe("integration: admins and logins", function () {
  this.timeout(180_000);
  /** @type {import("../support/stack.cjs").SharedStack} */
  let stack;
  /** @type {Client[]} */
  const clients = [];
  /** Every answer any caller got, checked at the end for secrets. @type {{name: string, answer: unknown}[]} */
  const answers = [];
  /** @type {Client} */
  let superAdmin;
  /** @type {AdminProfile} */
  let adminA; // created with its own (stand-in) Vonage pair
  /** @type {AdminProfile} */
  let adminB; // created without: the project-wide params serve it
  /** @type {Client} */
  let clientA;
  /** @type {Client} */
  let clientB;
  /** @type {EventRecord} */
  let showA;
  /** @type {EventRecord} */
  let closedA;
  /** @type {EventRecord} */
  let showB;

  const client = () => {
    const created = newClient(stack.ports);
    clients.push(created);
    return created;
  };
  /**
   * A call whose answer is kept for the secrets check at the end.
   * @template {string} N
   * @param {Client} caller
   * @param {N} name
   * @param {unknown} [data]
   */
  const call = async (caller, name, data) => {
    const answer = await caller.call(name, data);
    answers.push({ name, answer });
    return answer;
  };
  /**
   * @param {Promise<unknown>} promise
   * @param {string} code
   */
  const refused = (promise, code) =>
    assert.rejects(promise, (/** @type {CallError} */ error) => {
      assert.equal(error.code, `functions/${code}`, `${error.code}: ${error.message}`);
      return true;
    });
  /**
   * The signed-in user of a client (every use follows a sign-in).
   * @param {Client} caller
   */
  const userOf = (caller) => {
    const user = caller.auth.currentUser;
    assert.ok(user, "the client is signed in");
    return user;
  };
  const claimsOf = async (/** @type {Client} */ caller) => (await userOf(caller).getIdTokenResult(true)).claims;

  /**
   * Writes an event and its index entries directly, as createEvent would store them.
   * @param {string} adminId
   * @param {Partial<EventRecord>} overrides
   */
  function seedEvent(adminId, overrides) {
    const id = `ev${randomBytes(6).toString("hex")}`;
    /** @type {EventRecord} */
    const event = {
      id,
      adminId,
      name: `Show ${id}`,
      fanUrl: `show-${id}`,
      hostUrl: randomBytes(18).toString("base64url"),
      celebrityUrl: randomBytes(18).toString("base64url"),
      status: "live",
      archiveEvent: false,
      uncomposed: false,
      interactiveLimit: 5,
      sessionId: `1_session_backstage_${id}`,
      stageSessionId: `1_session_stage_${id}`,
      createdAt: Date.now(),
      updatedAt: Date.now(),
      ...overrides,
    };
    for (const [path, value] of Object.entries(eventIndexPatch(event, null, true))) stack.database.setData(path, value);
    return event;
  }

  before(async () => {
    stack = await sharedStack();
    superAdmin = client();
    await superAdmin.signInWithPassword(DEMO_SUPER_ADMIN.email, DEMO_SUPER_ADMIN.password);
    await call(superAdmin, "login");
  });
  after(async () => {
    for (const created of clients) await created.close();
  });

  it("a superAdmin creates an admin with a stand-in Vonage pair; a wrong secret is refused; the admin signs in and `login` succeeds", async () => {
    const wrong = {
      displayName: "Wrong",
      email: `wrong-${run}@example.com`,
      password: "a-good-password",
      otApiKey: LOCAL_VONAGE.apiKey,
      otSecret: "f".repeat(40),
    };
    await assert.rejects(
      superAdmin.call("createAdmin", wrong),
      (/** @type {CallError} */ error) => error.code === "functions/invalid-argument" && /Vonage refused/.test(error.message),
    );

    const created = await call(superAdmin, "createAdmin", {
      displayName: "Ada",
      email: `ada-${run}@example.com`,
      password: "ada-password-1",
      hls: true,
      otApiKey: LOCAL_VONAGE.apiKey,
      otSecret: LOCAL_VONAGE.apiSecret,
    });
    adminA = created.admin;
    assert.equal(adminA.otApiKey, LOCAL_VONAGE.apiKey);
    assert.equal(adminA.hasOwnCredentials, true);
    const sealed = stack.database.getData(`adminCredentials/${adminA.id}`);
    assert.match(sealed.secret, /^v1\./, "the secret is sealed in the server-only node");
    assert.equal(stack.database.getData(`admins/${adminA.id}/otSecret`), null);

    adminB = (await call(superAdmin, "createAdmin", { displayName: "Bea", email: `bea-${run}@example.com`, password: "bea-password-1" }))
      .admin;
    assert.equal(adminB.hasOwnCredentials, false);
    await refused(
      superAdmin.call("createAdmin", { displayName: "Bea again", email: `BEA-${run}@example.com`, password: "bea-password-1" }),
      "already-exists",
    );

    clientA = client();
    await clientA.signInWithPassword(`ada-${run}@example.com`, "ada-password-1");
    const login = await call(clientA, "login");
    assert.equal(login.admin.id, adminA.id);
    assert.equal(login.refreshIdToken, false, "createAdmin already set the claims");
    assert.deepEqual(
      { role: (await claimsOf(clientA)).role, superAdmin: (await claimsOf(clientA)).superAdmin },
      { role: "admin", superAdmin: false },
    );
    // The admin reads their own profile, directly and through getAdmin, and updates it.
    assert.equal((await get(ref(clientA.db, `admins/${adminA.id}`))).val().email, `ada-${run}@example.com`);
    assert.equal((await call(clientA, "getAdmin", { id: adminA.id })).admin.displayName, "Ada");
    assert.equal((await call(clientA, "updateAdmin", { id: adminA.id, displayName: "Ada L." })).admin.displayName, "Ada L.");

    clientB = client();
    await clientB.signInWithPassword(`bea-${run}@example.com`, "bea-password-1");
    await call(clientB, "login");
  });

  it("a fan of another admin's event, an anonymous user and a second admin are refused every admin operation", async () => {
    showB = seedEvent(adminB.id, {});
    const fanOfB = client();
    await signInAs(fanOfB, `fan${run}`, { role: "fan", adminId: adminB.id, eventId: showB.id });
    const anonymous = client();
    await anonymous.signInAnonymously();
    const nobody = client();

    /** @type {[CallableName, object][]} */
    const operations = [
      ["getAdmins", {}],
      ["getAdmin", { id: adminA.id }],
      ["createAdmin", { displayName: "Eve", email: `eve-${run}@example.com`, password: "eve-password-1" }],
      ["updateAdmin", { id: adminA.id, displayName: "Eve was here" }],
      ["updateAdmin", { id: adminA.id, superAdmin: true }],
      ["deleteAdmin", { id: adminA.id }],
    ];
    for (const [name, data] of operations) {
      await refused(nobody.call(name, data), "unauthenticated");
      await refused(fanOfB.call(name, data), "permission-denied");
      await refused(anonymous.call(name, data), "permission-denied");
      await refused(clientB.call(name, data), "permission-denied");
    }
    // Not even their own superAdmin flag.
    await refused(clientB.call("updateAdmin", { id: adminB.id, superAdmin: true }), "permission-denied");
    // Direct reads of another admin's profile or any sealed secret are refused by the rules.
    for (const caller of [fanOfB, anonymous, clientB]) {
      await assert.rejects(get(ref(caller.db, `admins/${adminA.id}`)), /permission/i);
      await assert.rejects(get(ref(caller.db, "admins")), /permission/i);
    }
    for (const caller of [clientA, superAdmin]) await assert.rejects(get(ref(caller.db, `adminCredentials/${adminA.id}`)), /permission/i);
    assert.equal(stack.database.getData(`admins/${adminA.id}/displayName`), "Ada L.");
    assert.equal(stack.database.getData(`admins/${adminA.id}/superAdmin`), false);
  });

  it("the superAdmin lists and reads every admin, without secrets", async () => {
    const { admins } = await call(superAdmin, "getAdmins");
    assert.ok(admins[adminA.id] && admins[adminB.id] && admins[stack.superAdmin.id]);
    assert.equal((await call(superAdmin, "getAdmin", { id: adminB.id })).admin.email, `bea-${run}@example.com`);
  });

  it("bad inputs get invalid-argument, never internal", async () => {
    const base = { displayName: "Zed", email: `zed-${run}@example.com`, password: "zed-password-1" };
    /** @type {[CallableName, object][]} */
    const bad = [
      ["createAdmin", {}],
      ["createAdmin", { ...base, email: "not-an-email" }],
      ["createAdmin", { ...base, displayName: HUGE }],
      ["createAdmin", { ...base, password: HUGE }],
      ["createAdmin", { ...base, superAdmin: "true" }],
      ["createAdmin", { ...base, otApiKey: LOCAL_VONAGE.apiKey }],
      ["createAdmin", { ...base, otApiKey: "", otSecret: "" }],
      ["createAdmin", { ...base, isAdmin: true }],
      ["updateAdmin", { id: adminA.id, otSecret: "" }],
      ["updateAdmin", { id: adminA.id, otApiKey: "" }],
      ["updateAdmin", { displayName: "no id" }],
      ["getAdmin", { id: 42 }],
      ["getAdmin", { id: HUGE }],
      ["deleteAdmin", { id: "a/b" }],
      ["getAdmins", { all: true }],
    ];
    for (const [name, data] of bad) await refused(superAdmin.call(name, data), "invalid-argument");
    for (const data of [{}, { adminId: 1 }, { adminId: adminA.id, slug: HUGE }, { adminId: adminA.id, fanUrl: "x" }]) {
      await refused(client().call("loginFan", data), "invalid-argument");
    }
    await refused(client().call("loginHost", { adminId: adminA.id }), "invalid-argument");
    await refused(client().call("loginCelebrity", { adminId: adminA.id, slug: "" }), "invalid-argument");
    // The stored credentials survived the empty strings (docs/ibs-flaws.md#23).
    assert.equal(stack.database.getData(`admins/${adminA.id}/otApiKey`), LOCAL_VONAGE.apiKey);
    assert.match(stack.database.getData(`adminCredentials/${adminA.id}/secret`), /^v1\./);
  });

  it("loginFan (with a slug, and the embed case without one) returns a token that signs in with role fan, adminId and eventId", async () => {
    showA = seedEvent(adminA.id, { name: "Ada live" });
    closedA = seedEvent(adminA.id, { status: "closed" });
    stack.database.setData(`currentEvents/${adminA.id}`, eventKeyRecord(showA));

    const fan = client();
    const anonymousUser = await fan.signInAnonymously();
    const withSlug = await call(fan, "loginFan", { adminId: adminA.id, slug: showA.fanUrl });
    assert.equal(withSlug.uid, anonymousUser.user.uid, "an anonymous fan keeps their uid");
    assert.equal(withSlug.event.eventId, showA.id);
    await fan.signInWithCustomToken(withSlug.token);
    assert.equal(userOf(fan).uid, anonymousUser.user.uid);
    let claims = await claimsOf(fan);
    assert.deepEqual([claims.role, claims.adminId, claims.eventId], ["fan", adminA.id, showA.id]);

    const embed = client();
    const viaEmbed = await call(embed, "loginFan", { adminId: adminA.id });
    assert.equal(viaEmbed.event.eventId, showA.id);
    await embed.signInWithCustomToken(viaEmbed.token);
    assert.equal(userOf(embed).uid, viaEmbed.uid);
    claims = await claimsOf(embed);
    assert.deepEqual([claims.role, claims.adminId, claims.eventId], ["fan", adminA.id, showA.id]);
    // A fan token opens no admin function.
    await refused(embed.call("getAdmin", { id: adminA.id }), "permission-denied");

    /** @type {[string, string][]} */
    const errors = [];
    for (const data of [
      { adminId: adminA.id, slug: "no-such-show" },
      { adminId: "no-such-admin", slug: showA.fanUrl },
    ]) {
      try {
        await client().call("loginFan", data);
      } catch (caught) {
        const error = /** @type {CallError} */ (caught);
        errors.push([error.code, error.message]);
      }
    }
    assert.equal(errors.length, 2);
    assert.deepEqual(errors[0], errors[1], "the answer does not say whether the admin or the slug was wrong");
    assert.equal(errors[0][0], "functions/not-found");
  });

  it("loginHost and loginCelebrity need their own secret and sign in with a fixed uid per event and role", async () => {
    for (const role of ["host", "celebrity"]) {
      const fn = role === "host" ? "loginHost" : "loginCelebrity";
      const secret = role === "host" ? showA.hostUrl : showA.celebrityUrl;
      const otherSecret = role === "host" ? showA.celebrityUrl : showA.hostUrl;
      const stage = client();
      const result = await call(stage, fn, { adminId: adminA.id, slug: secret });
      assert.equal(result.uid, `${role}-${showA.id}`);
      await stage.signInWithCustomToken(result.token);
      const claims = await claimsOf(stage);
      assert.deepEqual(
        [userOf(stage).uid, claims.role, claims.adminId, claims.eventId],
        [`${role}-${showA.id}`, role, adminA.id, showA.id],
      );
      // docs/ibs-flaws.md#5: the other role's secret, a fan slug, or no slug at all never give a stage token.
      await refused(client().call(fn, { adminId: adminA.id, slug: otherSecret }), "not-found");
      await refused(client().call(fn, { adminId: adminB.id, slug: secret }), "not-found");
      await refused(client().call(fn, { adminId: adminA.id }), "invalid-argument");
      await refused(
        client().call(fn, { adminId: adminA.id, slug: role === "host" ? closedA.hostUrl : closedA.celebrityUrl }),
        "failed-precondition",
      );
      await refused(stage.call("updateAdmin", { id: adminA.id, displayName: "Host" }), "permission-denied");
    }
  });

  it("IBS flaw 9: login tokens expire (a custom token lives at most an hour, its ID tokens too)", async () => {
    const result = await call(client(), "loginFan", { adminId: adminA.id, slug: showA.fanUrl });
    const payload = JSON.parse(Buffer.from(result.token.split(".")[1], "base64url").toString("utf8"));
    assert.ok(payload.exp - payload.iat <= 3600, `custom token lifetime ${payload.exp - payload.iat} s`);
    const fan = client();
    await fan.signInWithCustomToken(result.token);
    const idToken = await userOf(fan).getIdTokenResult();
    assert.ok(Date.parse(idToken.expirationTime) - Date.parse(idToken.issuedAtTime) <= 3600_000);
  });

  it("no answer to any caller carried a Vonage secret, a sealed secret, a stage secret or a session id", () => {
    const text = JSON.stringify(answers);
    const sealed = stack.database.getData(`adminCredentials/${adminA.id}/secret`);
    for (const secret of [LOCAL_VONAGE.apiSecret, sealed, showA.hostUrl, showA.celebrityUrl, showA.sessionId, showA.stageSessionId]) {
      assert.ok(!text.includes(secret), `an answer contained ${secret.slice(0, 12)}...`);
    }
    // Admin B only ever saw their own profile.
    const ofB = answers.filter(
      ({ name, answer }) => name === "login" && /** @type {Partial<Output<"login">>} */ (answer).admin?.id === adminB.id,
    );
    assert.equal(ofB.length, 1);
    assert.ok(!JSON.stringify(ofB).includes(adminA.id));
  });

  it("deleteAdmin removes the admin, their events and their secrets; they can no longer sign in", async () => {
    const result = await call(superAdmin, "deleteAdmin", { id: adminA.id });
    assert.deepEqual(result, { id: adminA.id, existed: true, removedEvents: 2 });
    for (const path of [
      `admins/${adminA.id}`,
      `adminCredentials/${adminA.id}`,
      `events/${showA.id}`,
      `eventKeys/${adminA.id}`,
      `currentEvents/${adminA.id}`,
      `stageGates/${showA.id}`,
      `sessionIndex/${showA.sessionId}`,
    ]) {
      assert.equal(stack.database.getData(path), null, path);
    }
    await assert.rejects(
      client().signInWithPassword(`ada-${run}@example.com`, "ada-password-1"),
      /user-not-found|user-disabled|invalid-credential/,
    );
    await refused(client().call("loginFan", { adminId: adminA.id }), "not-found");
    // A retry is harmless.
    assert.deepEqual(await call(superAdmin, "deleteAdmin", { id: adminA.id }), { id: adminA.id, existed: false, removedEvents: 0 });
    assert.equal(stack.database.getData(`admins/${adminB.id}/id`), adminB.id, "the other admin stays");
    assert.equal(stack.database.getData(`events/${showB.id}/id`), showB.id);
  });
});
