/**
 * The unit suite of `loginHost` and `loginCelebrity`: the same contract for both roles, so one suite,
 * run by each function's test file.
 */
import assert from "node:assert/strict";
import type { CallableFunction } from "firebase-functions/v2/https";
import { expectHttpsError, testDatabase, type FakeAuth } from "./harness";
import { callers, HUGE, type CallerName } from "./callers";
import { seedEvent } from "./fixtures";
import { loginAs, loginWorld } from "./logins";
import type { EventRecord } from "../events/model";
import { NO_SUCH_EVENT, type EventLoginResult } from "../access/eventLogin";

type StageRole = "host" | "celebrity";

export function stageLoginSuite(role: StageRole, fn: CallableFunction<unknown, Promise<EventLoginResult>>): void {
  const other: StageRole = role === "host" ? "celebrity" : "host";
  const secretOf = (event: EventRecord, which: StageRole) => (which === "host" ? event.hostUrl : event.celebrityUrl);

  describe(`auth/login${role === "host" ? "Host" : "Celebrity"}`, () => {
    let auth: FakeAuth;
    let event: EventRecord;
    let closed: EventRecord;
    const as = loginAs(fn);

    beforeEach(async () => {
      auth = await loginWorld();
      event = await seedEvent("adm1", {
        status: "preshow",
        fanUrl: "a-long-fan-slug-for-the-big-show",
        startImage: { id: "eventImages/adm1/s.png", url: "https://img/s.png" },
      });
      closed = await seedEvent("adm1", { status: "closed" });
    });

    it(`returns a custom token with role ${role}, adminId and eventId, and the public event data`, async () => {
      const result = await as("unauthenticated", { adminId: "adm1", slug: secretOf(event, role) });
      assert.equal(result.uid, `${role}-${event.id}`);
      assert.deepEqual(auth.customTokens, [{ uid: result.uid, claims: { role, adminId: "adm1", eventId: event.id } }]);
      assert.equal(typeof result.token, "string");
      assert.deepEqual(result.event, {
        eventId: event.id,
        name: event.name,
        status: "preshow",
        fanUrl: event.fanUrl,
        startImage: event.startImage,
        endImage: null,
        redirectUrl: null,
      });
      const text = JSON.stringify(result.event);
      for (const hidden of [event.hostUrl, event.celebrityUrl, event.sessionId, event.stageSessionId]) assert.ok(!text.includes(hidden));
    });

    it("the uid is the same at every login, so re-joins are one participant", async () => {
      const first = await as("anonymous", { adminId: "adm1", slug: secretOf(event, role) });
      const second = await as("unauthenticated", { adminId: "adm1", slug: secretOf(event, role) });
      assert.equal(first.uid, second.uid);
    });

    it("reads one database location per login", async () => {
      const database = await testDatabase();
      database.resetStats();
      await as("unauthenticated", { adminId: "adm1", slug: secretOf(event, role) });
      const admin = database.stats().admin as Record<string, number>;
      assert.equal(admin.q + admin.g, 1);
    });

    it(`IBS flaw 5: no ${role} token without the ${role} secret; a fan slug or the ${other} secret cannot log in as ${role}`, async () => {
      await expectHttpsError(as("unauthenticated", { adminId: "adm1" }), "invalid-argument");
      await expectHttpsError(as("unauthenticated", { adminId: "adm1", slug: event.fanUrl }), "not-found");
      const wrongRole = await expectHttpsError(as("unauthenticated", { adminId: "adm1", slug: secretOf(event, other) }), "not-found");
      assert.equal(wrongRole.message, NO_SUCH_EVENT);
      assert.equal(auth.customTokens.length, 0);
    });

    it("an unknown admin and an unknown secret get the same not-found", async () => {
      const unknownAdmin = await expectHttpsError(as("unauthenticated", { adminId: "adm2", slug: secretOf(event, role) }), "not-found");
      const unknownSecret = await expectHttpsError(as("unauthenticated", { adminId: "adm1", slug: "A".repeat(22) }), "not-found");
      const noSuchAdmin = await expectHttpsError(as("unauthenticated", { adminId: "nobody", slug: "A".repeat(22) }), "not-found");
      assert.equal(unknownAdmin.message, unknownSecret.message);
      assert.equal(noSuchAdmin.message, unknownSecret.message);
    });

    it("a closed show refuses the login with failed-precondition", async () => {
      await expectHttpsError(as("unauthenticated", { adminId: "adm1", slug: secretOf(closed, role) }), "failed-precondition");
    });

    it("every caller may log in (the link secret is the credential)", async () => {
      for (const name of Object.keys(callers) as CallerName[]) {
        const result = await as(name, { adminId: "adm1", slug: secretOf(event, role) });
        assert.equal(result.uid, `${role}-${event.id}`, name);
      }
    });

    it("bad inputs get invalid-argument", async () => {
      const secret = secretOf(event, role);
      const bad: unknown[] = [
        {},
        { slug: secret },
        { adminId: 1, slug: secret },
        { adminId: "adm1", slug: "" },
        { adminId: "adm1", slug: "short" },
        { adminId: "adm1", slug: HUGE },
        { adminId: "adm1", slug: "has/slash/in/it/0123456789" },
        { adminId: HUGE, slug: secret },
        { adminId: "adm1", slug: secret, [`${role}Url`]: secret },
      ];
      for (const data of bad) await expectHttpsError(as("unauthenticated", data), "invalid-argument");
    });
  });
}
