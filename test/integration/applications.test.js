// @ts-check
/**
 * Vonage application credentials end to end (issue 13, "Done when"), through the real web SDK
 * against the local stack: a superAdmin creates admins with an application id and private key (one
 * PKCS#1, one PKCS#8); one of them runs a whole show (preshow, live with archive and HLS, close) while
 * an admin on a legacy pair runs a show beside it; fans, the host and the producer get RS256 tokens
 * the stand-in accepts on their sessions only; neither tenant reaches the other's sessions; Vonage
 * 401/403 answers become clear errors; and no answer, error or log line carries a private key or
 * secret.
 */
"use strict";
const assert = require("node:assert/strict");
const { generateKeyPairSync, randomBytes } = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { execFile } = require("node:child_process");
const jwt = require("jsonwebtoken");
const OpenTok = require("opentok");
const { sharedStack } = require("../support/stack.cjs");
const { newClient } = require("../../local/client.cjs");
const { waitFor } = require("../../local/async.cjs");
const { DEMO_SUPER_ADMIN, LOCAL_VONAGE, childEnv, localApplication } = require("../../local/config.cjs");

/**
 * @typedef {import("firebase/functions").FunctionsError} CallError a refused call, as the web SDK rejects it
 * @typedef {import("../support/showFixture.cjs").Client} Client
 * @typedef {import("@interactive-broadcast/contract").AdminProfile} AdminProfile
 * @typedef {ReturnType<typeof makeApplication>} TestApplication a Vonage application and its key pair
 * @typedef {import("../../local/vonage-standin/lib/types").SessionSnapshot} StandinSession a session as the stand-in's state() lists it
 * @typedef {{id: string, sessionId: string, status: string, applicationId?: string}} StandinRun an archive or broadcast as state() lists it
 * @typedef {{status: number | string | undefined, stdout: string, stderr: string}} ScriptRun
 * @typedef {import("jsonwebtoken").JwtPayload & {exp: number, role: string, application_id?: string}} ClientTokenClaims
 *   what a Vonage client token carries
 * @typedef {import("@interactive-broadcast/contract").CallableOutput<"changeStatus">} OwnerEvent
 * @typedef {OwnerEvent & {archive: import("@interactive-broadcast/contract").ArchiveState & {id: string}, broadcast: import("@interactive-broadcast/contract").BroadcastState & {id: string, hlsUrl: string}}} ArchivedLive
 *   a show gone live with its archive and HLS broadcast started
 * @typedef {{fan: Client, tokens: import("@interactive-broadcast/contract").FanAnswer}} FanJoin
 */

const run = randomBytes(3).toString("hex");

/** @param {string} applicationId */
function makeApplication(applicationId) {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    applicationId,
    pkcs8: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    pkcs1: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    publicPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    publicKey,
  };
}

/** The base64 lines of a PEM: any one of them in an output means the key leaked. */
const keyLines = (/** @type {string} */ pem) => pem.split("\n").filter((line) => line.length > 16 && !line.startsWith("-----"));

describe("integration: Vonage application credentials", function () {
  this.timeout(300_000);
  /** @type {import("../support/stack.cjs").SharedStack} */
  let stack;
  /** @type {Client[]} */
  const clients = [];
  /**
   * Every answer and error any caller got, scanned at the end for key material.
   * @type {({name: string, answer: unknown} | {name: string, error: {code: string, message: string, details: unknown}})[]}
   */
  const outputs = [];
  const appA = makeApplication("a1a1a1a1-0000-4000-8000-0000000000a1");
  const appC = makeApplication("c3c3c3c3-0000-4000-8000-0000000000c3");
  /** @type {Client} */
  let superAdmin;
  /** @type {Client} */
  let producerA;
  /** @type {Client} */
  let producerB;
  /** @type {Client} */
  let producerC;
  /** @type {AdminProfile} */
  let adminA;
  /** @type {AdminProfile} */
  let adminB;
  /** @type {AdminProfile} */
  let adminC;

  const client = () => {
    const created = newClient(stack.ports);
    clients.push(created);
    return created;
  };
  /**
   * A call whose answer or error is kept for the key-material check at the end.
   * @template {string} N
   * @param {Client} caller
   * @param {N} name
   * @param {unknown} [data]
   */
  const call = async (caller, name, data = {}) => {
    try {
      const answer = await caller.call(name, data);
      outputs.push({ name, answer });
      return answer;
    } catch (caught) {
      const error = /** @type {CallError} */ (caught);
      outputs.push({ name, error: { code: error.code, message: error.message, details: error.details } });
      throw error;
    }
  };
  /**
   * @param {Promise<unknown>} promise
   * @param {string} code
   * @param {RegExp} [message]
   */
  const refused = (promise, code, message) =>
    assert.rejects(promise, (/** @type {CallError} */ error) => {
      assert.equal(error.code, `functions/${code}`, `${error.code}: ${error.message}`);
      if (message) assert.match(error.message, message);
      return true;
    });
  /**
   * The claims of a client token signed with the application's key (a JSON payload: never a bare string).
   * @param {string} token
   * @param {TestApplication} app
   */
  const verifyRs256 = (token, app) => /** @type {ClientTokenClaims} */ (jwt.verify(token, app.publicKey, { algorithms: ["RS256"] }));
  /** The stand-in's session `id` (which must exist). @type {(id: string) => StandinSession} */
  const standinSession = (id) => {
    const session = stack.vonage.state().sessions.find((candidate) => candidate.id === id);
    assert.ok(session, `the stand-in has session ${id}`);
    return session;
  };
  /** @type {() => StandinRun[]} */
  const standinArchives = () => stack.vonage.state().archives;
  /** The stand-in's archive `id` (which must exist). @param {string} id */
  const standinArchive = (id) => {
    const found = standinArchives().find((archive) => archive.id === id);
    assert.ok(found, `the stand-in has archive ${id}`);
    return found;
  };
  /** @type {() => StandinRun[]} */
  const standinBroadcasts = () => stack.vonage.state().broadcasts;

  /**
   * @param {string} email
   * @param {string} password
   */
  async function signedInAdmin(email, password) {
    const producer = client();
    await producer.signInWithPassword(email, password);
    const answer = await call(producer, "login");
    if (answer.refreshIdToken) await producer.refreshClaims();
    return producer;
  }

  /**
   * @param {string} adminId
   * @param {string} slug
   * @returns {Promise<FanJoin>}
   */
  async function fanJoin(adminId, slug) {
    const fan = client();
    const login = await call(fan, "loginFan", { adminId, slug });
    await fan.signInWithCustomToken(login.token);
    const tokens = await call(fan, "createTokensFan", {});
    return { fan, tokens };
  }

  before(async () => {
    stack = await sharedStack();
    stack.vonage.addApplication(appA.applicationId, appA.publicPem, { video: true });
    stack.vonage.addApplication(appC.applicationId, appC.publicPem, { video: true });
    superAdmin = client();
    await superAdmin.signInWithPassword(DEMO_SUPER_ADMIN.email, DEMO_SUPER_ADMIN.password);
    await call(superAdmin, "login");
  });

  after(async () => {
    for (const created of clients) await created.close();
  });

  it("a superAdmin creates admins with an application (PKCS#1 and PKCS#8) and one with a legacy pair", async () => {
    const base = (/** @type {string} */ name) => ({
      displayName: `${name} ${run}`,
      email: `${name.toLowerCase()}-${run}@example.com`,
      password: "a-good-password",
      hls: true,
    });
    ({ admin: adminA } = await call(superAdmin, "createAdmin", {
      ...base("AppOne"),
      vonageApplicationId: appA.applicationId,
      vonagePrivateKey: appA.pkcs1,
    }));
    ({ admin: adminC } = await call(superAdmin, "createAdmin", {
      ...base("AppTwo"),
      vonageApplicationId: appC.applicationId,
      vonagePrivateKey: appC.pkcs8,
    }));
    ({ admin: adminB } = await call(superAdmin, "createAdmin", {
      ...base("Legacy"),
      otApiKey: LOCAL_VONAGE.apiKey,
      otSecret: LOCAL_VONAGE.apiSecret,
    }));
    for (const [admin, app] of /** @satisfies {[AdminProfile, TestApplication][]} */ ([
      [adminA, appA],
      [adminC, appC],
    ])) {
      assert.equal(admin.credentialKind, "application");
      assert.equal(admin.vonageApplicationId, app.applicationId);
      assert.equal(admin.otApiKey, "");
      assert.equal(stack.database.getData(`adminCredentials/${admin.id}/kind`), "application");
    }
    assert.equal(adminB.credentialKind, "legacy");
    assert.equal(adminB.otApiKey, LOCAL_VONAGE.apiKey);
    producerA = await signedInAdmin(`appone-${run}@example.com`, "a-good-password");
    producerB = await signedInAdmin(`legacy-${run}@example.com`, "a-good-password");
    producerC = await signedInAdmin(`apptwo-${run}@example.com`, "a-good-password");
  });

  it("the application admin and the legacy admin run whole shows side by side; every token is the right kind and accepted where it belongs", async () => {
    const showA = await call(producerA, "createEvent", { name: `App show ${run}`, archiveEvent: true, interactiveLimit: 2 });
    const showB = await call(producerB, "createEvent", { name: `Legacy show ${run}`, archiveEvent: true });
    assert.equal(standinSession(showA.stageSessionId).applicationId, appA.applicationId);
    assert.equal(standinSession(showB.stageSessionId).projectId, LOCAL_VONAGE.apiKey);
    for (const [producer, show] of /** @satisfies {[Client, OwnerEvent][]} */ ([
      [producerA, showA],
      [producerB, showB],
    ])) {
      assert.equal((await call(producer, "changeStatus", { id: show.id, status: "preshow" })).status, "preshow");
    }

    // Producer, host and fans of the application show: RS256 with the application's key.
    const producerTokens = await call(producerA, "createTokenProducer", { eventId: showA.id });
    assert.equal(producerTokens.apiKey, appA.applicationId);
    assert.equal(verifyRs256(producerTokens.stageToken, appA).role, "moderator");
    assert.equal(stack.vonage.connectClient(showA.stageSessionId, { token: producerTokens.stageToken }).via, "jwt-rs256");
    assert.equal(stack.vonage.connectClient(showA.sessionId, { token: producerTokens.backstageToken }).role, "moderator");

    const host = client();
    const hostLogin = await call(host, "loginHost", { adminId: adminA.id, slug: showA.hostUrl });
    await host.signInWithCustomToken(hostLogin.token);
    const hostTokens = await call(host, "createTokenHostCeleb", {});
    assert.equal(verifyRs256(hostTokens.stageToken, appA).role, "publisher");
    assert.equal(stack.vonage.connectClient(showA.stageSessionId, { token: hostTokens.stageToken }).role, "publisher");

    /** @type {FanJoin[]} */
    const fans = [];
    for (let index = 0; index < 3; index++) fans.push(await fanJoin(adminA.id, showA.fanUrl));
    /** @type {(joined: FanJoin) => joined is FanJoin & {tokens: import("@interactive-broadcast/contract").InteractiveAnswer}} */
    const isSeated = (joined) => joined.tokens.mode === "interactive";
    const seated = fans.filter(isSeated);
    assert.equal(seated.length, 2, "two seats");
    assert.equal(fans[2].tokens.mode, "hls");
    for (const { tokens } of seated) {
      assert.equal(tokens.apiKey, appA.applicationId);
      const stageClaims = verifyRs256(tokens.stageToken, appA);
      assert.equal(stageClaims.role, "subscriber");
      assert.equal(stageClaims.application_id, appA.applicationId);
      assert.ok(stageClaims.exp * 1000 <= tokens.expiresAt + 1000, "our expiry, not the SDK's 24 h");
      assert.equal(stack.vonage.connectClient(showA.stageSessionId, { token: tokens.stageToken }).role, "subscriber");
      assert.equal(stack.vonage.connectClient(showA.sessionId, { token: tokens.backstageToken }).role, "publisher");
      // A token opens its own session only.
      assert.throws(() => stack.vonage.connectClient(showA.sessionId, { token: tokens.stageToken }), /different session/);
    }

    // The legacy show: HS256 with the project secret, as before.
    const legacyTokens = await call(producerB, "createTokenProducer", { eventId: showB.id });
    assert.equal(legacyTokens.apiKey, LOCAL_VONAGE.apiKey);
    jwt.verify(legacyTokens.stageToken, LOCAL_VONAGE.apiSecret, { algorithms: ["HS256"] });
    assert.equal(stack.vonage.connectClient(showB.stageSessionId, { token: legacyTokens.stageToken }).role, "moderator");
    const legacyFan = await fanJoin(adminB.id, showB.fanUrl);
    assert.equal(legacyFan.tokens.mode, "interactive");
    jwt.verify(legacyFan.tokens.stageToken, LOCAL_VONAGE.apiSecret, { algorithms: ["HS256"] });

    // The PKCS#8 admin's tokens verify with their own application's key only.
    const showC = await call(producerC, "createEvent", { name: `Second app ${run}` });
    await call(producerC, "changeStatus", { id: showC.id, status: "preshow" });
    const tokensC = await call(producerC, "createTokenProducer", { eventId: showC.id });
    assert.equal(verifyRs256(tokensC.stageToken, appC).application_id, appC.applicationId);
    assert.throws(() => verifyRs256(tokensC.stageToken, appA), /invalid signature/);

    // Both shows live at once: archive and HLS broadcast through each tenant's own credential.
    const liveA = /** @type {ArchivedLive} */ (await call(producerA, "changeStatus", { id: showA.id, status: "live" }));
    const liveB = /** @type {ArchivedLive} */ (await call(producerB, "changeStatus", { id: showB.id, status: "live" }));
    for (const live of [liveA, liveB]) {
      assert.equal(live.status, "live");
      assert.equal(live.archive.status, "started");
      assert.equal(live.broadcast.status, "started");
      assert.match(live.broadcast.hlsUrl, /^http/);
    }
    const archiveA = standinArchive(liveA.archive.id);
    assert.equal(archiveA.applicationId, appA.applicationId);
    assert.equal(archiveA.sessionId, showA.stageSessionId);
    const hlsFan = await call(fans[2].fan, "createTokensFan", {});
    assert.equal(hlsFan.mode, "hls");
    assert.equal(hlsFan.hlsUrl, liveA.broadcast.hlsUrl);

    // Neither tenant reaches the other's sessions: not through the backend ...
    await refused(call(producerB, "changeStatus", { id: showA.id, status: "closed" }), "permission-denied");
    await refused(call(producerB, "createTokenProducer", { eventId: showA.id }), "permission-denied");
    assert.throws(
      () => stack.vonage.connectClient(showA.stageSessionId, { token: legacyTokens.stageToken }),
      /different session|403|another|owner/i,
    );
    assert.throws(
      () => stack.vonage.connectClient(showB.stageSessionId, { token: tokensC.stageToken }),
      /different session|403|another|owner/i,
    );
    // ... nor with their own credentials at Vonage (the stand-in answers 403, the SDK an auth error).
    const legacySdk = new OpenTok(LOCAL_VONAGE.apiKey, LOCAL_VONAGE.apiSecret, { apiUrl: stack.vonage.url });
    const appCSdk = new OpenTok(appC.applicationId, appC.pkcs8, { apiUrl: stack.vonage.url });
    for (const sdk of [legacySdk, appCSdk]) {
      await assert.rejects(
        new Promise((resolve, reject) => sdk.stopArchive(liveA.archive.id, (error, value) => (error ? reject(error) : resolve(value)))),
      );
      await assert.rejects(
        new Promise((resolve, reject) =>
          sdk.startArchive(showA.stageSessionId, { name: "x" }, (error, value) => (error ? reject(error) : resolve(value))),
        ),
      );
    }
    assert.equal(standinArchive(liveA.archive.id).status, "started");

    // Close both; the archive stops at once, the HLS broadcast after the drain.
    for (const [producer, show, live] of /** @satisfies {[Client, OwnerEvent, ArchivedLive][]} */ ([
      [producerA, showA, liveA],
      [producerB, showB, liveB],
    ])) {
      const closed = await call(producer, "changeStatus", { id: show.id, status: "closed" });
      assert.equal(closed.status, "closed");
      await waitFor(
        `the broadcast of ${show.name} to stop`,
        () => standinBroadcasts().find((broadcast) => broadcast.id === live.broadcast.id)?.status,
        (status) => status === "stopped",
        { timeoutMs: 90_000 },
      );
      assert.notEqual(standinArchive(live.archive.id).status, "started");
    }
    await refused(call(fans[0].fan, "createTokensFan", {}), "failed-precondition", /ended/);
  });

  it("Vonage refusing the application (401: key replaced; 403: no Video capability) gives clear errors, never internal", async () => {
    const replaced = makeApplication(appA.applicationId);
    stack.vonage.addApplication(appA.applicationId, replaced.publicPem, { video: true });
    try {
      await refused(
        call(producerA, "createEvent", { name: `Refused ${run}` }),
        "failed-precondition",
        /Vonage refused this admin's credentials/,
      );
      await refused(
        call(superAdmin, "updateAdmin", { id: adminA.id, vonagePrivateKey: appA.pkcs8 }),
        "invalid-argument",
        /private key must be the one generated for this application/,
      );
      stack.vonage.addApplication(appA.applicationId, appA.publicPem, { video: false });
      await refused(call(producerA, "createEvent", { name: `No video ${run}` }), "failed-precondition", /Vonage refused/);
      await refused(
        call(superAdmin, "updateAdmin", { id: adminA.id, vonagePrivateKey: appA.pkcs8 }),
        "invalid-argument",
        /Video capability/,
      );
    } finally {
      stack.vonage.addApplication(appA.applicationId, appA.publicPem, { video: true });
    }
    const again = await call(producerA, "createEvent", { name: `Restored ${run}` });
    assert.equal(again.vonage?.kind, "application");
  });

  it("the stack's own project-wide credential is its application: the seeded superAdmin's events are application events", async () => {
    const local = localApplication();
    const event = await call(superAdmin, "createEvent", { name: `Project-wide ${run}` });
    assert.deepEqual(event.vonage, { kind: "application", id: local.applicationId });
    await call(superAdmin, "changeStatus", { id: event.id, status: "preshow" });
    const tokens = await call(superAdmin, "createTokenProducer", { eventId: event.id });
    jwt.verify(tokens.stageToken, local.publicKey, { algorithms: ["RS256"] });
    await call(superAdmin, "deleteEvent", { id: event.id });
  });

  it("the superAdmin bootstrap command takes an application id and a private key file (or refuses a bad one clearly)", async () => {
    const script = path.join(__dirname, "..", "..", "tools", "create-superadmin.cjs");
    // Asynchronously: the stack's database and stand-in run in this process and must keep answering.
    /** @type {(args: string[]) => Promise<ScriptRun>} */
    const runScript = (args) =>
      new Promise((resolve) => {
        execFile(
          process.execPath,
          [script, ...args],
          { env: childEnv({ VONAGE_VIDEO_API_URL: stack.vonage.url, VONAGE_TIMEOUT_MS: "5000" }) },
          (error, stdout, stderr) => resolve({ status: error ? error.code : 0, stdout, stderr }),
        );
      });
    const keyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ibs-key-")), "private.key");
    fs.writeFileSync(keyFile, appC.pkcs1);
    const local = ["--local", "--auth-port", String(stack.ports.auth), "--database-port", String(stack.ports.database)];
    const email = `boot-${run}@example.com`;
    const created = await runScript([
      ...local,
      "--email",
      email,
      "--password",
      "a-good-password",
      "--vonage-application-id",
      appC.applicationId,
      "--vonage-private-key",
      keyFile,
    ]);
    assert.equal(created.status, 0, created.stderr);
    assert.match(
      created.stdout,
      new RegExp(`superAdmin ready: ${email} \\(uid [A-Za-z0-9]+, own Vonage application ${appC.applicationId}; password set\\)`),
    );
    // The assert.match above saw the uid.
    const uid = /** @type {RegExpExecArray} */ (/uid ([A-Za-z0-9]+)/.exec(created.stdout))[1];
    assert.equal(stack.database.getData(`adminCredentials/${uid}/kind`), "application");
    // A re-run without credential flags keeps the credential.
    const again = await runScript([...local, "--email", email, "--password", "a-good-password"]);
    assert.match(again.stdout, /own Vonage application/);
    // A re-run with another password says it kept the old one (and does), unless --reset-password.
    const signsIn = async (/** @type {string} */ password) => {
      const user = newClient(stack.ports);
      try {
        await user.signInWithPassword(email, password);
        return true;
      } catch {
        return false;
      } finally {
        await user.close();
      }
    };
    const otherPassword = await runScript([...local, "--email", email, "--password", "another-password"]);
    assert.equal(otherPassword.status, 0, otherPassword.stderr);
    assert.match(
      otherPassword.stdout,
      new RegExp(`uid ${uid}.*existing user: password kept, not changed to --password \\(--reset-password sets it\\)`),
    );
    assert.equal(await signsIn("a-good-password"), true, "the old password still works");
    assert.equal(await signsIn("another-password"), false, "the new one was not set");
    const reset = await runScript([...local, "--email", email, "--password", "another-password", "--reset-password"]);
    assert.match(reset.stdout, new RegExp(`uid ${uid}.*password reset to the given one`));
    assert.equal(await signsIn("another-password"), true, "--reset-password set it");
    assert.equal(await signsIn("a-good-password"), false);
    const wrongKey = makeApplication(appC.applicationId);
    const refusedRun = await runScript([
      ...local,
      "--email",
      `boot2-${run}@example.com`,
      "--password",
      "a-good-password",
      "--vonage-application-id",
      appC.applicationId,
      `--vonage-private-key=${wrongKey.pkcs8}`,
    ]);
    assert.equal(refusedRun.status, 1);
    assert.match(refusedRun.stderr, /private key must be the one generated for this application/);
    const short = await runScript(["--local", "--email", "x@example.com", "--password", "seven77"]);
    assert.equal(short.status, 2);
    assert.match(short.stderr, /8 to 128 characters/);
    const help = await runScript(["--help"]);
    assert.match(help.stdout, /--vonage-application-id UUID --vonage-private-key FILE_OR_PEM/);
    assert.match(help.stdout, /--ot-api-key KEY --ot-secret SECRET/);
    const unknown = await runScript(["--local", "--emial", "x"]);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /Unknown option '--emial'/);
    for (const output of [created, again, refusedRun]) {
      for (const line of [...keyLines(appC.pkcs8), ...keyLines(wrongKey.pkcs8)])
        assert.ok(!`${output.stdout}${output.stderr}`.includes(line));
    }
  });

  it("no answer, error or log line contains a private key or a Vonage secret", () => {
    const forbidden = [
      ...keyLines(appA.pkcs8),
      ...keyLines(appA.pkcs1),
      ...keyLines(appC.pkcs8),
      ...keyLines(appC.pkcs1),
      ...keyLines(localApplication().privateKey),
      LOCAL_VONAGE.apiSecret,
    ];
    const text = JSON.stringify(outputs);
    assert.ok(outputs.length > 30, `${outputs.length} outputs checked`);
    for (const secret of forbidden) assert.ok(!text.includes(secret), "an answer or error carries key material");
    const logs = stack.logLines.join("\n");
    assert.ok(/createAdmin/.test(logs) && /Vonage/.test(logs), "the functions' own log lines were captured");
    for (const secret of forbidden) assert.ok(!logs.includes(secret), "a log line carries key material");
  });
});
