// @ts-check
"use strict";

/** @typedef {import("./helpers").Json} Json */

const assert = require("node:assert/strict");
const jwt = require("jsonwebtoken");
const { KEY, SECRET, KEY2, SECRET2, sdk, raw, startReceiver, waitFor, OpenTok } = require("./helpers");
const {
  APP,
  APP2,
  APP_NOVIDEO,
  APP_UNKNOWN,
  keyPair,
  startWithApps,
  now,
  restClaims,
  restToken,
  signRs256,
  bearer,
  hs256,
  algNone,
  tamper,
  decodeSessionOwner,
} = require("./app-helpers");

const SIGNING = "callback-signing-secret-for-applications";

/**
 * @param {Record<string, unknown>} obj
 * @param {string} key
 */
function without(obj, key) {
  const out = { ...obj };
  delete out[key];
  return out;
}

function legacyAuth(key = KEY, secret = SECRET) {
  const iat = now();
  return jwt.sign({ iss: key, ist: "project", iat, exp: iat + 300 }, secret, { algorithm: "HS256" });
}

describe("vonage stand-in: Vonage applications over REST (SDK in Vonage mode)", () => {
  /** @type {import("../lib/types").VonageStandin} */
  let v;
  /** @type {import("./helpers").Sdk} */
  let app; // the SDK in Vonage mode for APP
  /** @type {import("./helpers").Sdk} */
  let app2;
  /** @type {import("./helpers").Sdk} */
  let legacy;
  /** @type {import("./helpers").Receiver} */
  let receiver;
  const A = () => keyPair("app");
  before(async () => {
    receiver = await startReceiver();
    v = await startWithApps({ callbackUrl: receiver.url, callbackSigningSecret: SIGNING });
    app = sdk(v, APP, A().privatePem);
    app2 = sdk(v, APP2, keyPair("app2").privatePem);
    legacy = sdk(v);
  });
  beforeEach(async () => {
    await v.callbacksIdle();
    v.reset();
    receiver.received.length = 0;
  });
  after(async () => {
    await v.close();
    await receiver.close();
  });

  it("the SDK really is in Vonage mode: Bearer RS256 JWTs, application id in the paths", async () => {
    assert.equal(app.ot.client.c.callVonage, true);
    await app.listArchives();
    const [req] = v.state().requests;
    assert.equal(req.path, `/v2/project/${APP}/archive`);
  });

  it("creates sessions owned by the application, with the application id inside the session id", async () => {
    const routed = await app.createSession({ mediaMode: "routed" });
    const relayed = await app.createSession({});
    for (const s of [routed, relayed]) {
      assert.match(s.sessionId, /^1_[A-Za-z0-9_-]+$/);
      const fields = decodeSessionOwner(s.sessionId);
      assert.equal(fields[0], "1");
      assert.equal(fields[1], APP);
    }
    const byId = Object.fromEntries(v.state().sessions.map((/** @type {Json} */ s) => [s.id, s]));
    assert.equal(byId[routed.sessionId].applicationId, APP);
    assert.equal("projectId" in byId[routed.sessionId], false);
    assert.equal(byId[routed.sessionId].mediaMode, "routed");
    assert.equal(byId[relayed.sessionId].mediaMode, "relayed");

    const res = await raw(v, "POST", "/session/create", {
      headers: { ...bearer(restToken(APP, A().privatePem)), "Content-Type": "application/x-www-form-urlencoded" },
      body: "archiveMode=manual&p2p.preference=disabled",
    });
    assert.equal(res.status, 200);
    assert.equal(res.json[0].application_id, APP);
    assert.equal(decodeSessionOwner(res.json[0].session_id)[1], APP);
  });

  it("starts, lists, gets and stops archives", async () => {
    const sid = await app.routed();
    const started = await app.startArchive(sid, { name: "show-1" });
    assert.equal(started.status, "started");
    assert.equal(started.applicationId, APP);
    assert.equal(started.projectId, undefined);
    const [items, count] = await app.listArchives();
    assert.equal(count, 1);
    assert.equal(items[0].id, started.id);
    assert.equal((await app.getArchive(started.id)).name, "show-1");
    const stopped = await app.stopArchive(started.id);
    assert.equal(stopped.status, "stopped");
    await waitFor(async () => (await app.getArchive(started.id)).status === "available");
    // Another application sees none of it.
    const [otherItems] = await app2.listArchives();
    assert.equal(otherItems.length, 0);
  });

  it("starts and stops broadcasts", async () => {
    const sid = await app.routed();
    const b = await app.startBroadcast(sid, { outputs: { hls: {} } });
    assert.equal(b.status, "started");
    assert.equal(b.applicationId, APP);
    assert.match(b.broadcastUrls.hls, /index\.m3u8$/);
    const list = await app.listBroadcasts();
    assert.equal(list[0].length, 1);
    const stopped = await app.stopBroadcast(b.id);
    assert.equal(stopped.status, "stopped");
  });

  it("signals, force-disconnects and mutes, with application callbacks (applicationId, no projectId)", async () => {
    const sid = await app.routed();
    const host = v.connectClient(sid, { token: app.token(sid, { role: "moderator", data: "host" }) });
    const fan = v.connectClient(sid, { token: app.token(sid, { role: "publisher", data: "fan" }) });
    const s1 = v.createStream(host.connectionId, { name: "host cam" });
    const s2 = v.createStream(fan.connectionId, { name: "fan cam" });
    await app.signal(sid, null, { type: "goLive", data: "1" });
    await app.signal(sid, fan.connectionId, { type: "private", data: "hi" });
    assert.deepEqual(
      v.state().signals.map((/** @type {Json} */ s) => [s.type, s.recipients.length]),
      [
        ["goLive", 2],
        ["private", 1],
      ],
    );
    await app.forceMuteStream(sid, s1.id);
    await app.forceMuteAll(sid, { excludedStreamIds: [s1.id] });
    const streams = v.state().sessions.find((/** @type {Json} */ s) => s.id === sid)?.streams;
    assert.deepEqual(
      streams?.map((s) => s.audioMuted),
      [true, true],
    );
    assert.equal((await app.listStreams(sid)).length, 2);
    await app.forceDisconnect(sid, fan.connectionId);
    assert.equal(v.state().sessions.find((/** @type {Json} */ s) => s.id === sid)?.connections.length, 1);
    assert.ok(s2.id);

    await v.callbacksIdle();
    const events = receiver.received.map((r) => r.json.event);
    assert.deepEqual(events.slice(-2), ["streamDestroyed", "connectionDestroyed"]);
    for (const r of receiver.received) {
      assert.deepEqual(
        Object.keys(r.json)
          .filter((k) => /Id$/.test(k))
          .sort(),
        ["applicationId", "sessionId"],
      );
      assert.equal(r.json.applicationId, APP);
      const claims = /** @type {Json} */ (
        jwt.verify(/** @type {RegExpExecArray} */ (/^Bearer (.+)$/.exec(r.headers.authorization))[1], SIGNING, { algorithms: ["HS256"] })
      );
      assert.equal(claims.application_id, APP);
      assert.equal(claims.api_key, undefined);
    }
    assert.equal(v.state().callbacks[0].applicationId, APP);
  });

  it("archive and broadcast callbacks of an application carry applicationId and no partnerId", async () => {
    const sid = await app.routed();
    const a = await app.startArchive(sid);
    const b = await app.startBroadcast(sid, { outputs: { hls: {} } });
    await v.callbacksIdle();
    const archiveCb = /** @type {Json} */ (receiver.received.find((r) => r.json.event === "archive"));
    const broadcastCb = /** @type {Json} */ (receiver.received.find((r) => r.json.event === "broadcast"));
    assert.equal(archiveCb.json.id, a.id);
    assert.equal(broadcastCb.json.id, b.id);
    for (const cb of [archiveCb, broadcastCb]) {
      assert.equal(cb.json.applicationId, APP);
      assert.equal("partnerId" in cb.json, false);
      assert.equal("projectId" in cb.json, false);
    }
  });

  it("answers 401 for missing, garbled, tampered, expired, HS256, alg=none, unknown and incomplete Bearer JWTs", async () => {
    const { privatePem, publicPem } = A();
    const path = `/v2/project/${APP}/archive`;
    const good = restToken(APP, privatePem);
    assert.equal((await raw(v, "GET", path, { headers: bearer(good) })).status, 200);
    const cases = {
      none: {},
      basic: { Authorization: `Basic ${Buffer.from("a:b").toString("base64")}` },
      bearerEmpty: { Authorization: "Bearer " },
      garbled: bearer("not-a-jwt"),
      tampered: bearer(tamper(good, (c) => ({ ...c, exp: c.exp + 3600 }))),
      expired: bearer(restToken(APP, privatePem, { iat: now() - 700, exp: now() - 400 })),
      hs256WithPublicKey: bearer(hs256(restClaims(APP), publicPem)),
      hs256ViaLibrary: bearer(jwt.sign(restClaims(APP), "some-shared-secret", { algorithm: "HS256" })),
      algNone: bearer(algNone(restClaims(APP))),
      unknownApp: bearer(restToken(APP_UNKNOWN, privatePem)),
      otherAppsKey: bearer(restToken(APP, keyPair("app2").privatePem)),
      noApplicationId: bearer(signRs256(without(restClaims(APP), "application_id"), privatePem)),
      noExp: bearer(signRs256(without(restClaims(APP), "exp"), privatePem)),
      noIat: bearer(jwt.sign(without(restClaims(APP), "iat"), privatePem, { algorithm: "RS256", noTimestamp: true })),
      noJti: bearer(signRs256(without(restClaims(APP), "jti"), privatePem)),
      clientToken: bearer(app.token("1_whatever", { role: "moderator" })),
    };
    for (const [name, headers] of Object.entries(cases)) {
      const res = await raw(v, "GET", path, { headers });
      assert.equal(res.status, 401, name);
      assert.equal(res.json.code, 401, name);
      assert.equal(typeof res.json.message, "string", name);
    }
    const expired = await raw(v, "GET", path, { headers: cases.expired });
    assert.match(expired.json.message, /expired/);
    assert.match((await raw(v, "GET", path, { headers: cases.hs256WithPublicKey })).json.message, /RS256/);
    assert.match((await raw(v, "GET", path, { headers: cases.clientToken })).json.message, /client token/);
    assert.match((await raw(v, "GET", path, { headers: cases.unknownApp })).json.message, /unknown application/);
    // The SDK reports a 401 as its auth error.
    const wrongKey = sdk(v, APP, keyPair("app2").privatePem);
    await assert.rejects(wrongKey.listArchives(), (err) => err instanceof OpenTok.AuthError);
    // Expiry uses clockToleranceSec.
    const justExpired = bearer(restToken(APP, privatePem, { iat: now() - 302, exp: now() - 2 }));
    assert.equal((await raw(v, "GET", path, { headers: justExpired })).status, 200);
  });

  it("answers 403 for another application in the path, or its sessions, archives and broadcasts", async () => {
    const { privatePem } = A();
    const mismatch = await raw(v, "GET", `/v2/project/${APP2}/archive`, { headers: bearer(restToken(APP, privatePem)) });
    assert.equal(mismatch.status, 403);
    assert.match(mismatch.json.message, /application id in the path/);

    const sid = await app.routed();
    const archive = await app.startArchive(sid);
    const broadcast = await app.startBroadcast(sid, { outputs: { hls: {} } });
    const conn = v.connectClient(sid, { data: "x" });
    const other = bearer(restToken(APP2, keyPair("app2").privatePem));
    const P2 = `/v2/project/${APP2}`;
    /** @type {Array<[string, string, object?]>} */
    const attempts = [
      ["POST", `${P2}/archive`, { sessionId: sid }],
      ["GET", `${P2}/archive/${archive.id}`],
      ["POST", `${P2}/archive/${archive.id}/stop`],
      ["DELETE", `${P2}/archive/${archive.id}`],
      ["POST", `${P2}/broadcast`, { sessionId: sid, outputs: { hls: {} } }],
      ["GET", `${P2}/broadcast/${broadcast.id}`],
      ["POST", `${P2}/broadcast/${broadcast.id}/stop`],
      ["POST", `${P2}/session/${sid}/signal`, { type: "x", data: "y" }],
      ["DELETE", `${P2}/session/${sid}/connection/${conn.connectionId}`],
      ["GET", `${P2}/session/${sid}/stream`],
      ["POST", `${P2}/session/${sid}/mute`, { active: true }],
    ];
    for (const [method, p, body] of attempts) {
      const res = await raw(v, method, p, { headers: other, body });
      assert.equal(res.status, 403, `${method} ${p}`);
      assert.match(res.json.message, /belongs to another application/, `${method} ${p}`);
    }
    await assert.rejects(app2.startArchive(sid), (err) => err instanceof OpenTok.AuthError);
    await assert.rejects(app2.stopArchive(archive.id));
    assert.equal((await app.getArchive(archive.id)).status, "started");
    assert.equal(v.state().archives.length, 1);
    assert.equal(v.state().broadcasts[0].status, "started");
    assert.equal(v.state().signals.length, 0);
  });

  it("keeps legacy projects and applications apart (403 both ways)", async () => {
    const appSid = await app.routed();
    const appArchive = await app.startArchive(appSid);
    const projSid = await legacy.routed();
    const projArchive = await legacy.startArchive(projSid);

    // A project's X-OPENTOK-AUTH on an application's path or resources.
    const onAppPath = await raw(v, "GET", `/v2/project/${APP}/archive`, { auth: legacyAuth() });
    assert.equal(onAppPath.status, 403);
    const projOnAppSession = await raw(v, "POST", `/v2/project/${KEY}/archive`, { auth: legacyAuth(), body: { sessionId: appSid } });
    assert.equal(projOnAppSession.status, 403);
    assert.match(projOnAppSession.json.message, /another application/);
    const projOnAppArchive = await raw(v, "GET", `/v2/project/${KEY}/archive/${appArchive.id}`, { auth: legacyAuth() });
    assert.equal(projOnAppArchive.status, 403);
    await assert.rejects(legacy.signal(appSid, null, { type: "t", data: "d" }), (err) => err instanceof OpenTok.AuthError);

    // An application's Bearer on a project's path or resources.
    const appBearer = bearer(restToken(APP, A().privatePem));
    assert.equal((await raw(v, "GET", `/v2/project/${KEY}/archive`, { headers: appBearer })).status, 403);
    const appOnProjSession = await raw(v, "POST", `/v2/project/${APP}/archive`, { headers: appBearer, body: { sessionId: projSid } });
    assert.equal(appOnProjSession.status, 403);
    assert.match(appOnProjSession.json.message, /another project/);
    assert.equal((await raw(v, "GET", `/v2/project/${APP}/archive/${projArchive.id}`, { headers: appBearer })).status, 403);
    await assert.rejects(app.forceDisconnect(projSid, "x"), /Invalid API key or secret/); // the SDK's text for a 403

    // A project's secret used as an HS256 Bearer for the application: refused (401).
    const confused = bearer(jwt.sign(restClaims(APP), SECRET, { algorithm: "HS256" }));
    assert.equal((await raw(v, "GET", `/v2/project/${APP}/archive`, { headers: confused })).status, 401);

    // Between legacy projects nothing changed: another project's archive is unknown (404).
    const p2 = await raw(v, "GET", `/v2/project/${KEY2}/archive/${projArchive.id}`, { auth: legacyAuth(KEY2, SECRET2) });
    assert.equal(p2.status, 404);
    // X-OPENTOK-AUTH takes precedence when both headers are sent.
    const both = await raw(v, "GET", `/v2/project/${KEY}/archive`, { auth: legacyAuth(), headers: bearer("garbage") });
    assert.equal(both.status, 200);
  });

  it("answers 403 for an application without the Video capability", async () => {
    const noVideo = sdk(v, APP_NOVIDEO, keyPair("novideo").privatePem);
    const res = await raw(v, "GET", `/v2/project/${APP_NOVIDEO}/archive`, {
      headers: bearer(restToken(APP_NOVIDEO, keyPair("novideo").privatePem)),
    });
    assert.equal(res.status, 403);
    assert.match(res.json.message, /has no Video capability/);
    await assert.rejects(noVideo.listArchives(), (err) => err instanceof OpenTok.AuthError);
    await assert.rejects(noVideo.createSession(), /createSession/);
    assert.equal(v.state().sessions.length, 0);
    // A badly signed token for it is still a 401, not a hint about its capabilities.
    const forged = await raw(v, "GET", `/v2/project/${APP_NOVIDEO}/archive`, { headers: bearer(restToken(APP_NOVIDEO, A().privatePem)) });
    assert.equal(forged.status, 401);
  });

  it("runs legacy projects unchanged beside applications", async () => {
    const sid = await legacy.routed();
    const conn = v.connectClient(sid, { token: legacy.token(sid, { role: "moderator", data: "legacy" }) });
    assert.equal(conn.via, "jwt");
    assert.equal(conn.projectId, KEY);
    const archive = await legacy.startArchive(sid);
    assert.equal(archive.projectId, KEY);
    assert.equal(archive.applicationId, undefined);
    await v.callbacksIdle();
    const session = /** @type {Json} */ (receiver.received.find((r) => r.json.event === "connectionCreated"));
    assert.deepEqual(Object.keys(session.json).sort(), ["connection", "event", "projectId", "sessionId", "timestamp"]);
    const archiveCb = /** @type {Json} */ (receiver.received.find((r) => r.json.event === "archive"));
    assert.equal(archiveCb.json.partnerId, KEY);
    const claims = /** @type {Json} */ (
      jwt.verify(/** @type {RegExpExecArray} */ (/^Bearer (.+)$/.exec(archiveCb.headers.authorization))[1], SIGNING, {
        algorithms: ["HS256"],
      })
    );
    assert.equal(claims.api_key, KEY);
    assert.equal(claims.application_id, undefined);
    assert.match(legacy.token(sid, {}, true), /^T1==/);
  });
});
