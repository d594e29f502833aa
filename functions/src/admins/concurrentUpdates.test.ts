import assert from "node:assert/strict";
import { authFor, fft, LOCAL_VONAGE, resetDatabase, useFakeAuth } from "../testing/harness";
import { seedAdmin, seedEvent } from "../testing/fixtures";
import { testVonage, type TestVonage } from "../testing/vonageStandin";
import { db } from "../platform/firebase";
import { eventCredentials, forgetCredentials } from "./tenants";
import { updateAdmin } from "./functions/updateAdmin";

const project = (n: number) => ({ apiKey: `4710000${n}`, apiSecret: `concurrent0update0secret000000000000000${n}` });
const [Z, W] = [project(1), project(2)];

describe("admins/updateAdmin: two credential changes at once", () => {
  const call = fft.wrap(updateAdmin);
  const update = (data: unknown) => call({ data, auth: authFor("sup1", { role: "admin", superAdmin: true }) } as never);
  let vonage: TestVonage;

  before(async () => {
    vonage = await testVonage();
    for (const { apiKey, apiSecret } of [Z, W]) vonage.addProject(apiKey, apiSecret);
  });
  afterEach(() => vonage.clearFaults());

  beforeEach(async () => {
    const auth = useFakeAuth();
    await resetDatabase();
    await seedAdmin("sup1", { superAdmin: true });
    await seedAdmin("adm1"); // the local project's pair is adm1's own credential
    await auth.createUser({ uid: "adm1", email: "adm1@example.com" });
  });

  it("never loses a credential an event uses: the one replaced is what is stored at commit, not at the call's start", async () => {
    const onLocal = await seedEvent("adm1", { status: "preshow", vonage: { kind: "legacy", id: LOCAL_VONAGE.apiKey } });
    // The switch to W is held in its Vonage check while the switch to Z commits and a show is made with Z.
    vonage.injectFault({ pathRegex: `/project/${W.apiKey}/`, delayMs: 1500, count: 1 });
    const toW = update({ id: "adm1", otApiKey: W.apiKey, otSecret: W.apiSecret });
    await update({ id: "adm1", otApiKey: Z.apiKey, otSecret: Z.apiSecret });
    const onZ = await seedEvent("adm1", { status: "preshow", vonage: { kind: "legacy", id: Z.apiKey } });
    await toW;

    const stored = (await db().ref("adminCredentials/adm1").once("value")).val();
    assert.equal(stored.id, W.apiKey, "the later commit is current");
    assert.deepEqual(Object.keys(stored.retired ?? {}).sort(), [`legacy:${LOCAL_VONAGE.apiKey}`, `legacy:${Z.apiKey}`].sort());
    forgetCredentials("adm1");
    for (const [event, apiKey] of [
      [onLocal, LOCAL_VONAGE.apiKey],
      [onZ, Z.apiKey],
    ] as const) {
      const credential = await eventCredentials(event);
      assert.equal(credential.kind === "legacy" ? credential.apiKey : "", apiKey, "each open show keeps its credential");
    }
  });
});
