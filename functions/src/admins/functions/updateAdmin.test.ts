import assert from "node:assert/strict";
import { authFor, expectHttpsError, fft, LOCAL_VONAGE, resetDatabase, useFakeAuth, type FakeAuth } from "../../testing/harness";
import { forgetRevocations } from "../../platform/revocation";
import { getAdmins as getAdminsFn } from "./getAdmins";
import { callers, HUGE, NON_ADMINS, type CallerName } from "../../testing/callers";
import { testVonage, type TestVonage } from "../../testing/vonageStandin";
import { seedAdmin } from "../../testing/fixtures";
import { assertNoSecrets, localSecrets } from "../../testing/secrets";
import { db } from "../../platform/firebase";
import { tenantCredentials } from "../tenants";
import type { LegacyCredential } from "../../platform/vonage/credentials";
import { updateAdmin } from "./updateAdmin";
import { paths } from "../../contract/paths";

const OTHER_PROJECT = { kind: "legacy" as const, apiKey: "47000002", apiSecret: "second0project0secret0000000000000000002" };

describe("admins/updateAdmin", () => {
  const call = fft.wrap(updateAdmin);
  let auth: FakeAuth;
  let vonage: TestVonage;
  let revoked: string[];
  const as = (name: CallerName, data: unknown) =>
    call({ data, auth: callers[name] } as never) as Promise<{ admin: Record<string, unknown> }>;
  const record = async (uid: string) => (await db().ref(paths.admin(uid)).once("value")).val();
  const sealed = async (uid: string) => (await db().ref(`adminCredentials/${uid}`).once("value")).val();

  before(async () => {
    vonage = await testVonage();
    vonage.addProject(OTHER_PROJECT.apiKey, OTHER_PROJECT.apiSecret);
  });

  beforeEach(async () => {
    vonage.clearFaults();
    auth = useFakeAuth();
    revoked = [];
    (auth as unknown as { revokeRefreshTokens: (uid: string) => Promise<void> }).revokeRefreshTokens = async (uid) => {
      revoked.push(uid);
    };
    await resetDatabase();
    for (const [uid, superAdmin] of [
      ["sup1", true],
      ["sup2", true],
      ["adm1", false],
      ["adm2", false],
    ] as const) {
      await seedAdmin(uid, { superAdmin });
      await auth.createUser({ uid, email: `${uid}@example.com`, displayName: `Admin ${uid}` });
    }
    await seedAdmin("adm3", {}, null);
    await auth.createUser({ uid: "adm3", email: "adm3@example.com" });
  });

  it("IBS flaw 24: an admin updates their own profile; the Auth profile change is done when the call answers", async () => {
    const { admin } = await as("admin", { id: "adm1", displayName: "Ada L.", email: "Ada@Example.com", hls: false });
    assert.equal(admin.displayName, "Ada L.");
    assert.equal(admin.email, "ada@example.com");
    assert.equal(admin.hls, false);
    assert.equal(auth.users.get("adm1")?.email, "ada@example.com");
    assert.equal(auth.users.get("adm1")?.displayName, "Ada L.");
    assert.equal((await record("adm1")).displayName, "Ada L.");
  });

  it("IBS flaw 3: an admin cannot update another admin, nor their own superAdmin flag", async () => {
    await expectHttpsError(as("admin", { id: "adm2", displayName: "Mallory" }), "permission-denied");
    await expectHttpsError(as("admin", { id: "sup1", displayName: "Mallory" }), "permission-denied");
    await expectHttpsError(as("admin", { id: "nobody", displayName: "Mallory" }), "permission-denied");
    await expectHttpsError(as("admin", { id: "adm1", superAdmin: true }), "permission-denied");
    await expectHttpsError(as("admin", { id: "adm1", superAdmin: false }), "permission-denied");
    assert.equal((await record("adm2")).displayName, "Admin adm2");
    assert.equal((await record("adm1")).superAdmin, false);
    assert.equal(auth.users.get("adm1")?.customClaims, undefined);
  });

  it("a superAdmin updates anyone; a promotion and a demotion update the claims, a demotion revokes sessions", async () => {
    await as("superAdmin", { id: "adm2", superAdmin: true, displayName: "Bea" });
    assert.deepEqual(auth.users.get("adm2")?.customClaims, { role: "admin", superAdmin: true });
    assert.equal((await record("adm2")).superAdmin, true);
    assert.deepEqual(revoked, []);
    await as("superAdmin", { id: "sup2", superAdmin: false });
    assert.deepEqual(auth.users.get("sup2")?.customClaims, { role: "admin", superAdmin: false });
    assert.deepEqual(revoked, ["sup2"]);
  });

  it("a demoted superAdmin's ID token issued before the demotion is refused by every admin callable at once; a new sign-in works", async () => {
    const issuedBefore = Math.floor(Date.now() / 1000) - 60;
    const oldToken = authFor("sup2", { role: "admin", superAdmin: true, iat: issuedBefore });
    const getAdmins = fft.wrap(getAdminsFn);
    await getAdmins({ data: {}, auth: oldToken } as never);
    await as("superAdmin", { id: "sup2", superAdmin: false });
    forgetRevocations(); // another instance: it reads the revocation from the database
    await expectHttpsError(getAdmins({ data: {}, auth: oldToken } as never), "unauthenticated");
    await expectHttpsError(call({ data: { id: "sup2", displayName: "Still me" }, auth: oldToken } as never), "unauthenticated");
    const newToken = authFor("sup2", { role: "admin", superAdmin: false, iat: Math.floor(Date.now() / 1000) + 2 });
    assert.equal(
      ((await call({ data: { id: "sup2", displayName: "New me" }, auth: newToken } as never)) as { admin: { displayName: string } }).admin
        .displayName,
      "New me",
    );
    await expectHttpsError(getAdmins({ data: {}, auth: newToken } as never), "permission-denied");
    // Others' sessions are untouched.
    await getAdmins({ data: {}, auth: authFor("sup1", { role: "admin", superAdmin: true, iat: issuedBefore }) } as never);
  });

  it("a superAdmin cannot drop their own superAdmin flag (nobody might be left to manage admins)", async () => {
    await expectHttpsError(as("superAdmin", { id: "sup1", superAdmin: false }), "failed-precondition");
    await as("superAdmin", { id: "sup1", superAdmin: true, displayName: "Still super" });
    assert.equal((await record("sup1")).superAdmin, true);
  });

  it("IBS flaw 23: an update without a secret keeps the stored credentials", async () => {
    const before = await sealed("adm1");
    await as("admin", { id: "adm1", displayName: "Ada" });
    await as("admin", { id: "adm1", otApiKey: LOCAL_VONAGE.apiKey });
    assert.deepEqual(await sealed("adm1"), before);
    assert.equal((await record("adm1")).otApiKey, LOCAL_VONAGE.apiKey);
  });

  it("IBS flaw 23: empty strings never erase credentials (invalid input), and a new key needs its secret", async () => {
    const before = await sealed("adm1");
    await expectHttpsError(as("admin", { id: "adm1", otApiKey: "" }), "invalid-argument");
    await expectHttpsError(as("admin", { id: "adm1", otSecret: "" }), "invalid-argument");
    await expectHttpsError(as("admin", { id: "adm1", otApiKey: "", otSecret: "" }), "invalid-argument");
    const err = await expectHttpsError(as("admin", { id: "adm1", otApiKey: OTHER_PROJECT.apiKey }), "invalid-argument");
    assert.match(err.message, /needs its otSecret/);
    assert.deepEqual(await sealed("adm1"), before);
    assert.equal((await record("adm1")).otApiKey, LOCAL_VONAGE.apiKey);
  });

  it("a new verified pair replaces the old one and acts at once (IBS flaw 22: no stale cached client)", async () => {
    assert.equal(((await tenantCredentials("adm1")) as LegacyCredential).apiKey, LOCAL_VONAGE.apiKey);
    const answer = await as("admin", { id: "adm1", otApiKey: OTHER_PROJECT.apiKey, otSecret: OTHER_PROJECT.apiSecret });
    const { admin } = answer;
    assert.equal(admin.otApiKey, OTHER_PROJECT.apiKey);
    const ciphertext = (await sealed("adm1")).secret as string;
    assertNoSecrets(answer, [OTHER_PROJECT.apiSecret, ciphertext, ciphertext.split(".")[4], ...localSecrets()], "updateAdmin's answer");
    assert.deepEqual(await tenantCredentials("adm1"), OTHER_PROJECT);
  });

  it("a secret alone rotates the secret of the stored key (checked); without a stored key it is invalid", async () => {
    await expectHttpsError(as("admin", { id: "adm1", otSecret: OTHER_PROJECT.apiSecret }), "invalid-argument");
    await as("admin", { id: "adm1", otSecret: LOCAL_VONAGE.apiSecret });
    assert.deepEqual(await tenantCredentials("adm1"), LOCAL_VONAGE);
    const err = await expectHttpsError(
      call({ data: { id: "adm3", otSecret: LOCAL_VONAGE.apiSecret }, auth: callers.superAdmin } as never),
      "invalid-argument",
    );
    assert.match(err.message, /needs otApiKey/);
  });

  it("refuses a pair Vonage rejects, and answers unavailable when Vonage is down; the stored pair stays", async () => {
    const before = await sealed("adm1");
    const err = await expectHttpsError(
      as("admin", { id: "adm1", otApiKey: OTHER_PROJECT.apiKey, otSecret: LOCAL_VONAGE.apiSecret }),
      "invalid-argument",
    );
    assert.match(err.message, /Vonage refused/);
    vonage.injectFault({ path: "/archive", status: 500, count: 0 });
    await expectHttpsError(as("admin", { id: "adm1", otApiKey: OTHER_PROJECT.apiKey, otSecret: OTHER_PROJECT.apiSecret }), "unavailable");
    assert.deepEqual(await sealed("adm1"), before);
  });

  it("clearCredentials drops the admin's own pair; the project-wide params then serve", async () => {
    const { admin } = await as("admin", { id: "adm1", clearCredentials: true });
    assert.equal(admin.hasOwnCredentials, false);
    assert.equal(admin.otApiKey, "");
    // No credential is left: only the update's revision stays (an older concurrent update cannot store one after it).
    assert.deepEqual(Object.keys((await sealed("adm1")) ?? {}), ["updatedAt"]);
    assert.deepEqual(await tenantCredentials("adm1"), LOCAL_VONAGE);
    await expectHttpsError(as("admin", { id: "adm1", clearCredentials: true, otSecret: LOCAL_VONAGE.apiSecret }), "invalid-argument");
    await expectHttpsError(as("admin", { id: "adm1", clearCredentials: false }), "invalid-argument");
  });

  it("an e-mail in use gets already-exists and leaves the record untouched", async () => {
    // The in-memory Auth does not check uniqueness on update; the real one answers this code.
    const updateUser = auth.updateUser.bind(auth);
    auth.updateUser = async (uid, props) => {
      if (props.email && [...auth.users.values()].some((user) => user.uid !== uid && user.email === String(props.email).toLowerCase())) {
        throw Object.assign(new Error("in use"), { code: "auth/email-already-exists" });
      }
      return updateUser(uid, props);
    };
    await expectHttpsError(as("admin", { id: "adm1", email: "adm2@example.com" }), "already-exists");
    assert.equal((await record("adm1")).email, "adm1@example.com");
  });

  it("an unknown admin gets not-found (superAdmin)", async () => {
    await expectHttpsError(as("superAdmin", { id: "nobody", displayName: "X" }), "not-found");
  });

  it("non-admins are refused with the exact code", async () => {
    await expectHttpsError(call({ data: { id: "adm1", displayName: "X" } } as never), "unauthenticated");
    for (const name of NON_ADMINS) await expectHttpsError(as(name, { id: "adm1", displayName: "X" }), "permission-denied");
    // A host or fan whose uid happened to equal an admin's is still not an admin.
    await expectHttpsError(
      call({ data: { id: "adm1", displayName: "X" }, auth: { ...callers.fan, uid: "adm1" } } as never),
      "permission-denied",
    );
    assert.equal((await record("adm1")).displayName, "Admin adm1");
  });

  it("bad inputs get invalid-argument, never internal", async () => {
    const bad: unknown[] = [
      {},
      { displayName: "X" },
      { id: 5 },
      { id: "adm1/../adm2" },
      { id: HUGE },
      { id: "adm1", displayName: HUGE },
      { id: "adm1", displayName: "" },
      { id: "adm1", email: "no-at-sign" },
      { id: "adm1", email: "" },
      { id: "adm1", password: "1234" },
      { id: "adm1", hls: "true" },
      { id: "adm1", otSecret: HUGE },
      { id: "adm1", otSecret: "has spaces in it" },
      { id: "adm1", createdAt: 1 },
      { id: "adm1", otSecretEncrypted: "x" },
    ];
    for (const data of bad) await expectHttpsError(as("superAdmin", data), "invalid-argument");
  });
});
