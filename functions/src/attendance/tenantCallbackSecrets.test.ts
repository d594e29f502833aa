import assert from "node:assert/strict";
import {
  connectionCallback,
  everything,
  liveEventForCallbacks,
  outcome,
  postCallback as post,
  signCallback as sign,
  T0,
} from "../testing/callbackRequests";
import { seedAdmin, seedEvent } from "../testing/fixtures";
import { authFor, expectHttpsError, fft, useFakeAuth } from "../testing/harness";
import { assertNoSecrets } from "../testing/secrets";
import { db } from "../platform/firebase";
import { updateAdmin } from "../admins/functions/updateAdmin";
import { createAdmin } from "../admins/functions/createAdmin";
import { deleteAdmin } from "../admins/functions/deleteAdmin";
import { testVonage } from "../testing/vonageStandin";
import { forgetCallbackKey, tenantCallbackKey } from "../admins/callbackSecret";
import type { EventRecord } from "../events/model";

const SECRET_A = "tenant-a-signature-secret-0123456789";
const SECRET_B = "tenant-b-signature-secret-9876543210";

describe("attendance: a callback signing secret per tenant", () => {
  const update = fft.wrap(updateAdmin);
  const create = fft.wrap(createAdmin);
  const remove = fft.wrap(deleteAdmin);
  const asSuperAdmin = (data: unknown) =>
    update({ data, auth: authFor("sup1", { role: "admin", superAdmin: true }) } as never) as Promise<{ admin: Record<string, unknown> }>;
  let eventA: EventRecord; // adm1's, with a secret of their own
  let eventB: EventRecord; // adm2's, with a secret of their own
  let eventC: EventRecord; // adm3's, on the project-wide secret

  const joined = (event: EventRecord, connectionId: string) =>
    connectionCallback(event, "connectionCreated", connectionId, { participantId: `fan-${connectionId}` }, T0 + 1000);
  const raw = (body: unknown) => Buffer.from(JSON.stringify(body));
  const signedBy = (body: unknown, secret?: string) => `Bearer ${sign(raw(body), {}, secret)}`;

  beforeEach(async () => {
    const auth = useFakeAuth();
    eventA = await liveEventForCallbacks(); // resets the database; adm1's live show
    for (const [uid, superAdmin] of [
      ["sup1", true],
      ["adm1", false],
      ["adm2", false],
      ["adm3", false],
    ] as const) {
      await seedAdmin(uid, { superAdmin });
      await auth.createUser({ uid, email: `${uid}@example.com` });
    }
    eventB = await seedEvent("adm2", { status: "live", showStartedAt: T0 });
    eventC = await seedEvent("adm3", { status: "live", showStartedAt: T0 });
    await asSuperAdmin({ id: "adm1", vonageCallbackSecret: SECRET_A });
    await asSuperAdmin({ id: "adm2", vonageCallbackSecret: SECRET_B });
    forgetCallbackKey("adm3");
  });

  it("stores the secret sealed and never answers it; the profile only says that one is set", async () => {
    const { admin } = await asSuperAdmin({ id: "adm1", displayName: "Ada" });
    assert.equal(admin.hasOwnCallbackSigning, true);
    assertNoSecrets(admin, [SECRET_A]);
    const stored = (await db().ref("adminCallbackSecrets/adm1").once("value")).val() as { secret: string };
    assert.match(stored.secret, /^v1\./);
    assertNoSecrets(await everything(), [SECRET_A, SECRET_B]);
    assert.equal((await db().ref("admins/adm3/hasOwnCallbackSigning").once("value")).val(), null);
  });

  it("verifies a tenant's callbacks with their own secret when the URL names them", async () => {
    const body = joined(eventA, "a1");
    const res = await post(body, { authorization: signedBy(body, SECRET_A), query: { tenant: "adm1" } });
    assert.equal(res.statusCode, 200);
    assert.equal(outcome(res), "applied");
    assert.ok((await db().ref(`attendance/${eventA.id}/connections/a1`).once("value")).exists());
  });

  it("refuses (401) a tenant URL signed with the project-wide or another tenant's secret, before parsing the body", async () => {
    const before = await everything();
    const body = joined(eventA, "a2");
    for (const secret of [undefined, SECRET_B]) {
      const res = await post(body, { authorization: signedBy(body, secret), query: { tenant: "adm1" } });
      assert.equal(res.statusCode, 401);
    }
    const notJson = await post("not json", { authorization: signedBy("not json", SECRET_B), query: { tenant: "adm1" } });
    assert.equal(notJson.statusCode, 401, "the signature is checked before the body is parsed");
    for (const tenant of ["../adm1", ["adm1", "adm2"], ""]) {
      assert.equal((await post(body, { authorization: signedBy(body, SECRET_A), query: { tenant } })).statusCode, 401);
    }
    assert.deepEqual(await everything(), before);
  });

  it("refuses (403) a callback signed by tenant A about tenant B's session, and changes nothing", async () => {
    const before = await everything();
    const aboutB = joined(eventB, "b1");
    const res = await post(aboutB, { authorization: signedBy(aboutB, SECRET_A), query: { tenant: "adm1" } });
    assert.equal(res.statusCode, 403);
    // A URL naming B with A's secret fails the signature.
    assert.equal((await post(aboutB, { authorization: signedBy(aboutB, SECRET_A), query: { tenant: "adm2" } })).statusCode, 401);
    // The project-wide secret does not speak for a tenant with a secret of their own, with or without a tenant URL.
    assert.equal((await post(aboutB, { authorization: signedBy(aboutB) })).statusCode, 403);
    assert.equal((await post(aboutB, { authorization: signedBy(aboutB), query: { tenant: "adm3" } })).statusCode, 403);
    // A tenant without a secret (adm3) cannot report on A's sessions through the project-wide secret either.
    const aboutA = joined(eventA, "a3");
    assert.equal((await post(aboutA, { authorization: signedBy(aboutA), query: { tenant: "adm3" } })).statusCode, 403);
    assert.deepEqual(await everything(), before);
  });

  it("falls back to the project-wide secret for a tenant without one (URL with or without the tenant)", async () => {
    const body = joined(eventC, "c1");
    assert.equal((await post(body, { authorization: signedBy(body) })).statusCode, 200);
    const again = joined(eventC, "c2");
    assert.equal((await post(again, { authorization: signedBy(again), query: { tenant: "adm3" } })).statusCode, 200);
    assert.equal((await post(again, { authorization: signedBy(again, SECRET_A), query: { tenant: "adm3" } })).statusCode, 401);
  });

  it("updateAdmin replaces and clears the secret, effective at once on this instance (the cached key is forgotten)", async () => {
    const NEXT = "tenant-a-next-signature-secret-000";
    await tenantCallbackKey("adm1"); // cached
    await asSuperAdmin({ id: "adm1", vonageCallbackSecret: NEXT });
    const body = joined(eventA, "a4");
    assert.equal((await post(body, { authorization: signedBy(body, SECRET_A), query: { tenant: "adm1" } })).statusCode, 401);
    assert.equal((await post(body, { authorization: signedBy(body, NEXT), query: { tenant: "adm1" } })).statusCode, 200);

    const { admin } = await asSuperAdmin({ id: "adm1", clearVonageCallbackSecret: true });
    assert.equal(admin.hasOwnCallbackSigning, false);
    assert.equal((await db().ref("adminCallbackSecrets/adm1/secret").once("value")).val(), null);
    const later = joined(eventA, "a5");
    assert.equal((await post(later, { authorization: signedBy(later, NEXT), query: { tenant: "adm1" } })).statusCode, 401);
    assert.equal((await post(later, { authorization: signedBy(later), query: { tenant: "adm1" } })).statusCode, 200);
  });

  it("bounds the secret's length and refuses a secret with its clearing flag", async () => {
    await expectHttpsError(asSuperAdmin({ id: "adm1", vonageCallbackSecret: "short" }), "invalid-argument");
    await expectHttpsError(asSuperAdmin({ id: "adm1", vonageCallbackSecret: "x".repeat(257) }), "invalid-argument");
    await expectHttpsError(asSuperAdmin({ id: "adm1", vonageCallbackSecret: "has spaces in it, sixteen+" }), "invalid-argument");
    await expectHttpsError(
      asSuperAdmin({ id: "adm1", vonageCallbackSecret: SECRET_A, clearVonageCallbackSecret: true }),
      "invalid-argument",
    );
  });

  it("createAdmin takes the secret too; deleting the admin drops it", async () => {
    const { admin } = (await create({
      data: { displayName: "Cy", email: "cy@example.com", password: "cy-password-1", vonageCallbackSecret: SECRET_B },
      auth: authFor("sup1", { role: "admin", superAdmin: true }),
    } as never)) as { admin: Record<string, unknown> };
    assert.equal(admin.hasOwnCallbackSigning, true);
    assertNoSecrets(admin, [SECRET_B]);
    assert.ok((await tenantCallbackKey(admin.id as string)) !== null);

    await testVonage();
    process.env.IMAGE_DELETIONS_TO_DATABASE = "true"; // as deleteAdmin's suite: no Storage here
    try {
      await remove({ data: { id: "adm1" }, auth: authFor("sup1", { role: "admin", superAdmin: true }) } as never);
    } finally {
      delete process.env.IMAGE_DELETIONS_TO_DATABASE;
    }
    assert.equal((await db().ref("adminCallbackSecrets/adm1").once("value")).val(), null);
    assert.equal(await tenantCallbackKey("adm1"), null);
  });
});
