/**
 * Two updateAdmin calls at once, one setting the admin's callback signing secret and one clearing it,
 * the older (first-numbered) one committing its secret last: the secret node, the profile's
 * `hasOwnCallbackSigning` and the verifying key all end as the newer update said (issue #16: the
 * secret used to be written after the revision-checked commits, so the slower update won).
 */
import assert from "node:assert/strict";
import { authFor, fft, resetDatabase, useFakeAuth } from "../testing/harness";
import { seedAdmin } from "../testing/fixtures";
import { db } from "../platform/firebase";
import { forgetCallbackKey, tenantCallbackKey } from "./callbackSecret";
import { updateAdmin } from "./functions/updateAdmin";

const SECRET = "race-callback-signature-secret-0123456789";
const SET = { vonageCallbackSecret: SECRET };
const CLEAR = { clearVonageCallbackSecret: true };

type Gate = { promise: Promise<void>; open: () => void };
function gate(): Gate {
  let open = () => {};
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe("admins/updateAdmin: racing callback-secret updates end as the newer one", function () {
  this.timeout(60_000);
  const call = fft.wrap(updateAdmin);
  const update = (data: unknown) => call({ data, auth: authFor("sup1", { role: "admin", superAdmin: true }) } as never);

  /**
   * Orders the race: the first profile write to adm1 (the older update's) resolves `olderNumbered`; the
   * first write touching adm1's callback secret node (the older update's, whichever call it makes)
   * waits for `newerDone`. Answers the restore function.
   */
  function orderRace(olderNumbered: Gate, newerDone: Gate): () => void {
    const proto = Object.getPrototypeOf(db().ref()) as Record<string, (...args: unknown[]) => Promise<unknown>>;
    const originals = { update: proto.update, transaction: proto.transaction, set: proto.set };
    let profileWrites = 0;
    let secretWrites = 0;
    for (const method of ["update", "transaction", "set"] as const) {
      proto[method] = async function (this: { toString(): string }, ...args: unknown[]) {
        const keys = method === "update" ? Object.keys(args[0] as object).join(" ") : "";
        const where = `${decodeURIComponent(new URL(this.toString()).pathname)} ${keys}`;
        const secretWrite = /adminCallbackSecrets\/adm1/.test(where);
        if (secretWrite && secretWrites++ === 0) await newerDone.promise;
        const result = await originals[method].apply(this, args);
        if (!secretWrite && /admins\/adm1/.test(where) && profileWrites++ === 0) olderNumbered.open();
        return result;
      };
    }
    return () => Object.assign(proto, originals);
  }

  const cases = [
    { older: SET, newer: CLEAR, expected: false },
    { older: CLEAR, newer: SET, expected: true },
  ];
  for (const { older, newer, expected } of cases) {
    const name = (change: object) => ("clearVonageCallbackSecret" in change ? "clearing" : "setting");
    it(`the older update ${name(older)} the secret commits last: the newer one ${name(newer)} it stands`, async () => {
      const auth = useFakeAuth();
      await resetDatabase();
      await seedAdmin("sup1", { superAdmin: true });
      await seedAdmin("adm1");
      await auth.createUser({ uid: "adm1", email: "adm1@example.com" });
      // The starting state is the opposite of the newer update's, so a lost newer update shows.
      await update({ id: "adm1", ...older });
      forgetCallbackKey("adm1");

      const olderNumbered = gate();
      const newerDone = gate();
      const restore = orderRace(olderNumbered, newerDone);
      try {
        const olderCall = update({ id: "adm1", displayName: "Older", ...older });
        await olderNumbered.promise; // its profile holds the lower revision
        await update({ id: "adm1", displayName: "Newer", ...newer });
        newerDone.open();
        await olderCall;
      } finally {
        restore();
      }

      const record = (await db().ref("admins/adm1").once("value")).val() as Record<string, unknown>;
      const stored = (await db().ref("adminCallbackSecrets/adm1").once("value")).val() as { secret?: string } | null;
      assert.equal(record.displayName, "Newer", "the newer update numbered the profile last");
      assert.equal(record.hasOwnCallbackSigning, expected, "the profile's flag is the newer update's");
      assert.equal(typeof stored?.secret === "string", expected, "the secret node is the newer update's");
      forgetCallbackKey("adm1");
      assert.equal((await tenantCallbackKey("adm1")) !== null, expected, "callbacks are verified as the newer update said");
    });
  }
});
