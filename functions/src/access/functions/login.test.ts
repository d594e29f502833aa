import assert from "node:assert/strict";
import { authFor, expectHttpsError, fft, resetDatabase, useFakeAuth, type FakeAuth } from "../../testing/harness";
import { db } from "../../platform/firebase";
import { login } from "./login";
import { callers } from "../../testing/callers";
import { seedAdmin } from "../../testing/fixtures";

describe("auth/login", () => {
  const call = fft.wrap(login);
  let auth: FakeAuth;

  beforeEach(async () => {
    auth = useFakeAuth();
    await resetDatabase({
      admins: {
        adm1: {
          id: "adm1",
          displayName: "Ada",
          email: "ada@example.com",
          superAdmin: false,
          hls: true,
          httpSupport: false,
          otApiKey: "47000001",
          hasOwnCredentials: true,
          createdAt: 1,
          updatedAt: 1,
        },
      },
      adminCredentials: { adm1: { apiKey: "47000001", secret: "v1.sealed.never.leaves.x" } },
    });
    await auth.createUser({ uid: "adm1", email: "ada@example.com" });
  });

  it("returns the profile of a registered admin, without any secret, and stamps the login", async () => {
    const result = (await call({ data: {}, auth: authFor("adm1", { role: "admin", superAdmin: false }, "password") } as never)) as {
      admin: Record<string, unknown>;
      refreshIdToken: boolean;
    };
    assert.equal(result.admin.id, "adm1");
    assert.equal(result.refreshIdToken, false);
    assert.doesNotMatch(JSON.stringify(result), /sealed|secret"/);
    assert.equal(typeof (await db().ref("admins/adm1/lastLoginAt").once("value")).val(), "number");
  });

  it("sets the claims when the token lacks them and tells the client to refresh its ID token", async () => {
    const result = (await call({ data: {}, auth: authFor("adm1", {}, "password") } as never)) as { refreshIdToken: boolean };
    assert.equal(result.refreshIdToken, true);
    assert.deepEqual(auth.users.get("adm1")?.customClaims, { role: "admin", superAdmin: false });
  });

  it("IBS flaw 1: refuses a signed-in user who is not a registered admin (an anonymous fan)", async () => {
    await expectHttpsError(call({ data: {}, auth: authFor("fan1", {}, "anonymous") } as never), "permission-denied");
    await expectHttpsError(
      call({ data: {}, auth: authFor("fan2", { role: "fan", adminId: "adm1", eventId: "e1" }) } as never),
      "permission-denied",
    );
  });

  it("refuses unauthenticated calls and unknown input keys", async () => {
    await expectHttpsError(call({ data: {} } as never), "unauthenticated");
    await expectHttpsError(call({ data: { idToken: "x" }, auth: authFor("adm1", { role: "admin" }) } as never), "invalid-argument");
  });

  it("every role: registered admins and superAdmins are let in, everyone else gets the exact refusal", async () => {
    await seedAdmin("sup1", { superAdmin: true });
    await auth.createUser({ uid: "sup1", email: "sup1@example.com" });
    const ok = async (name: keyof typeof callers) => (await call({ data: {}, auth: callers[name] } as never)) as { admin: { id: string } };
    assert.equal((await ok("admin")).admin.id, "adm1");
    assert.equal((await ok("superAdmin")).admin.id, "sup1");
    await expectHttpsError(call({ data: {}, auth: callers.unauthenticated } as never), "unauthenticated");
    // adm2 has admin claims but no record (e.g. deleted meanwhile): refused as well.
    for (const name of ["anonymous", "plainUser", "fan", "host", "celebrity", "otherAdmin"] as const) {
      await expectHttpsError(call({ data: {}, auth: callers[name] } as never), "permission-denied");
    }
  });
});
