import assert from "node:assert/strict";
import { expectHttpsError, fft, resetDatabase, useFakeAuth } from "../../testing/harness";
import { callers, NON_ADMINS, type CallerName } from "../../testing/callers";
import { seedAdmin } from "../../testing/fixtures";
import { db } from "../../platform/firebase";
import { getAdmins } from "./getAdmins";

describe("admins/getAdmins", () => {
  const call = fft.wrap(getAdmins);
  const as = (name: CallerName, data: unknown = {}) =>
    call({ data, auth: callers[name] } as never) as Promise<{ admins: Record<string, Record<string, unknown>> }>;

  beforeEach(async () => {
    useFakeAuth();
    await resetDatabase();
    await seedAdmin("sup1", { superAdmin: true });
    await seedAdmin("adm1");
    await seedAdmin("adm2", {}, null);
    await db().ref("admins/adm1/otSecret").set("ibs-era-ciphertext");
  });

  it("a superAdmin gets every profile by uid, with no secret and no ciphertext (IBS flaw 7)", async () => {
    const { admins } = await as("superAdmin");
    assert.deepEqual(Object.keys(admins).sort(), ["adm1", "adm2", "sup1"]);
    assert.equal(admins.adm1.hasOwnCredentials, true);
    assert.equal(admins.adm2.hasOwnCredentials, false);
    const text = JSON.stringify(admins);
    assert.doesNotMatch(text, /otSecret|ciphertext|v1\./);
  });

  it("an empty list is an empty map", async () => {
    await resetDatabase();
    assert.deepEqual(await as("superAdmin"), { admins: {} });
  });

  it("IBS flaw 3: only a superAdmin lists admins", async () => {
    await expectHttpsError(call({ data: {} } as never), "unauthenticated");
    for (const name of [...NON_ADMINS, "admin", "otherAdmin"] as const) await expectHttpsError(as(name), "permission-denied");
  });

  it("unknown input keys get invalid-argument", async () => {
    await expectHttpsError(as("superAdmin", { adminId: "adm1" }), "invalid-argument");
    await expectHttpsError(as("superAdmin", "all"), "invalid-argument");
  });
});
