import assert from "node:assert/strict";
import { expectHttpsError, fft, testDatabase, type FakeAuth } from "../../testing/harness";
import { callers, HUGE, type CallerName } from "../../testing/callers";
import { seedEvent } from "../../testing/fixtures";
import { db } from "../../platform/firebase";
import { eventKeyRecord, type EventRecord } from "../../events/model";
import { resetRateLimits } from "../../platform/rateLimit";
import { loginFan } from "./loginFan";
import { loginAs, loginWorld } from "../../testing/logins";

describe("auth/loginFan", () => {
  let auth: FakeAuth;
  let upcoming: EventRecord;
  let live: EventRecord;
  const as = loginAs(loginFan);

  beforeEach(async () => {
    auth = await loginWorld();
    upcoming = await seedEvent("adm1", { name: "Later", fanUrl: "later" });
    // A host secret that also reads as a fan slug: the namespaces must still keep them apart.
    live = await seedEvent("adm1", {
      name: "Now",
      status: "live",
      fanUrl: "now",
      hostUrl: "abcdefghijklmnopqrstuvwxyz",
      redirectUrl: "https://example.com/after",
      endImage: { id: "eventImages/adm1/end.png", url: "https://img/end.png" },
    });
    await db().ref("currentEvents/adm1").set(eventKeyRecord(live));
  });

  it("with a slug: a custom token with role fan, adminId and eventId, a fresh uid, and only public event data", async () => {
    const result = await as("unauthenticated", { adminId: "adm1", slug: "later" });
    assert.match(result.uid, /^fan[0-9a-f]{32}$/);
    assert.deepEqual(auth.customTokens, [{ uid: result.uid, claims: { role: "fan", adminId: "adm1", eventId: upcoming.id } }]);
    assert.deepEqual(result.event, {
      eventId: upcoming.id,
      name: "Later",
      status: "notStarted",
      fanUrl: "later",
      startImage: null,
      endImage: null,
      redirectUrl: null,
    });
    const text = JSON.stringify(result);
    for (const hidden of [upcoming.hostUrl, upcoming.celebrityUrl, upcoming.sessionId, upcoming.stageSessionId])
      assert.ok(!text.includes(hidden));
  });

  it("without a slug (embeds): the admin's current show", async () => {
    const result = await as("unauthenticated", { adminId: "adm1" });
    assert.equal(result.event.eventId, live.id);
    assert.equal(result.event.redirectUrl, "https://example.com/after");
    assert.deepEqual(result.event.endImage, live.endImage);
  });

  it("keeps the uid of an anonymous user or an earlier fan (presence keys and seats survive a reload)", async () => {
    assert.equal((await as("anonymous", { adminId: "adm1", slug: "now" })).uid, "anon1");
    assert.equal((await as("fan", { adminId: "adm1", slug: "now" })).uid, "fan1");
  });

  it("never mints a fan token for the uid of an admin, host or celebrity", async () => {
    for (const name of ["admin", "superAdmin", "host", "celebrity", "plainUser"] as const) {
      const result = await as(name, { adminId: "adm1", slug: "now" });
      assert.notEqual(result.uid, callers[name].uid, name);
      assert.match(result.uid, /^fan[0-9a-f]{32}$/);
    }
  });

  it("two logins without an identity get two different uids", async () => {
    const first = await as("unauthenticated", { adminId: "adm1", slug: "now" });
    const second = await as("unauthenticated", { adminId: "adm1", slug: "now" });
    assert.notEqual(first.uid, second.uid);
  });

  it("reads one database location per login (besides the shared budget's counter, platform/sharedBudget.test)", async () => {
    const database = await testDatabase();
    const budget = process.env.FAN_LOGINS_PER_ADDRESS_PER_MINUTE;
    process.env.FAN_LOGINS_PER_ADDRESS_PER_MINUTE = "0";
    try {
      database.resetStats();
      await as("unauthenticated", { adminId: "adm1", slug: "now" });
    } finally {
      process.env.FAN_LOGINS_PER_ADDRESS_PER_MINUTE = budget;
    }
    const admin = database.stats().admin as Record<string, number>;
    assert.equal(admin.q + admin.g, 1);
  });

  it("takes the budget shared across instances per client address and event: a forged X-Forwarded-For does not reset it", async () => {
    const budget = process.env.FAN_LOGINS_PER_ADDRESS_PER_MINUTE;
    process.env.FAN_LOGINS_PER_ADDRESS_PER_MINUTE = "3";
    const wrapped = fft.wrap(loginFan) as unknown as (request: never) => Promise<unknown>;
    try {
      const codes: string[] = [];
      for (let n = 0; n < 6; n++) {
        const rawRequest = { headers: { "x-forwarded-for": `203.0.113.${n}, 198.51.100.9` }, socket: {} };
        codes.push(
          await wrapped({ data: { adminId: "adm1", slug: "now" }, rawRequest } as never).then(
            () => "ok",
            (error: { code: string; details?: { retryAfterSeconds?: number } }) =>
              error.details?.retryAfterSeconds ? error.code : `${error.code} without retryAfterSeconds`,
          ),
        );
      }
      assert.deepEqual(codes, ["ok", "ok", "ok", "resource-exhausted", "resource-exhausted", "resource-exhausted"]);
    } finally {
      process.env.FAN_LOGINS_PER_ADDRESS_PER_MINUTE = budget;
    }
  });

  it("an unknown admin, an unknown slug and a host secret used as a fan slug get one and the same not-found", async () => {
    const errors = [
      await expectHttpsError(as("unauthenticated", { adminId: "nobody", slug: "now" }), "not-found"),
      await expectHttpsError(as("unauthenticated", { adminId: "adm2", slug: "now" }), "not-found"),
      await expectHttpsError(as("unauthenticated", { adminId: "adm1", slug: "nope" }), "not-found"),
      await expectHttpsError(as("unauthenticated", { adminId: "adm1", slug: live.hostUrl }), "not-found"),
      await expectHttpsError(as("unauthenticated", { adminId: "adm2" }), "not-found"),
    ];
    // One and the same answer (nothing tells the cases apart), and it says what is wrong.
    assert.equal(
      new Set(errors.map((error) => JSON.stringify([error.message, error.details ?? null]))).size,
      1,
      "the same message and details for every case",
    );
    assert.equal(errors[0].message, "No event matches this admin and link.");
    assert.equal(auth.customTokens.length, 0);
  });

  it("a closed show refuses the login with failed-precondition", async () => {
    const closed = await seedEvent("adm1", { status: "closed", fanUrl: "gone" });
    await db().ref("currentEvents/adm1").set(eventKeyRecord(closed));
    await expectHttpsError(as("unauthenticated", { adminId: "adm1" }), "failed-precondition");
    // Its fan link too: the entry stays, marked closed, until a new event claims the slug.
    await expectHttpsError(as("unauthenticated", { adminId: "adm1", slug: "gone" }), "failed-precondition");
  });

  it("every caller may log in as a fan", async () => {
    for (const name of Object.keys(callers) as CallerName[])
      assert.equal((await as(name, { adminId: "adm1", slug: "now" })).event.eventId, live.id, name);
  });

  it("is rate limited per caller", async () => {
    const previous = process.env.RATE_LIMIT_PER_MINUTE;
    process.env.RATE_LIMIT_PER_MINUTE = "2";
    resetRateLimits();
    try {
      await as("anonymous", { adminId: "adm1", slug: "now" });
      await as("anonymous", { adminId: "adm1", slug: "now" });
      await expectHttpsError(as("anonymous", { adminId: "adm1", slug: "now" }), "resource-exhausted");
      await as("fan", { adminId: "adm1", slug: "now" });
    } finally {
      process.env.RATE_LIMIT_PER_MINUTE = previous;
      resetRateLimits();
    }
  });

  it("bad inputs get invalid-argument", async () => {
    const bad: unknown[] = [
      {},
      { slug: "now" },
      { adminId: 7 },
      { adminId: "" },
      { adminId: "adm1/../adm2" },
      { adminId: HUGE },
      { adminId: "adm1", slug: "" },
      { adminId: "adm1", slug: "Now" },
      { adminId: "adm1", slug: HUGE },
      { adminId: "adm1", slug: null },
      { adminId: "adm1", fanUrl: "now" },
      { adminId: "adm1", slug: "now", role: "host" },
    ];
    for (const data of bad) await expectHttpsError(as("unauthenticated", data), "invalid-argument");
  });
});
