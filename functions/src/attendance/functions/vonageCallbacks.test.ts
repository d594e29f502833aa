import assert from "node:assert/strict";
import { createHash, generateKeyPairSync, randomUUID } from "node:crypto";
import jwt from "jsonwebtoken";
import { resetDatabase, testDatabase } from "../../testing/harness";
import { seedEvent } from "../../testing/fixtures";
import { db } from "../../platform/firebase";
import { connectionData } from "../../seats/connectionData";
import type { EventRecord } from "../../events/model";
import { vonageCallbacks } from "./vonageCallbacks";

const SECRET = process.env.VONAGE_CALLBACK_SIGNING_SECRET as string;
const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 10, 18, 0, 0);

interface FakeResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: unknown;
  headersSent: boolean;
}

/** Calls the HTTP function as the Functions runtime would, with the exact bytes Vonage sent. */
async function post(body: unknown, options: { authorization?: string | null; method?: string; raw?: Buffer } = {}): Promise<FakeResponse> {
  const raw = options.raw ?? Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
  const authorization = options.authorization === undefined ? `Bearer ${sign(raw)}` : options.authorization;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (authorization !== null) headers.authorization = authorization;
  const req = {
    method: options.method ?? "POST",
    headers,
    rawBody: raw,
    body: (() => {
      try {
        return JSON.parse(raw.toString());
      } catch {
        return {};
      }
    })(),
    get: (name: string) => headers[name.toLowerCase()],
    header: (name: string) => headers[name.toLowerCase()],
  };
  const res = {
    statusCode: 200,
    headers: {} as Record<string, string>,
    body: undefined as unknown,
    headersSent: false,
    status(code: number) {
      this.statusCode = code;
      return this;
    },
    set(name: string, value: string) {
      this.headers[name] = value;
      return this;
    },
    json(value: unknown) {
      this.body = value;
      this.headersSent = true;
      return this;
    },
    send(value: unknown) {
      return this.json(value);
    },
    on() {
      return this;
    },
  };
  await (vonageCallbacks as unknown as (req: unknown, res: unknown) => Promise<void>)(req, res);
  return res;
}

function sign(
  raw: Buffer,
  claims: Record<string, unknown> = {},
  secret: string | Buffer = SECRET,
  options: jwt.SignOptions = { algorithm: "HS256" },
): string {
  const iat = Math.floor(Date.now() / 1000);
  const payload = {
    iss: "Vonage",
    iat,
    exp: iat + 300,
    jti: randomUUID(),
    payload_hash: createHash("sha256").update(raw).digest("hex"),
    ...claims,
  };
  return jwt.sign(payload, secret as jwt.Secret, options);
}

const outcome = (res: FakeResponse) => (res.body as { outcome?: string }).outcome;

describe("analytics/vonageCallbacks", () => {
  let event: EventRecord;

  const connectionEvent = (
    type: "connectionCreated" | "connectionDestroyed",
    connectionId: string,
    participant: { participantId: string; userType?: "fan" | "host"; name?: string } | { raw: string },
    createdAt: number,
    timestamp = createdAt,
    sessionId = event.stageSessionId,
  ) => ({
    sessionId,
    projectId: "47000001",
    event: type,
    timestamp,
    ...(type === "connectionDestroyed" ? { reason: "clientDisconnected" } : {}),
    connection: {
      id: connectionId,
      createdAt,
      data:
        "raw" in participant
          ? participant.raw
          : connectionData({
              userType: participant.userType ?? "fan",
              participantId: participant.participantId,
              eventId: event.id,
              name: participant.name,
            }),
    },
  });

  const attendance = async () => (await db().ref(`attendance/${event.id}`).once("value")).val();
  const everything = async () => (await db().ref().once("value")).val();

  before(async () => {
    await testDatabase();
  });

  beforeEach(async () => {
    await resetDatabase();
    event = await seedEvent("adm1", { status: "live", showStartedAt: T0 });
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

    it("accepts unsigned callbacks only when no signing secret is configured", async () => {
      const saved = process.env.VONAGE_CALLBACK_SIGNING_SECRET;
      process.env.VONAGE_CALLBACK_SIGNING_SECRET = "";
      try {
        const res = await post(body(), { authorization: null });
        assert.equal(res.statusCode, 200);
        assert.equal(outcome(res), "applied");
      } finally {
        process.env.VONAGE_CALLBACK_SIGNING_SECRET = saved;
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

  describe("attendance", () => {
    it("records a connection keyed by the participant id from our connection data, with the callback's times", async () => {
      await post(connectionEvent("connectionCreated", "c1", { participantId: "fan1", name: "Ann" }, T0, T0 + 5));
      await post(connectionEvent("connectionDestroyed", "c1", { participantId: "fan1", name: "Ann" }, T0, T0 + 10 * MIN));
      const backstage = connectionEvent("connectionCreated", "c2", { participantId: "fan1" }, T0 + MIN, T0 + MIN, event.sessionId);
      await post(backstage);
      assert.deepEqual((await attendance()).connections, {
        c1: {
          participantId: "fan1",
          userType: "fan",
          name: "Ann",
          session: "stage",
          joinedAt: T0,
          leftAt: T0 + 10 * MIN,
          reason: "clientDisconnected",
        },
        c2: { participantId: "fan1", userType: "fan", session: "backstage", joinedAt: T0 + MIN },
      });
    });

    it("counts a connection whose data we did not mint under its connection id, userType unknown", async () => {
      await post(connectionEvent("connectionCreated", "c-raw", { raw: "hello" }, T0));
      await post(
        connectionEvent(
          "connectionCreated",
          "c-other",
          { raw: JSON.stringify({ userType: "producer", participantId: "p", eventId: "another-event" }) },
          T0,
        ),
      );
      const { connections } = await attendance();
      assert.deepEqual(connections["c-raw"], { participantId: "c-raw", userType: "unknown", session: "stage", joinedAt: T0 });
      assert.equal(connections["c-other"].userType, "unknown", "connection data of another event is not trusted");
    });

    it("deduplicates a redelivery: the second delivery is a no-op answered 2xx", async () => {
      const created = connectionEvent("connectionCreated", "c1", { participantId: "fan1" }, T0);
      assert.equal(outcome(await post(created)), "applied");
      const first = await everything();
      const again = await post(created); // new token, same content: a platform retry
      assert.equal(again.statusCode, 200);
      assert.equal(outcome(again), "duplicate");
      assert.deepEqual(await everything(), first);
      assert.equal(Object.keys((await db().ref(`processedCallbacks/${event.id}`).once("value")).val()).length, 1);
    });

    it("tolerates out-of-order delivery: a destroy before its create yields one closed interval", async () => {
      await post(connectionEvent("connectionDestroyed", "c1", { participantId: "fan1" }, T0, T0 + 7 * MIN));
      assert.deepEqual((await attendance()).connections.c1, {
        participantId: "fan1",
        userType: "fan",
        session: "stage",
        joinedAt: T0,
        leftAt: T0 + 7 * MIN,
        reason: "clientDisconnected",
      });
      assert.equal(outcome(await post(connectionEvent("connectionCreated", "c1", { participantId: "fan1" }, T0, T0 + 2))), "applied");
      const record = (await attendance()).connections.c1;
      assert.equal(record.joinedAt, T0);
      assert.equal(record.leftAt, T0 + 7 * MIN, "the late create does not reopen the interval");
    });

    it("records published streams, in either order", async () => {
      const stream = (type: "streamCreated" | "streamDestroyed", timestamp: number) => ({
        sessionId: event.stageSessionId,
        event: type,
        timestamp,
        stream: {
          id: "s1",
          createdAt: T0 + MIN,
          name: "host cam",
          videoType: "camera",
          connection: { id: "c9", createdAt: T0, data: connectionData({ userType: "host", participantId: "host1", eventId: event.id }) },
        },
      });
      assert.equal(outcome(await post(stream("streamDestroyed", T0 + 9 * MIN))), "applied");
      assert.equal(outcome(await post(stream("streamCreated", T0 + MIN))), "applied");
      assert.deepEqual((await attendance()).streams.s1, {
        connectionId: "c9",
        participantId: "host1",
        videoType: "camera",
        startedAt: T0 + MIN,
        endedAt: T0 + 9 * MIN,
      });
    });

    it("a delivery that finds the same callback being processed gets 503 (retry), a stale claim is taken over", async () => {
      const created = connectionEvent("connectionCreated", "c1", { participantId: "fan1" }, T0);
      const { callbackDedupeKey } = await import("../callbacks");
      const claimPath = `processedCallbacks/${event.id}/${callbackDedupeKey(created)}`;
      await db().ref(claimPath).set({ state: "processing", event: "connectionCreated", claimedAt: Date.now() });
      const busy = await post(created);
      assert.equal(busy.statusCode, 503);
      assert.equal(busy.headers["Retry-After"], "5");
      assert.equal(await attendance(), null);
      await db()
        .ref(claimPath)
        .set({ state: "processing", event: "connectionCreated", claimedAt: Date.now() - 10 * MIN });
      assert.equal(outcome(await post(created)), "applied");
      assert.equal((await db().ref(claimPath).once("value")).val().state, "done");
    });
  });

  describe("archive and broadcast status", () => {
    const archiveCallback = (status: string, extra: Record<string, unknown> = {}) => ({
      event: "archive",
      id: "arch-1",
      sessionId: event.stageSessionId,
      partnerId: 47000001,
      status,
      createdAt: T0,
      updatedAt: T0 + MIN,
      url: null,
      reason: "",
      ...extra,
    });
    const archive = async () => (await db().ref(`events/${event.id}/archive`).once("value")).val();
    const broadcast = async () => (await db().ref(`events/${event.id}/broadcast`).once("value")).val();

    it("moves the event's archive forward and records where it is when available", async () => {
      await db().ref(`events/${event.id}/archive`).set({ id: "arch-1", status: "started", outputMode: "composed" });
      assert.equal(outcome(await post(archiveCallback("stopped"))), "applied");
      assert.equal(
        outcome(await post(archiveCallback("available", { url: "https://example.com/a.mp4", updatedAt: T0 + 2 * MIN }))),
        "applied",
      );
      assert.deepEqual(await archive(), {
        id: "arch-1",
        status: "available",
        outputMode: "composed",
        url: "https://example.com/a.mp4",
        updatedAt: T0 + 2 * MIN,
      });
      // A late `started` (out of order) does not move it back.
      const late = await post(archiveCallback("started"));
      assert.equal(late.statusCode, 200);
      assert.equal(outcome(late), "stale");
      assert.equal((await archive()).status, "available");
    });

    it("records a failure with Vonage's reason", async () => {
      await db().ref(`events/${event.id}/archive`).set({ id: "arch-1", status: "started" });
      await post(archiveCallback("failed", { reason: "storage upload failed" }));
      assert.deepEqual(await archive(), {
        id: "arch-1",
        status: "failed",
        updatedAt: T0 + MIN,
        error: "Vonage reported the archive failed: storage upload failed",
      });
    });

    it("ignores another archive id, statuses it does not model, and events without an archive", async () => {
      await db().ref(`events/${event.id}/archive`).set({ id: "arch-1", status: "started" });
      assert.equal(outcome(await post(archiveCallback("stopped", { id: "arch-other" }))), "stale");
      assert.equal(outcome(await post(archiveCallback("paused"))), "stale");
      assert.deepEqual(await archive(), { id: "arch-1", status: "started" });
      await db().ref(`events/${event.id}/archive`).remove();
      assert.equal(outcome(await post(archiveCallback("stopped"))), "stale");
      assert.equal(await archive(), null, "no archive node is invented");
    });

    it("moves the event's broadcast status forward only, for the broadcast it knows", async () => {
      await db().ref(`events/${event.id}/broadcast`).set({ id: "b-1", status: "started", hlsUrl: "https://cdn.example/x.m3u8" });
      const cb = (status: string, id = "b-1") => ({
        event: "broadcast",
        id,
        sessionId: event.stageSessionId,
        projectId: "47000001",
        status,
        updatedAt: T0 + 5 * MIN,
      });
      assert.equal(outcome(await post(cb("stopped", "b-other"))), "stale");
      assert.equal(outcome(await post(cb("stopped"))), "applied");
      assert.equal(outcome(await post(cb("started"))), "stale");
      assert.deepEqual(await broadcast(), { id: "b-1", status: "stopped", hlsUrl: "https://cdn.example/x.m3u8", updatedAt: T0 + 5 * MIN });
    });
  });
});
