import assert from "node:assert/strict";
import { createHash, generateKeyPairSync } from "node:crypto";
import jwt from "jsonwebtoken";
import {
  CALLBACK_SECRET as SECRET,
  connectionCallback,
  everything,
  liveEventForCallbacks,
  outcome,
  postCallback as post,
  signCallback as sign,
  T0,
  attendanceOf,
  type ConnectionArgs,
  type FakeResponse,
} from "../../testing/callbackRequests";
import type { EventRecord } from "../../events/model";

describe("analytics/vonageCallbacks", () => {
  let event: EventRecord;

  const connectionEvent = (...args: ConnectionArgs) => connectionCallback(event, ...args);

  const attendance = () => attendanceOf(event);

  beforeEach(async () => {
    event = await liveEventForCallbacks();
  });

  describe("signature", () => {
    const body = () => connectionEvent("connectionCreated", "c-sig", { participantId: "fan1" }, T0);

    async function assertRefused(res: FakeResponse, before: unknown) {
      assert.equal(res.statusCode, 401);
      assert.deepEqual(await everything(), before, "a refused callback changes nothing");
    }

    it("accepts a callback signed with the configured secret", async () => {
      const res = await post(body());
      assert.equal(res.statusCode, 200);
      assert.equal(outcome(res), "applied");
      assert.equal((await attendance()).connections["c-sig"].participantId, "fan1");
    });

    it("refuses a callback without Authorization, or with a non-bearer one", async () => {
      const before = await everything();
      await assertRefused(await post(body(), { authorization: null }), before);
      await assertRefused(await post(body(), { authorization: `Basic ${Buffer.from("a:b").toString("base64")}` }), before);
    });

    it("refuses a tampered body: a valid token for another body", async () => {
      const before = await everything();
      const original = Buffer.from(JSON.stringify(body()));
      const tampered = connectionEvent("connectionCreated", "c-sig", { participantId: "someone-else" }, T0);
      await assertRefused(await post(tampered, { authorization: `Bearer ${sign(original)}` }), before);
      // Same JSON, different bytes (whitespace): the hash is over the exact body.
      const spaced = Buffer.from(JSON.stringify(body(), null, 1));
      await assertRefused(await post(null, { raw: spaced, authorization: `Bearer ${sign(original)}` }), before);
    });

    it("refuses a token signed with the wrong secret", async () => {
      const before = await everything();
      const raw = Buffer.from(JSON.stringify(body()));
      await assertRefused(await post(null, { raw, authorization: `Bearer ${sign(raw, {}, "not-the-secret")}` }), before);
    });

    it("refuses other algorithms, alg none included", async () => {
      const before = await everything();
      const raw = Buffer.from(JSON.stringify(body()));
      await assertRefused(await post(null, { raw, authorization: `Bearer ${sign(raw, {}, SECRET, { algorithm: "HS512" })}` }), before);
      const unsigned = sign(raw, {}, "", { algorithm: "none" });
      await assertRefused(await post(null, { raw, authorization: `Bearer ${unsigned}` }), before);
      // A hand-made alg:none token with an empty signature part.
      const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
      const forged = `${encode({ alg: "none", typ: "JWT" })}.${encode({ iss: "Vonage", iat: Math.floor(Date.now() / 1000), payload_hash: createHash("sha256").update(raw).digest("hex") })}.`;
      await assertRefused(await post(null, { raw, authorization: `Bearer ${forged}` }), before);
      const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      await assertRefused(
        await post(null, {
          raw,
          authorization: `Bearer ${sign(raw, {}, privateKey.export({ type: "pkcs8", format: "pem" }), { algorithm: "RS256" })}`,
        }),
        before,
      );
    });

    it("refuses an expired token, and a token too old to be fresh even without exp", async () => {
      const before = await everything();
      const raw = Buffer.from(JSON.stringify(body()));
      const old = Math.floor(Date.now() / 1000) - 7200;
      await assertRefused(await post(null, { raw, authorization: `Bearer ${sign(raw, { iat: old, exp: old + 300 })}` }), before);
      const noExp = jwt.sign({ iss: "Vonage", iat: old, payload_hash: createHash("sha256").update(raw).digest("hex") }, SECRET, {
        algorithm: "HS256",
      });
      await assertRefused(await post(null, { raw, authorization: `Bearer ${noExp}` }), before);
    });

    it("refuses a wrong issuer and a token without payload_hash", async () => {
      const before = await everything();
      const raw = Buffer.from(JSON.stringify(body()));
      await assertRefused(await post(null, { raw, authorization: `Bearer ${sign(raw, { iss: "NotVonage" })}` }), before);
      await assertRefused(await post(null, { raw, authorization: `Bearer ${sign(raw, { payload_hash: undefined })}` }), before);
    });

    it("checks the signature before the body: an unsigned malformed body gets 401, not 400", async () => {
      const res = await post(null, { raw: Buffer.from("{not json"), authorization: null });
      assert.equal(res.statusCode, 401);
      assert.doesNotMatch(JSON.stringify(res.body), /json/i);
    });

    it("an unsigned empty body gets 401 too (not 400)", async () => {
      assert.equal((await post(null, { raw: Buffer.alloc(0), authorization: null })).statusCode, 401);
    });

    it("an empty signing secret refuses every callback; ALLOW_UNSIGNED_CALLBACKS lets them in only inside the Functions emulator", async () => {
      const saved = { ...process.env };
      process.env.VONAGE_CALLBACK_SIGNING_SECRET = "";
      try {
        const before = await everything();
        assert.equal((await post(body(), { authorization: null })).statusCode, 401);
        process.env.ALLOW_UNSIGNED_CALLBACKS = "true";
        assert.equal((await post(body(), { authorization: null })).statusCode, 401, "deployed, the switch is ignored");
        assert.deepEqual(await everything(), before);
        process.env.FUNCTIONS_EMULATOR = "true";
        const res = await post(body(), { authorization: null });
        assert.equal(res.statusCode, 200);
        assert.equal(outcome(res), "applied");
      } finally {
        for (const key of ["VONAGE_CALLBACK_SIGNING_SECRET", "ALLOW_UNSIGNED_CALLBACKS", "FUNCTIONS_EMULATOR"]) {
          if (saved[key] === undefined) delete process.env[key];
          else process.env[key] = saved[key];
        }
      }
    });
  });

  describe("body validation", () => {
    it("answers 400 for a body that is not JSON or not a Vonage callback", async () => {
      const before = await everything();
      const notJson = Buffer.from("connectionCreated=1");
      assert.equal((await post(null, { raw: notJson, authorization: `Bearer ${sign(notJson)}` })).statusCode, 400);
      assert.equal((await post({ sessionId: event.stageSessionId })).statusCode, 400, "no event type");
      assert.equal((await post([1, 2])).statusCode, 400);
      assert.deepEqual(await everything(), before);
    });

    it("answers 400 with the zod issues for a malformed callback of a handled type", async () => {
      const before = await everything();
      const noConnection = await post({ sessionId: event.stageSessionId, event: "connectionCreated", timestamp: T0 });
      assert.equal(noConnection.statusCode, 400);
      assert.ok((noConnection.body as { issues: Array<{ path: string }> }).issues.some((issue) => issue.path === "connection"));
      const pathInId = connectionEvent("connectionCreated", "../../admins/x", { participantId: "p" }, T0);
      assert.equal((await post(pathInId)).statusCode, 400, "ids cannot reach other database paths");
      const stringTime = { ...connectionEvent("connectionCreated", "c1", { participantId: "p" }, T0), timestamp: "yesterday" };
      assert.equal((await post(stringTime)).statusCode, 400);
      assert.equal((await post({ event: "archive", id: "a1", sessionId: event.stageSessionId })).statusCode, 400, "archive without status");
      assert.deepEqual(await everything(), before);
    });

    it("answers 405 to anything but POST", async () => {
      const res = await post({}, { method: "GET" });
      assert.equal(res.statusCode, 405);
      assert.equal(res.headers.Allow, "POST");
    });
  });

  describe("what is ignored", () => {
    it("answers 2xx and writes nothing for event types it does not handle", async () => {
      const before = await everything();
      for (const type of ["sipCallCreated", "captionsStarted", "renderStarted", "constructor"]) {
        const res = await post({ sessionId: event.stageSessionId, event: type, timestamp: T0 });
        assert.equal(res.statusCode, 200, type);
        assert.equal(outcome(res), "ignored");
      }
      assert.deepEqual(await everything(), before);
    });

    it("answers 2xx and writes nothing for a session that belongs to no event", async () => {
      const before = await everything();
      const res = await post(connectionEvent("connectionCreated", "c1", { participantId: "p" }, T0, T0, "1_not-one-of-ours"));
      assert.equal(res.statusCode, 200);
      assert.equal(outcome(res), "unknownSession");
      assert.deepEqual(await everything(), before);
    });
  });
});
