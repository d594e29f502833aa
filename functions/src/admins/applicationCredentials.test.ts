/**
 * Vonage application credentials (application id + RSA private key) through createAdmin, updateAdmin,
 * createEvent and the token functions, against the stand-in, which verifies every Bearer RS256 REST
 * JWT and every client token as Vonage does.
 */
import assert from "node:assert/strict";
import jwt from "jsonwebtoken";
import { authFor, expectHttpsError, fft, LOCAL_VONAGE, resetDatabase, useFakeAuth } from "../testing/harness";
import { callers } from "../testing/callers";
import { testVonage, type TestVonage } from "../testing/vonageStandin";
import { OTHER_APPLICATION_ID, testApplication } from "../testing/vonageKeys";
import { assertNoSecrets } from "../testing/secrets";
import { seedAdmin } from "../testing/fixtures";
import { db } from "../platform/firebase";
import { eventCredentials, forgetCredentials, tenantCredentials } from "./tenants";
import { resetEventIdentitiesForTests } from "../seats/showTokens";
import type { ApplicationCredential } from "../platform/vonage/credentials";
import { createAdmin } from "./functions/createAdmin";
import { updateAdmin } from "./functions/updateAdmin";
import { createEvent } from "../events/functions/createEvent";
import { changeStatus } from "../events/functions/changeStatus";
import { createTokenProducer } from "../seats/functions/createTokenProducer";

describe("Vonage application credentials", () => {
  const app = testApplication();
  const keyLines = (pem: string) => pem.split("\n").filter((line) => line.length > 16 && !line.startsWith("-----"));
  const forbidden = () => [...keyLines(app.privateKeyPkcs8), ...keyLines(app.privateKeyPkcs1), LOCAL_VONAGE.apiSecret];
  const callCreate = fft.wrap(createAdmin);
  const callUpdate = fft.wrap(updateAdmin);
  const callEvent = fft.wrap(createEvent);
  const callStatus = fft.wrap(changeStatus);
  const callProducer = fft.wrap(createTokenProducer);
  const valid = { displayName: "Ada", email: "ada@example.com", password: "a-good-password" };
  const asSuper = (data: unknown) => callCreate({ data, auth: callers.superAdmin } as never) as Promise<{ admin: Record<string, unknown> }>;
  const update = (data: unknown, auth = callers.superAdmin) =>
    callUpdate({ data, auth } as never) as Promise<{ admin: Record<string, unknown> }>;
  const asAdmin = (uid: string) => authFor(uid, { role: "admin", superAdmin: false }, "password");
  let vonage: TestVonage;

  before(async () => {
    vonage = await testVonage();
  });

  beforeEach(async () => {
    vonage.clearFaults();
    vonage.addApplication(app.applicationId, app.publicKeyPem, { video: true });
    useFakeAuth();
    await resetDatabase();
    resetEventIdentitiesForTests();
    await seedAdmin("sup1", { superAdmin: true });
  });

  describe("createAdmin", () => {
    for (const [format, pem] of [
      ["PKCS#8", () => app.privateKeyPkcs8],
      ["PKCS#1", () => app.privateKeyPkcs1],
    ] as const) {
      it(`accepts an application id and a ${format} private key, checks them with one Bearer RS256 read, seals the key as PKCS#8`, async () => {
        vonage.reset();
        const answer = await asSuper({ ...valid, vonageApplicationId: app.applicationId.toUpperCase(), vonagePrivateKey: pem() });
        assertNoSecrets(answer, forbidden());
        const { admin } = answer;
        assert.equal(admin.credentialKind, "application");
        assert.equal(admin.vonageApplicationId, app.applicationId);
        assert.equal(admin.otApiKey, "");
        assert.equal(admin.hasOwnCredentials, true);
        const requests = vonage.state().requests;
        assert.deepEqual(
          requests.map((request) => `${request.method} ${request.path.split("?")[0]} ${request.status}`),
          [`GET /v2/project/${app.applicationId}/archive 200`],
        );
        const sealed = (
          await db()
            .ref(`adminCredentials/${String(admin.id)}`)
            .once("value")
        ).val();
        assert.equal(sealed.kind, "application");
        assert.equal(sealed.id, app.applicationId);
        assertNoSecrets(sealed, forbidden());
        forgetCredentials(admin.id as string);
        const opened = (await tenantCredentials(admin.id as string)) as ApplicationCredential;
        assert.deepEqual(opened, { kind: "application", applicationId: app.applicationId, privateKey: app.privateKeyPkcs8 });
      });
    }

    it("a key that is not the application's is refused with invalid-argument naming the key field; nothing is created", async () => {
      const stranger = testApplication(OTHER_APPLICATION_ID);
      const error = await expectHttpsError(
        asSuper({ ...valid, vonageApplicationId: app.applicationId, vonagePrivateKey: stranger.privateKeyPkcs8 }),
        "invalid-argument",
      );
      assert.match(error.message, /private key must be the one generated for this application/);
      assert.equal((error.details as { field?: string }).field, "vonagePrivateKey");
      assertNoSecrets({ message: error.message, details: error.details }, [...forbidden(), ...keyLines(stranger.privateKeyPkcs8)]);
      assert.deepEqual(
        Object.keys((await db().ref("adminCredentials").once("value")).val()),
        ["sup1"],
        "only the seeded superAdmin's pair",
      );
      assert.equal(Object.keys((await db().ref("admins").once("value")).val()).length, 1);
    });

    it("an application without the Video capability is refused with invalid-argument that says so", async () => {
      const noVideo = testApplication(OTHER_APPLICATION_ID);
      vonage.addApplication(noVideo.applicationId, noVideo.publicKeyPem, { video: false });
      const error = await expectHttpsError(
        asSuper({ ...valid, vonageApplicationId: noVideo.applicationId, vonagePrivateKey: noVideo.privateKeyPkcs8 }),
        "invalid-argument",
      );
      assert.match(error.message, /Video capability/);
      assert.equal((error.details as { field?: string }).field, "vonageApplicationId");
    });

    it("malformed PEM, a small key, a non-UUID id, half a credential or both kinds are invalid-argument before Vonage is called", async () => {
      vonage.reset();
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ vonageApplicationId: app.applicationId, vonagePrivateKey: app.privateKeyPkcs8.slice(0, 300) }, "vonagePrivateKey"],
        [{ vonageApplicationId: app.applicationId, vonagePrivateKey: app.publicKeyPem }, "vonagePrivateKey"],
        [{ vonageApplicationId: app.applicationId, vonagePrivateKey: "x".repeat(9000) }, "vonagePrivateKey"],
        [{ vonageApplicationId: "47000001", vonagePrivateKey: app.privateKeyPkcs8 }, "vonageApplicationId"],
        [{ vonageApplicationId: app.applicationId }, "vonagePrivateKey"],
        [{ vonagePrivateKey: app.privateKeyPkcs8 }, "vonagePrivateKey"],
        [
          {
            vonageApplicationId: app.applicationId,
            vonagePrivateKey: app.privateKeyPkcs8,
            otApiKey: LOCAL_VONAGE.apiKey,
            otSecret: LOCAL_VONAGE.apiSecret,
          },
          "vonageApplicationId",
        ],
      ];
      for (const [fields, path] of cases) {
        const error = await expectHttpsError(asSuper({ ...valid, ...fields }), "invalid-argument");
        const issues = (error.details as { issues: Array<{ path: string }> }).issues;
        assert.ok(
          issues.some((issue) => issue.path === path),
          `${JSON.stringify(issues)} names ${path}`,
        );
        assertNoSecrets({ message: error.message, details: error.details }, forbidden());
      }
      assert.deepEqual(vonage.state().requests, []);
    });

    it("Vonage unreachable during the check: unavailable, nothing stored", async () => {
      vonage.injectFault({ path: `/v2/project/${app.applicationId}/archive`, status: 500, count: 10 });
      const error = await expectHttpsError(
        asSuper({ ...valid, vonageApplicationId: app.applicationId, vonagePrivateKey: app.privateKeyPkcs8 }),
        "unavailable",
      );
      assert.match(error.message, /application id and private key/);
      assert.deepEqual(
        Object.keys((await db().ref("adminCredentials").once("value")).val()),
        ["sup1"],
        "only the seeded superAdmin's pair",
      );
    });
  });

  describe("events, tokens and the lifecycle in application mode", () => {
    beforeEach(async () => {
      await seedAdmin("adm1", {}, { kind: "application", applicationId: app.applicationId, privateKey: app.privateKeyPkcs8 });
      forgetCredentials("adm1");
    });

    it("createEvent makes the sessions with the application and remembers it; the producer gets RS256 tokens the stand-in accepts", async () => {
      const event = await callEvent({ data: { name: "App Show", archiveEvent: true }, auth: asAdmin("adm1") } as never);
      assert.deepEqual(event.vonage, { kind: "application", id: app.applicationId });
      const sessions = vonage.state().sessions as Array<{ id: string; applicationId?: string }>;
      for (const id of [event.sessionId, event.stageSessionId])
        assert.equal(sessions.find((session) => session.id === id)?.applicationId, app.applicationId);
      await callStatus({ data: { id: event.id, status: "preshow" }, auth: asAdmin("adm1") } as never);
      const tokens = (await callProducer({ data: { eventId: event.id }, auth: asAdmin("adm1") } as never)) as Record<
        string,
        string | number
      >;
      assert.equal(tokens.apiKey, app.applicationId, "clients pass the application id to OT.initSession");
      const claims = jwt.verify(String(tokens.stageToken), app.publicKey, { algorithms: ["RS256"] }) as Record<string, unknown>;
      assert.equal(claims.application_id, app.applicationId);
      assert.equal(claims.session_id, event.stageSessionId);
      assert.equal(claims.role, "moderator");
      assert.equal(claims.exp, Math.floor(Number(tokens.expiresAt) / 1000));
      const connection = vonage.connectClient(event.stageSessionId, { token: String(tokens.stageToken) });
      assert.equal(connection.role, "moderator");
      assert.equal(connection.via, "jwt-rs256");
      assert.throws(() => vonage.connectClient(event.sessionId, { token: String(tokens.stageToken) }), /different session/);
    });

    it("goes live with the archive and the HLS broadcast started through the application, and closes", async () => {
      const event = await callEvent({ data: { name: "App Live", archiveEvent: true }, auth: asAdmin("adm1") } as never);
      await callStatus({ data: { id: event.id, status: "preshow" }, auth: asAdmin("adm1") } as never);
      const live = await callStatus({ data: { id: event.id, status: "live" }, auth: asAdmin("adm1") } as never);
      assert.equal(live.status, "live");
      assert.equal(live.archive?.status, "started");
      assert.equal(live.broadcast?.status, "started");
      assert.match(String(live.broadcast?.hlsUrl), /^http/);
      const paths = vonage.state().requests.map((request) => `${request.method} ${request.path.split("?")[0]}`);
      assert.ok(paths.includes(`POST /v2/project/${app.applicationId}/archive`), paths.join(", "));
      assert.ok(paths.includes(`POST /v2/project/${app.applicationId}/broadcast`), paths.join(", "));
      const closed = await callStatus({ data: { id: event.id, status: "closed" }, auth: asAdmin("adm1") } as never);
      assert.equal(closed.status, "closed");
      assert.equal(closed.archive?.status === "stopped" || closed.archive?.status === "available", true, JSON.stringify(closed.archive));
    });
  });

  describe("changing an admin's credential never strands an open show", () => {
    it("legacy -> application: the open event keeps its legacy sessions and tokens, new events use the application; the retired pair goes once the event closed", async () => {
      await seedAdmin("adm1");
      forgetCredentials("adm1");
      const old = await callEvent({ data: { name: "Old Show" }, auth: asAdmin("adm1") } as never);
      assert.deepEqual(old.vonage, { kind: "legacy", id: LOCAL_VONAGE.apiKey });
      await callStatus({ data: { id: old.id, status: "preshow" }, auth: asAdmin("adm1") } as never);

      const { admin } = await update(
        { id: "adm1", vonageApplicationId: app.applicationId, vonagePrivateKey: app.privateKeyPkcs1 },
        asAdmin("adm1"),
      );
      assert.equal(admin.credentialKind, "application");
      assert.equal(admin.otApiKey, "");
      const stored = (await db().ref("adminCredentials/adm1").once("value")).val();
      assert.deepEqual(Object.keys(stored.retired ?? {}), [`legacy:${LOCAL_VONAGE.apiKey}`]);
      assertNoSecrets(stored, forbidden());

      resetEventIdentitiesForTests();
      const oldTokens = (await callProducer({ data: { eventId: old.id }, auth: asAdmin("adm1") } as never)) as unknown as Record<
        string,
        string
      >;
      assert.equal(oldTokens.apiKey, LOCAL_VONAGE.apiKey);
      jwt.verify(oldTokens.stageToken, LOCAL_VONAGE.apiSecret, { algorithms: ["HS256"] });
      assert.equal(vonage.connectClient(old.stageSessionId, { token: oldTokens.stageToken }).role, "moderator");

      const fresh = await callEvent({ data: { name: "New Show" }, auth: asAdmin("adm1") } as never);
      assert.deepEqual(fresh.vonage, { kind: "application", id: app.applicationId });
      await callStatus({ data: { id: fresh.id, status: "preshow" }, auth: asAdmin("adm1") } as never);
      const freshTokens = (await callProducer({ data: { eventId: fresh.id }, auth: asAdmin("adm1") } as never)) as unknown as Record<
        string,
        string
      >;
      assert.equal(freshTokens.apiKey, app.applicationId);
      jwt.verify(freshTokens.stageToken, app.publicKey, { algorithms: ["RS256"] });

      // A token of one credential never opens the other's session.
      assert.throws(
        () => vonage.connectClient(fresh.stageSessionId, { token: oldTokens.stageToken }),
        /different session|another|owner|403/i,
      );

      await callStatus({ data: { id: old.id, status: "closed" }, auth: asAdmin("adm1") } as never);
      await update({ id: "adm1", vonagePrivateKey: app.privateKeyPkcs8 }, asAdmin("adm1"));
      const after = (await db().ref("adminCredentials/adm1").once("value")).val();
      assert.equal(after.retired, undefined, "no open event uses the legacy pair any more");
      assert.equal(after.kind, "application");
    });

    it("an event whose credential is gone gets a clear failed-precondition, never internal", async () => {
      await seedAdmin("adm1", {}, { kind: "application", applicationId: app.applicationId, privateKey: app.privateKeyPkcs8 });
      forgetCredentials("adm1");
      const event = await callEvent({ data: { name: "Stranded" }, auth: asAdmin("adm1") } as never);
      await db().ref("adminCredentials/adm1").remove();
      forgetCredentials("adm1");
      await assert.rejects(eventCredentials(event), /no longer configured/);
      await callStatus({ data: { id: event.id, status: "preshow" }, auth: asAdmin("adm1") } as never);
      const error = await expectHttpsError(
        callProducer({ data: { eventId: event.id }, auth: asAdmin("adm1") } as never),
        "failed-precondition",
      );
      assert.match(error.message, /no longer configured/);
    });

    it("rotating the private key of the stored application alone; a key without an application is refused", async () => {
      await seedAdmin("adm1", {}, null);
      const error = await expectHttpsError(
        update({ id: "adm1", vonagePrivateKey: app.privateKeyPkcs8 }, asAdmin("adm1")),
        "invalid-argument",
      );
      assert.match(error.message, /needs vonageApplicationId/);
      await update({ id: "adm1", vonageApplicationId: app.applicationId, vonagePrivateKey: app.privateKeyPkcs8 }, asAdmin("adm1"));
      const rotated = testApplication(app.applicationId, 3072);
      vonage.addApplication(app.applicationId, rotated.publicKeyPem, { video: true });
      const { admin } = await update({ id: "adm1", vonagePrivateKey: rotated.privateKeyPkcs1 }, asAdmin("adm1"));
      assert.equal(admin.vonageApplicationId, app.applicationId);
      forgetCredentials("adm1");
      assert.equal(((await tenantCredentials("adm1")) as ApplicationCredential).privateKey, rotated.privateKeyPkcs8);
      const renamed = await expectHttpsError(
        update({ id: "adm1", vonageApplicationId: OTHER_APPLICATION_ID }, asAdmin("adm1")),
        "invalid-argument",
      );
      assert.match(renamed.message, /needs its vonagePrivateKey/);
    });
  });
});
