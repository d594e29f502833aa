import assert from "node:assert/strict";
import { expectHttpsError, fft, LOCAL_VONAGE, resetDatabase, useFakeAuth, type FakeAuth } from "../testing/harness";
import { callers, HUGE, NON_ADMINS } from "../testing/callers";
import { testVonage, type TestVonage } from "../testing/vonageStandin";
import { seedAdmin } from "../testing/fixtures";
import { db } from "../lib/firebase";
import { tenantCredentials, forgetCredentials } from "../lib/tenants";
import type { LegacyCredential } from "../lib/vonageCredentials";
import { createAdmin } from "./createAdmin";

describe("admins/createAdmin", () => {
  const call = fft.wrap(createAdmin);
  let auth: FakeAuth;
  let vonage: TestVonage;
  const valid = { displayName: "Grace", email: "grace@example.com", password: "a-good-password" };
  const asSuper = (data: unknown) => call({ data, auth: callers.superAdmin } as never) as Promise<{ admin: Record<string, unknown> }>;

  before(async () => {
    vonage = await testVonage();
  });

  beforeEach(async () => {
    vonage.clearFaults();
    auth = useFakeAuth();
    await resetDatabase();
    await seedAdmin("sup1", { superAdmin: true });
    await seedAdmin("adm1");
  });

  it("creates the Auth user, the claims and the record; without a pair the project-wide credentials serve", async () => {
    const { admin } = await asSuper({ ...valid, hls: true });
    const uid = admin.id as string;
    assert.equal(auth.users.get(uid)?.email, "grace@example.com");
    assert.deepEqual(auth.users.get(uid)?.customClaims, { role: "admin", superAdmin: false });
    assert.equal(admin.hasOwnCredentials, false);
    assert.equal(admin.hls, true);
    assert.equal(admin.superAdmin, false);
    const stored = (await db().ref(`admins/${uid}`).once("value")).val();
    assert.equal(stored.email, "grace@example.com");
    assert.equal((await db().ref(`adminCredentials/${uid}`).once("value")).exists(), false);
    forgetCredentials(uid);
    assert.equal(((await tenantCredentials(uid)) as LegacyCredential).apiKey, LOCAL_VONAGE.apiKey, "falls back to the params");
  });

  it("stores a verified Vonage pair: the key with the profile, the secret sealed server-side and never answered (IBS flaws 7, 8)", async () => {
    const { admin } = await asSuper({ ...valid, otApiKey: LOCAL_VONAGE.apiKey, otSecret: LOCAL_VONAGE.apiSecret });
    const uid = admin.id as string;
    assert.equal(admin.otApiKey, LOCAL_VONAGE.apiKey);
    assert.equal(admin.hasOwnCredentials, true);
    assert.ok(!JSON.stringify(admin).includes(LOCAL_VONAGE.apiSecret));
    const sealed = (await db().ref(`adminCredentials/${uid}`).once("value")).val();
    assert.match(sealed.secret, /^v1\./);
    assert.ok(!sealed.secret.includes(LOCAL_VONAGE.apiSecret));
    forgetCredentials(uid);
    assert.equal(((await tenantCredentials(uid)) as LegacyCredential).apiSecret, LOCAL_VONAGE.apiSecret);
  });

  it("IBS flaw 22: checks the pair with a cheap read, creating no throw-away session", async () => {
    vonage.reset();
    await asSuper({ ...valid, otApiKey: LOCAL_VONAGE.apiKey, otSecret: LOCAL_VONAGE.apiSecret });
    assert.equal(vonage.state().sessions.length, 0);
  });

  it("refuses a pair Vonage rejects with invalid-argument and a clear message, creating nothing", async () => {
    const err = await expectHttpsError(asSuper({ ...valid, otApiKey: LOCAL_VONAGE.apiKey, otSecret: "0".repeat(40) }), "invalid-argument");
    assert.match(err.message, /Vonage refused this API key and secret/);
    await expectHttpsError(asSuper({ ...valid, otApiKey: "99999999", otSecret: LOCAL_VONAGE.apiSecret }), "invalid-argument");
    assert.equal(auth.users.size, 0);
    assert.deepEqual(Object.keys((await db().ref("admins").once("value")).val()).sort(), ["adm1", "sup1"]);
  });

  it("answers unavailable when Vonage cannot be reached, creating nothing", async () => {
    vonage.injectFault({ path: "/archive", status: 503, count: 0 });
    await expectHttpsError(asSuper({ ...valid, otApiKey: LOCAL_VONAGE.apiKey, otSecret: LOCAL_VONAGE.apiSecret }), "unavailable");
    assert.equal(auth.users.size, 0);
  });

  it("a duplicate e-mail gets already-exists", async () => {
    await asSuper(valid);
    await expectHttpsError(asSuper({ ...valid, email: "GRACE@example.com" }), "already-exists");
  });

  it("a superAdmin can create another superAdmin (claims follow)", async () => {
    const { admin } = await asSuper({ ...valid, superAdmin: true });
    assert.deepEqual(auth.users.get(admin.id as string)?.customClaims, { role: "admin", superAdmin: true });
  });

  it("undoes the Auth user when the record cannot be written", async () => {
    auth.setCustomUserClaims = async () => {
      throw new Error("claims service down");
    };
    await expectHttpsError(asSuper(valid), "internal");
    assert.equal(auth.users.size, 0);
  });

  it("IBS flaw 3: only a superAdmin creates admins (every other role is refused)", async () => {
    await expectHttpsError(call({ data: valid } as never), "unauthenticated");
    for (const name of [...NON_ADMINS, "admin", "otherAdmin"] as const) {
      await expectHttpsError(call({ data: valid, auth: callers[name] } as never), "permission-denied");
    }
    assert.equal(auth.users.size, 0);
  });

  it("bad inputs get invalid-argument with the issues, never internal", async () => {
    const bad: unknown[] = [
      {},
      null,
      "grace",
      { ...valid, password: undefined },
      { ...valid, email: "not-an-email" },
      { ...valid, email: `${HUGE}@example.com` },
      { ...valid, displayName: HUGE },
      { ...valid, displayName: "   " },
      { ...valid, displayName: 42 },
      { ...valid, password: "short" },
      { ...valid, password: HUGE },
      { ...valid, superAdmin: "yes" },
      { ...valid, hls: 1 },
      { ...valid, role: "admin" },
      { ...valid, otSecret: undefined, otApiKey: LOCAL_VONAGE.apiKey },
      { ...valid, otSecret: LOCAL_VONAGE.apiSecret },
      { ...valid, otApiKey: "", otSecret: "" },
      { ...valid, otApiKey: LOCAL_VONAGE.apiKey, otSecret: "" },
      { ...valid, otApiKey: LOCAL_VONAGE.apiKey, otSecret: HUGE },
      { ...valid, otApiKey: HUGE, otSecret: LOCAL_VONAGE.apiSecret },
      { ...valid, otApiKey: "47 000", otSecret: LOCAL_VONAGE.apiSecret },
    ];
    for (const data of bad) {
      const err = await expectHttpsError(asSuper(data), "invalid-argument");
      assert.ok(Array.isArray((err.details as { issues?: unknown[] })?.issues), `issues for ${JSON.stringify(data)?.slice(0, 80)}`);
    }
    assert.equal(auth.users.size, 0);
  });
});
