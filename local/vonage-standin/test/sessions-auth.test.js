// @ts-check
"use strict";

/** @typedef {import("./helpers").Json} Json */

const assert = require("node:assert/strict");
const jwt = require("jsonwebtoken");
const { KEY, SECRET, KEY2, SECRET2, start, sdk, raw, OpenTok } = require("./helpers");

/**
 * @param {string} key
 * @param {string} secret
 * @param {Record<string, unknown>} [claims]
 * @param {import("jsonwebtoken").SignOptions} [options]
 */
function restJwt(key, secret, claims = {}, options = {}) {
  const iat = Math.floor(Date.now() / 1000);
  return jwt.sign({ iss: key, ist: "project", iat, exp: iat + 300, ...claims }, secret, { algorithm: "HS256", ...options });
}

describe("vonage stand-in: sessions and REST auth", () => {
  /** @type {import("../lib/types").VonageStandin} */
  let v;
  /** @type {import("./helpers").Sdk} */
  let api;
  before(async () => {
    v = await start();
    api = sdk(v);
  });
  after(() => v.close());

  it("creates routed, relayed and always-archived sessions whose ids the SDK accepts for tokens", async () => {
    const routed = await api.createSession({ mediaMode: "routed" });
    const relayed = await api.createSession({});
    const always = await api.createSession({ mediaMode: "routed", archiveMode: "always", location: "10.1.2.3" });
    for (const s of [routed, relayed, always]) {
      assert.match(s.sessionId, /^1_[A-Za-z0-9_-]+$/);
      const token = api.token(s.sessionId, { role: "moderator", data: "name=Host" });
      const claims = /** @type {Json} */ (jwt.verify(token, SECRET, { algorithms: ["HS256"] }));
      assert.equal(claims.session_id, s.sessionId);
      assert.equal(claims.role, "moderator");
      assert.match(api.token(s.sessionId, {}, true), /^T1==/);
    }
    const sessions = v.state().sessions;
    const byId = Object.fromEntries(sessions.map((/** @type {Json} */ s) => [s.id, s]));
    assert.equal(byId[routed.sessionId].mediaMode, "routed");
    assert.equal(byId[relayed.sessionId].mediaMode, "relayed");
    assert.equal(byId[always.sessionId].archiveMode, "always");
    assert.equal(byId[always.sessionId].location, "10.1.2.3");
    // Another project's SDK refuses to mint tokens for this project's session.
    assert.throws(() => sdk(v, KEY2, SECRET2).token(routed.sessionId), /belongs to the API Key/);
  });

  it("answers /session/create with the JSON array the SDK expects", async () => {
    const res = await raw(v, "POST", "/session/create", {
      auth: restJwt(KEY, SECRET),
      body: "archiveMode=manual&p2p.preference=disabled",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    assert.equal(res.status, 200);
    assert.match(String(res.headers.get("content-type")), /^application\/json/);
    assert.ok(Array.isArray(res.json));
    for (const f of ["session_id", "project_id", "partner_id", "create_dt", "media_server_url"]) assert.ok(f in res.json[0], f);
    assert.equal(res.json[0].project_id, KEY);
  });

  it("refuses archiveMode=always with relayed media, as the real API does", async () => {
    const res = await raw(v, "POST", "/session/create", {
      auth: restJwt(KEY, SECRET),
      body: "archiveMode=always&p2p.preference=enabled",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    assert.equal(res.status, 400);
    assert.equal(res.json.code, 400);
    assert.match(res.json.message, /routed/);
  });

  it("gives the SDK its auth error for a wrong secret", async () => {
    const bad = sdk(v, KEY, "x".repeat(40));
    await assert.rejects(bad.createSession(), (/** @type {Json} */ err) => {
      assert.match(err.message, /Invalid API key or secret/);
      return true;
    });
    await assert.rejects(bad.listArchives(), (err) => err instanceof OpenTok.AuthError);
  });

  it("answers 401 JSON for a missing, badly signed, expired, alg=none or client-token JWT", async () => {
    const cases = [
      undefined,
      restJwt(KEY, "wrong-secret"),
      restJwt(KEY, SECRET, { iat: Math.floor(Date.now() / 1000) - 700, exp: Math.floor(Date.now() / 1000) - 400 }),
      `${Buffer.from('{"alg":"none","typ":"JWT"}').toString("base64url")}.${Buffer.from(JSON.stringify({ iss: KEY, ist: "project", exp: 9999999999 })).toString("base64url")}.`,
      restJwt(KEY, SECRET, { ist: "account" }),
      restJwt("99999999", SECRET),
      restJwt(KEY, SECRET, { scope: "session.connect", session_id: "x", role: "publisher" }),
      "not-a-jwt",
    ];
    for (const auth of cases) {
      const res = await raw(v, "GET", `/v2/project/${KEY}/archive`, { auth });
      assert.equal(res.status, 401, `auth ${auth}`);
      assert.equal(res.json.code, 401);
      assert.equal(typeof res.json.message, "string");
    }
    const expired = await raw(v, "GET", `/v2/project/${KEY}/archive`, {
      auth: restJwt(KEY, SECRET, { iat: 1000, exp: 1300 }),
    });
    assert.match(expired.json.message, /expired/);
  });

  it("answers 403 when the path names another project, or the session belongs to one", async () => {
    const mismatch = await raw(v, "GET", `/v2/project/${KEY2}/archive`, { auth: restJwt(KEY, SECRET) });
    assert.equal(mismatch.status, 403);
    assert.match(mismatch.json.message, /does not match/);

    const sid = await api.routed();
    const other = sdk(v, KEY2, SECRET2);
    await assert.rejects(other.startArchive(sid), (err) => err instanceof OpenTok.AuthError);
    await assert.rejects(other.signal(sid, null, { type: "t", data: "d" }), (err) => err instanceof OpenTok.AuthError);
    const res = await raw(v, "POST", `/v2/project/${KEY2}/archive`, { auth: restJwt(KEY2, SECRET2), body: { sessionId: sid } });
    assert.equal(res.status, 403);
    assert.match(res.json.message, /another project/);
    assert.equal(v.state().archives.length, 0);
  });

  it('ignores the SDK junk "headers" header, and says 501 for endpoints it does not implement', async () => {
    const ok = await raw(v, "GET", `/v2/project/${KEY}/archive`, { auth: restJwt(KEY, SECRET), headers: { headers: "[object Object]" } });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.json, { count: 0, items: [] });
    const dial = await raw(v, "POST", `/v2/project/${KEY}/dial`, { auth: restJwt(KEY, SECRET), body: {} });
    assert.equal(dial.status, 501);
    const unknown = await raw(v, "GET", "/nope", { auth: restJwt(KEY, SECRET) });
    assert.equal(unknown.status, 404);
  });

  it("accepts projects added later", async () => {
    v.addProject("55555555", "s".repeat(40));
    const later = sdk(v, "55555555", "s".repeat(40));
    const s = await later.createSession();
    assert.ok(later.token(s.sessionId));
    assert.ok(v.state().projects.includes("55555555"));
  });

  it("adopts well-formed unknown session ids only when asked to (e.g. after a restart)", async () => {
    const sid = await api.routed();
    v.reset();
    await assert.rejects(api.startArchive(sid), /Session not found/);
    v.setOptions({ adoptUnknownSessions: true });
    try {
      const archive = await api.startArchive(sid);
      assert.equal(archive.status, "started");
      assert.equal(v.state().sessions.find((/** @type {Json} */ s) => s.id === sid)?.adopted, true);
    } finally {
      v.setOptions({ adoptUnknownSessions: false });
    }
  });
});
