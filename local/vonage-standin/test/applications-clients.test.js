// @ts-check
"use strict";

/** @typedef {import("./helpers").Json} Json */

const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawn } = require("node:child_process");
const jwt = require("jsonwebtoken");
const { KEY, SECRET, sdk, raw } = require("./helpers");
const {
  APP,
  APP2,
  APP_NOVIDEO,
  keyPair,
  startWithApps,
  now,
  clientClaims,
  signRs256,
  restToken,
  bearer,
  hs256,
  algNone,
  tamper,
  decodeSessionOwner,
} = require("./app-helpers");
const { startVonageStandin } = require("..");

const CLI = path.join(__dirname, "..", "cli.js");

/**
 * @param {{ url: string }} v
 * @param {string} method
 * @param {string} p the path under /_control
 * @param {unknown} [body]
 */
async function control(v, method, p, body) {
  const res = await fetch(`${v.url}/_control${p}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

/** @type {(status: number, re?: RegExp) => (e: Json) => boolean} */
const refused = (status, re) => (e) => e.status === status && (!re || re.test(e.message));

describe("vonage stand-in: simulated clients with application (RS256) tokens", () => {
  /** @type {import("../lib/types").VonageStandin} */
  let v;
  /** @type {import("./helpers").Sdk} */
  let app;
  /** @type {import("./helpers").Sdk} */
  let app2;
  /** @type {import("./helpers").Sdk} */
  let legacy;
  const A = () => keyPair("app");
  before(async () => {
    v = await startWithApps();
    app = sdk(v, APP, A().privatePem);
    app2 = sdk(v, APP2, keyPair("app2").privatePem);
    legacy = sdk(v);
  });
  beforeEach(() => v.reset());
  after(() => v.close());

  it("accepts SDK generateToken tokens on the right session, with role, data and layout classes", async () => {
    const sid = await app.routed();
    const token = app.token(sid, { role: "moderator", data: "name=Host", initialLayoutClassList: ["focus", "big"] });
    assert.equal(/** @type {Json} */ (jwt.decode(token, { complete: true })).header.alg, "RS256");
    const host = v.connectClient(sid, { token });
    assert.equal(host.role, "moderator");
    assert.equal(host.data, "name=Host");
    assert.equal(host.via, "jwt-rs256");
    assert.equal(host.applicationId, APP);
    assert.equal(host.projectId, undefined);
    const stream = v.createStream(host.connectionId, { name: "Host" });
    assert.deepEqual(stream.layoutClassList, ["focus", "big"]);
    const fan = v.connectClient(sid, { token: app.token(sid, { role: "subscriber" }) });
    assert.equal(fan.role, "subscriber");
    assert.equal(fan.data, "");
    assert.throws(() => v.createStream(fan.connectionId, {}), refused(403, /cannot publish/));
    // A token the backend mints itself with the documented claims works the same way.
    const own = signRs256(clientClaims(APP, sid, { role: "publisheronly", connection_data: "userId=7" }), A().privatePem);
    const c = v.connectClient(sid, { token: own });
    assert.deepEqual([c.role, c.data, c.via], ["publisheronly", "userId=7", "jwt-rs256"]);
    // Over the control API too.
    const viaHttp = await control(v, "POST", `/sessions/${sid}/connections`, { token: app.token(sid, { data: "http" }) });
    assert.equal(viaHttp.status, 201);
    assert.equal(viaHttp.json.via, "jwt-rs256");
    assert.equal(v.state().sessions[0].connections.length, 4);
  });

  it("refuses tampered, expired, wrong-session, wrong-role, unscoped and badly signed tokens", async () => {
    const sid = await app.routed();
    const other = await app.routed();
    const { privatePem, publicPem } = A();
    const sign = (/** @type {Record<string, unknown>} */ extra) => signRs256(clientClaims(APP, sid, extra), privatePem);

    const tampered = tamper(app.token(sid, { role: "subscriber" }), (c) => ({ ...c, role: "moderator" }));
    assert.throws(() => v.connectClient(sid, { token: tampered }), refused(401, /invalid signature/));
    assert.throws(() => v.connectClient(sid, { token: sign({ iat: now() - 100, exp: now() - 60 }) }), refused(401, /expired/));
    assert.throws(() => v.connectClient(sid, { token: app.token(other) }), refused(403, /different session/));
    assert.throws(() => v.connectClient(sid, { token: sign({ role: "admin" }) }), refused(401, /invalid role/));
    assert.throws(() => v.connectClient(sid, { token: sign({ scope: "session.admin" }) }), refused(401, /scope/));
    /** @type {Json} */
    const noScope = clientClaims(APP, sid);
    delete noScope.scope;
    assert.throws(() => v.connectClient(sid, { token: signRs256(noScope, privatePem) }), refused(401, /scope/));
    /** @type {Json} */
    const noExp = clientClaims(APP, sid);
    delete noExp.exp;
    assert.throws(() => v.connectClient(sid, { token: signRs256(noExp, privatePem) }), refused(401, /exp/));
    // Key confusion and unsigned tokens.
    assert.throws(() => v.connectClient(sid, { token: hs256(clientClaims(APP, sid), publicPem) }), refused(401, /invalid algorithm/));
    assert.throws(() => v.connectClient(sid, { token: algNone(clientClaims(APP, sid)) }), refused(401, /signature is required/));
    assert.throws(() => v.connectClient(sid, { token: "garbage" }), refused(401));
    assert.equal(v.state().sessions.find((/** @type {Json} */ s) => s.id === sid)?.connections.length, 0);
  });

  it("refuses tokens of another application, and crosses between projects and applications", async () => {
    const sid = await app.routed();
    const otherKey = keyPair("app2").privatePem;
    // A valid token of APP2 naming APP's session.
    const fromApp2 = signRs256(clientClaims(APP2, sid), otherKey);
    assert.throws(() => v.connectClient(sid, { token: fromApp2 }), refused(403, /another application/));
    // APP2's key claiming to be APP.
    assert.throws(() => v.connectClient(sid, { token: signRs256(clientClaims(APP, sid), otherKey) }), refused(401, /invalid signature/));
    // APP2's SDK happily mints one (Vonage mode does not check session ownership); refused.
    assert.throws(() => v.connectClient(sid, { token: app2.token(sid) }), refused(403));
    // A legacy project's token for the application's session, and vice versa.
    const projToken = jwt.sign(
      {
        iss: KEY,
        ist: "project",
        iat: now(),
        exp: now() + 60,
        session_id: sid,
        role: "publisher",
        scope: "session.connect",
      },
      SECRET,
      { algorithm: "HS256" },
    );
    assert.throws(() => v.connectClient(sid, { token: projToken }), refused(403, /a project, not by the application/));
    const projSid = await legacy.routed();
    assert.throws(() => v.connectClient(projSid, { token: app.token(projSid) }), refused(403, /an application, not by the project/));
    assert.throws(() => v.connectClient(projSid, { token: hs256(clientClaims(APP, projSid), SECRET) }), refused(401));
    assert.equal(v.connectClient(projSid, { token: legacy.token(projSid) }).via, "jwt");
  });

  it("pins opentok 2.23.2 Vonage-mode generateToken quirks: expireTime ignored, role unchecked", async () => {
    const sid = await app.routed();
    const t = /** @type {Json} */ (jwt.decode(app.token(sid, { expireTime: now() + 60, role: "admin" })));
    assert.ok(t.exp - now() > 86000, "expireTime is ignored: the token lives 24 h");
    assert.equal(t.role, "admin", "the SDK does not check the role in Vonage mode");
    assert.throws(() => v.connectClient(sid, { token: app.token(sid, { role: "admin" }) }), refused(401, /invalid role/));
    const at = now() + 60;
    assert.equal(/** @type {Json} */ (jwt.decode(app.token(sid, { expire_time: at }))).exp, at, "only expire_time is read");
    assert.throws(() => app.token(sid, { initialLayoutClassList: "a b" }), /join is not a function/);
    assert.equal(app.token("1_not-even-a-session").length > 0, true, "no session ownership check either");
  });

  it("refuses clients and REST calls once the application loses its Video capability", async () => {
    const sid = await app.routed();
    v.addApplication(APP, A().publicPem, { video: false });
    try {
      assert.throws(() => v.connectClient(sid, { token: app.token(sid) }), refused(403, /no Video capability/));
      const res = await raw(v, "GET", `/v2/project/${APP}/archive`, { headers: bearer(restToken(APP, A().privatePem)) });
      assert.equal(res.status, 403);
      assert.deepEqual(
        v.state().applications.find((/** @type {Json} */ a) => a.applicationId === APP),
        { applicationId: APP, video: false },
      );
    } finally {
      v.addApplication(APP, A().publicPem);
    }
    assert.equal(v.connectClient(sid, { token: app.token(sid) }).via, "jwt-rs256");
  });

  it("adopts well-formed session ids of known applications when asked to", async () => {
    const sid = await app.routed();
    v.reset();
    v.setOptions({ adoptUnknownSessions: true });
    try {
      const archive = await app.startArchive(sid);
      assert.equal(archive.applicationId, APP);
      const session = v.state().sessions.find((/** @type {Json} */ s) => s.id === sid);
      assert.deepEqual([session?.adopted, session?.applicationId], [true, APP]);
      const res = await raw(v, "GET", `/v2/project/${APP2}/session/${sid}/stream`, {
        headers: bearer(restToken(APP2, keyPair("app2").privatePem)),
      });
      assert.equal(res.status, 403);
    } finally {
      v.setOptions({ adoptUnknownSessions: false });
    }
  });
});

describe("vonage stand-in: registering applications", () => {
  it("takes SPKI, PKCS#1 and private-key PEMs, as options, handle method and control route", async () => {
    const v = await startVonageStandin({ port: 0, applications: { [APP]: keyPair("app").pkcs1PublicPem } });
    try {
      assert.deepEqual(v.addApplication(APP2, keyPair("app2").publicPem), { applicationId: APP2, video: true });
      const added = await control(v, "POST", "/applications", {
        applicationId: APP_NOVIDEO,
        publicKey: keyPair("novideo").privatePem,
        video: false,
      });
      assert.equal(added.status, 201);
      assert.deepEqual(added.json, { applicationId: APP_NOVIDEO, video: false });
      for (const [id, name] of [
        [APP, "app"],
        [APP2, "app2"],
      ]) {
        const s = await sdk(v, id, keyPair(name).privatePem).createSession({ mediaMode: "routed" });
        assert.equal(decodeSessionOwner(s.sessionId)[1], id);
      }
      const state = (await control(v, "GET", "/state")).json;
      assert.deepEqual(state.applications, [
        { applicationId: APP, video: true },
        { applicationId: APP2, video: true },
        { applicationId: APP_NOVIDEO, video: false },
      ]);
      assert.deepEqual(state.projects, []);
      assert.equal(JSON.stringify(state).includes("BEGIN"), false, "state never shows key material");
      // Sessions without the SDK.
      const made = await control(v, "POST", "/sessions", { applicationId: APP });
      assert.equal(made.status, 201);
      assert.equal(made.json.applicationId, APP);
      assert.equal(decodeSessionOwner(made.json.sessionId)[1], APP);
      assert.equal((await control(v, "POST", "/sessions", { applicationId: "deadbeef-0000-4000-8000-000000000000" })).status, 404);
    } finally {
      await v.close();
    }
  });

  it("refuses non-UUID ids, unusable keys and clashes with project keys (400/409)", async () => {
    const v = await startVonageStandin({ port: 0, projects: { [KEY]: SECRET } });
    try {
      /** @type {Array<[Record<string, unknown>, number, RegExp]>} */
      const cases = [
        [{ applicationId: "12345678", publicKey: keyPair("app").publicPem }, 400, /UUID/],
        [{ applicationId: APP, publicKey: "not a pem" }, 400, /PEM/],
        [{ applicationId: APP }, 400, /PEM/],
        [{ applicationId: APP, publicKey: keyPair("app").publicPem, video: "yes" }, 400, /video/],
      ];
      for (const [body, status, re] of cases) {
        const res = await control(v, "POST", "/applications", body);
        assert.equal(res.status, status, JSON.stringify(body));
        assert.match(res.json.message, re);
      }
      const { publicKey: ecKey } = require("node:crypto").generateKeyPairSync("ec", { namedCurve: "P-256" });
      assert.throws(() => v.addApplication(APP, ecKey.export({ type: "spki", format: "pem" })), refused(400, /RSA/));
      v.addApplication(APP, keyPair("app").publicPem);
      assert.throws(() => v.addProject(APP, SECRET), refused(409));
      v.addProject("0a0a0a0a-0000-4000-8000-000000000000", SECRET);
      assert.throws(() => v.addApplication("0a0a0a0a-0000-4000-8000-000000000000", keyPair("app").publicPem), refused(409));
      await assert.rejects(startVonageStandin({ port: 0, applications: { nope: keyPair("app").publicPem } }), refused(400, /UUID/));
    } finally {
      await v.close();
    }
  });
});

describe("vonage stand-in: CLI with applications", () => {
  /** @type {string} */
  let dir;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "standin-apps-"));
    fs.writeFileSync(path.join(dir, "app.key"), keyPair("app").privatePem);
    fs.writeFileSync(path.join(dir, "novideo.pub"), keyPair("novideo").publicPem);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** @param {string[]} args */
  function run(args) {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    const out = { stdout: "", stderr: "" };
    child.stdout.on("data", (d) => {
      out.stdout += d;
    });
    child.stderr.on("data", (d) => {
      out.stderr += d;
    });
    const exited = new Promise((resolve) => child.on("exit", (code) => resolve({ code, ...out })));
    const firstLine = new Promise((resolve, reject) => {
      child.stdout.on("data", () => {
        if (out.stdout.includes("\n")) resolve(out.stdout.split("\n")[0]);
      });
      void exited.then(() => reject(new Error(`cli exited early: ${out.stderr}`)));
    });
    return { child, firstLine, exited };
  }

  it("serves applications given as --application ID:PEM and --application-no-video ID:PEM", async () => {
    const { child, firstLine, exited } = run([
      "--port",
      "0",
      "--application",
      `${APP}:${path.join(dir, "app.key")}`,
      `--application-no-video=${APP_NOVIDEO}:${path.join(dir, "novideo.pub")}`,
    ]);
    const line = await firstLine;
    const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
    assert.ok(m, line);
    assert.match(line, new RegExp(`applications: ${APP}, ${APP_NOVIDEO}`));
    const url = m[1];
    const api = sdk({ url }, APP, keyPair("app").privatePem);
    const s = await api.createSession({ mediaMode: "routed" });
    assert.equal(decodeSessionOwner(s.sessionId)[1], APP);
    const res = await raw({ url }, "GET", `/v2/project/${APP_NOVIDEO}/archive`, {
      headers: bearer(restToken(APP_NOVIDEO, keyPair("novideo").privatePem)),
    });
    assert.equal(res.status, 403);
    child.kill("SIGTERM");
    assert.equal((await exited).code, 0);
  });

  it("explains bad --application values", async () => {
    const r1 = await run(["--application", "nocolon"]).exited;
    assert.equal(r1.code, 2);
    assert.match(r1.stderr, /--application must be APP_ID:PEM_FILE/);
    const r2 = await run(["--application", `${APP}:${path.join(dir, "missing.pem")}`]).exited;
    assert.equal(r2.code, 2);
    assert.match(r2.stderr, /cannot read .*missing\.pem: ENOENT/);
    const r3 = await run(["--port", "0", "--application", `not-a-uuid:${path.join(dir, "app.key")}`]).exited;
    assert.equal(r3.code, 1);
    assert.match(r3.stderr, /must be a UUID/);
  });
});
