import assert from "node:assert/strict";
import { expectHttpsError, fft, LOCAL_VONAGE, resetDatabase, useFakeAuth, type FakeAuth } from "../../testing/harness";
import { callers, HUGE, NON_ADMINS } from "../../testing/callers";
import { testVonage, type TestVonage } from "../../testing/vonageStandin";
import { seedAdmin } from "../../testing/fixtures";
import { assertNoSecrets, localSecrets } from "../../testing/secrets";
import { db } from "../../platform/firebase";
import { tenantCredentials, forgetCredentials } from "../tenants";
import type { LegacyCredential } from "../../platform/vonage/credentials";
import { createAdmin } from "./createAdmin";
import { paths } from "../../contract/paths";

describe("admins/createAdmin", () => {
  const call = fft.wrap(createAdmin);
  let auth: FakeAuth;
  let vonage: TestVonage;
  const valid = { displayName: "Grace", email: "grace@example.com", password: "a-good-password" };
  const asSuper = (data: unknown) => call({ data, auth: callers.superAdmin } as never) as Promise<{ admin: Record<string, unknown> }>;
  const OTHER_PROJECT = { apiKey: "47000003", apiSecret: "create0admin0own0project0secret000000003" };

  before(async () => {
    vonage = await testVonage();
  });

  beforeEach(async () => {
    vonage.clearFaults();
    vonage.addProject(OTHER_PROJECT.apiKey, OTHER_PROJECT.apiSecret);
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
    const stored = (await db().ref(paths.admin(uid)).once("value")).val();
    assert.equal(stored.email, "grace@example.com");
    assert.equal((await db().ref(`adminCredentials/${uid}`).once("value")).exists(), false);
    forgetCredentials(uid);
    assert.equal(((await tenantCredentials(uid)) as LegacyCredential).apiKey, LOCAL_VONAGE.apiKey, "falls back to the params");
  });

  it("stores a verified Vonage pair: the key with the profile, the secret sealed server-side and never answered (IBS flaws 7, 8)", async () => {
    // A pair of the admin's own (not the project-wide one), so the answer cannot hold it by accident.
    const answer = (await asSuper({ ...valid, otApiKey: OTHER_PROJECT.apiKey, otSecret: OTHER_PROJECT.apiSecret })) as Record<
      string,
      unknown
    > & { admin: Record<string, unknown> };
    const { admin } = answer;
    const uid = admin.id as string;
    assert.deepEqual(Object.keys(answer), ["admin"], "the answer is the profile and nothing beside it");
    assert.equal(admin.otApiKey, OTHER_PROJECT.apiKey);
    assert.equal(admin.hasOwnCredentials, true);
    const sealed = (await db().ref(`adminCredentials/${uid}`).once("value")).val();
    assert.match(sealed.secret, /^v1\./);
    assert.ok(!sealed.secret.includes(OTHER_PROJECT.apiSecret));
    // The whole answer, at every depth: the secret given, its ciphertext (whole and its body), and
    // the server's own secrets.
    const body = String(sealed.secret).split(".")[4];
    assertNoSecrets(answer, [OTHER_PROJECT.apiSecret, sealed.secret, body, ...localSecrets()], "createAdmin's answer");
    forgetCredentials(uid);
    assert.deepEqual(await tenantCredentials(uid), { kind: "legacy", apiKey: OTHER_PROJECT.apiKey, apiSecret: OTHER_PROJECT.apiSecret });
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

  it("a retry with the same requestId answers the admin the first call created (no already-exists)", async () => {
    const first = await asSuper({ ...valid, requestId: "create-grace-0001" });
    const again = await asSuper({ ...valid, requestId: "create-grace-0001" });
    assert.deepEqual(again, first);
    assert.equal(auth.users.size, 1);
    await expectHttpsError(asSuper({ ...valid, requestId: "create-grace-0002" }), "already-exists");
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
    // The failure is the database write of the record (and the sealed pair), after the claims are set.
    const database = db();
    const realRef = database.ref;
    const refused: string[][] = [];
    let claimsSet = 0;
    const setClaims = auth.setCustomUserClaims.bind(auth);
    auth.setCustomUserClaims = async (uid, claims) => {
      claimsSet++;
      return setClaims(uid, claims);
    };
    database.ref = function (this: typeof database, ...args: Parameters<typeof realRef>) {
      const ref = realRef.apply(this, args);
      const update = ref.update.bind(ref);
      ref.update = async (patch: Record<string, unknown>, ...rest: unknown[]) => {
        const keys = Object.keys(patch ?? {});
        if (keys.some((key) => /^\/?admins\/[^/]+$/.test(key))) {
          refused.push(keys);
          throw new Error("database unavailable");
        }
        return update(patch, ...(rest as []));
      };
      return ref;
    };
    let err: { message: string };
    try {
      err = await expectHttpsError(asSuper({ ...valid, otApiKey: OTHER_PROJECT.apiKey, otSecret: OTHER_PROJECT.apiSecret }), "internal");
    } finally {
      database.ref = realRef;
    }
    assert.equal(refused.length, 1, "the record write was attempted once, and refused");
    assert.equal(claimsSet, 1, "the claims were set before the write failed");
    assert.doesNotMatch(err.message, /database unavailable/, "the cause stays in the logs");
    assert.equal(auth.users.size, 0, "the Auth user is deleted again");
    assert.deepEqual(Object.keys((await db().ref("admins").once("value")).val()).sort(), ["adm1", "sup1"]);
    assert.deepEqual(
      Object.keys((await db().ref("adminCredentials").once("value")).val() ?? {}).sort(),
      ["adm1", "sup1"],
      "no sealed pair for the undone admin",
    );
  });

  it("undoes the Auth user when its claims cannot be set", async () => {
    auth.setCustomUserClaims = async () => {
      throw new Error("claims service down");
    };
    await expectHttpsError(asSuper(valid), "internal");
    assert.equal(auth.users.size, 0);
    assert.deepEqual(Object.keys((await db().ref("admins").once("value")).val()).sort(), ["adm1", "sup1"]);
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
