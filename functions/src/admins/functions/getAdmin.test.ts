import assert from "node:assert/strict";
import { expectHttpsError, fft, resetDatabase, useFakeAuth } from "../../testing/harness";
import { callers, HUGE, NON_ADMINS, type CallerName } from "../../testing/callers";
import { seedAdmin } from "../../testing/fixtures";
import { db } from "../../platform/firebase";
import { getAdmin } from "./getAdmin";

describe("admins/getAdmin", () => {
  const call = fft.wrap(getAdmin);
  const as = (name: CallerName, data: unknown) =>
    call({ data, auth: callers[name] } as never) as Promise<{ admin: Record<string, unknown> }>;

  beforeEach(async () => {
    useFakeAuth();
    await resetDatabase();
    await seedAdmin("sup1", { superAdmin: true });
    await seedAdmin("adm1");
    await seedAdmin("adm2");
    // A record carried over from IBS, with its ciphertext field: it must not leave either.
    await db().ref("admins/adm2/otSecret").set("a1b2c3d4e5f6-ibs-ciphertext");
  });

  it("an admin reads their own profile, without secret or ciphertext (IBS flaw 7)", async () => {
    const { admin } = await as("admin", { id: "adm1" });
    assert.equal(admin.id, "adm1");
    assert.equal(admin.hasOwnCredentials, true);
    assert.doesNotMatch(JSON.stringify(admin), /secret|v1\./i);
  });

  it("a superAdmin reads anyone's profile; a legacy ciphertext field is not answered", async () => {
    const { admin } = await as("superAdmin", { id: "adm2" });
    assert.equal(admin.id, "adm2");
    assert.equal("otSecret" in admin, false);
    assert.doesNotMatch(JSON.stringify(admin), /ciphertext/);
  });

  it("IBS flaw 3: an admin cannot read another admin (permission-denied, whether or not the id exists)", async () => {
    await expectHttpsError(as("admin", { id: "adm2" }), "permission-denied");
    await expectHttpsError(as("otherAdmin", { id: "adm1" }), "permission-denied");
    await expectHttpsError(as("admin", { id: "nobody" }), "permission-denied");
  });

  it("an unknown id gets not-found (superAdmin)", async () => {
    await expectHttpsError(as("superAdmin", { id: "nobody" }), "not-found");
  });

  it("non-admins are refused with the exact code", async () => {
    await expectHttpsError(call({ data: { id: "adm1" } } as never), "unauthenticated");
    for (const name of NON_ADMINS) await expectHttpsError(as(name, { id: "adm1" }), "permission-denied");
  });

  it("bad inputs get invalid-argument", async () => {
    for (const data of [{}, { id: 1 }, { id: "" }, { id: HUGE }, { id: "a/b" }, { id: "adm1", extra: true }]) {
      await expectHttpsError(as("superAdmin", data), "invalid-argument");
    }
  });
});
