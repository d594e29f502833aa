/**
 * Two updateAdmin calls at once, each changing the profile and the credential: the end state is one of
 * the two updates, whole, in the record and in the stored credential (never one's display name with
 * the other's key), and the retired credential an open show uses is kept.
 */
import assert from "node:assert/strict";
import { authFor, fft, LOCAL_VONAGE, resetDatabase, useFakeAuth } from "../testing/harness";
import { seedAdmin, seedEvent } from "../testing/fixtures";
import { testVonage, type TestVonage } from "../testing/vonageStandin";
import { db } from "../platform/firebase";
import { updateAdmin } from "./functions/updateAdmin";

const project = (n: number) => ({ apiKey: `4720000${n}`, apiSecret: `race0update0secret00000000000000000000${n}` });
const UPDATES = [
  { name: "Update A", hls: false, ...project(1) },
  { name: "Update B", hls: true, ...project(2) },
];

describe("admins/updateAdmin: two whole updates at once end as one of them", function () {
  this.timeout(120_000);
  const call = fft.wrap(updateAdmin);
  const update = (data: unknown) => call({ data, auth: authFor("sup1", { role: "admin", superAdmin: true }) } as never);
  let vonage: TestVonage;

  before(async () => {
    vonage = await testVonage();
    for (const { apiKey, apiSecret } of UPDATES) vonage.addProject(apiKey, apiSecret);
  });
  afterEach(() => vonage.clearFaults());

  /**
   * Holds the `held`-th write (update or transaction) touching adm1's record or credential by 150 ms,
   * whichever step of whichever call it is: one round per position, so every step of one update gets
   * overtaken by the other update once, whatever order the implementation writes in.
   */
  function holdWrite(held: number): () => void {
    const proto = Object.getPrototypeOf(db().ref()) as Record<string, (...args: unknown[]) => Promise<unknown>>;
    const originals = { update: proto.update, transaction: proto.transaction };
    let seen = 0;
    for (const method of ["update", "transaction"] as const) {
      proto[method] = async function (this: { toString(): string }, ...args: unknown[]) {
        const where = `${decodeURIComponent(new URL(this.toString()).pathname)} ${method === "update" ? JSON.stringify(Object.keys(args[0] as object)) : ""}`;
        if (/adm1/.test(where) && seen++ === held) await new Promise((resolve) => setTimeout(resolve, 150));
        return originals[method].apply(this, args);
      };
    }
    return () => Object.assign(proto, originals);
  }

  for (const held of [0, 1, 2, 3, 4, 5]) {
    it(`write ${held} held back: record and credential come from the same update`, async () => {
      const auth = useFakeAuth();
      await resetDatabase();
      await seedAdmin("sup1", { superAdmin: true });
      await seedAdmin("adm1", { hls: true });
      await auth.createUser({ uid: "adm1", email: "adm1@example.com" });
      await seedEvent("adm1", { status: "preshow", vonage: { kind: "legacy", id: LOCAL_VONAGE.apiKey } });
      const release = holdWrite(held);
      try {
        await Promise.all(
          UPDATES.map((u) => update({ id: "adm1", displayName: u.name, hls: u.hls, otApiKey: u.apiKey, otSecret: u.apiSecret })),
        );
      } finally {
        release();
      }

      const record = (await db().ref("admins/adm1").once("value")).val();
      const stored = (await db().ref("adminCredentials/adm1").once("value")).val();
      const winner = UPDATES.find((u) => u.name === record.displayName);
      assert.ok(winner, `the record's name is one of the updates': ${record.displayName}`);
      assert.equal(record.hls, winner.hls, "the record's flags are the same update's");
      assert.equal(record.otApiKey, winner.apiKey, "the record's key is the same update's");
      assert.equal(stored.id, winner.apiKey, "the stored credential is the same update's");
      assert.ok(
        Object.keys(stored.retired ?? {}).includes(`legacy:${LOCAL_VONAGE.apiKey}`),
        "the credential the open show uses stays retired, not lost",
      );
    });
  }
});
