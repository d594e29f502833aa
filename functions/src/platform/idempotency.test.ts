import assert from "node:assert/strict";
import { db } from "./firebase";
import { expectHttpsError, resetDatabase } from "../testing/harness";
import { createOnce, REQUEST_ID_TTL_MS } from "./idempotency";

describe("platform/idempotency", () => {
  let created: string[];
  const make = (id: string) => async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    created.push(id);
    return { id };
  };
  const load = async (id: string) => (created.includes(id) ? { id } : null);
  const once = (requestId: string | undefined, id: string, now?: number) =>
    createOnce("probe", "caller1", requestId, make(id), (result) => result.id, load, now);

  beforeEach(async () => {
    await resetDatabase();
    created = [];
  });

  it("a retry with the same request id answers the first result; concurrent retries create once", async () => {
    const answers = await Promise.all([once("request-0001", "a"), once("request-0001", "b"), once("request-0001", "c")]);
    assert.deepEqual(created.length, 1);
    assert.deepEqual(new Set(answers.map((answer) => answer.id)).size, 1);
    assert.deepEqual(await once("request-0001", "d"), answers[0]);
    assert.deepEqual((await once("request-0002", "e")).id, "e", "another id creates");
    assert.deepEqual((await once(undefined, "f")).id, "f");
    assert.deepEqual((await once(undefined, "g")).id, "g", "without an id every call creates");
  });

  it("a failed first call gives its claim back, so the retry creates", async () => {
    await assert.rejects(
      createOnce<{ id: string }>(
        "probe",
        "caller1",
        "request-0003",
        () => Promise.reject(new Error("boom")),
        (r) => r.id,
        load,
      ),
    );
    assert.equal((await once("request-0003", "h")).id, "h");
  });

  it("claims expire after the TTL and are pruned (bounded storage); what the first call made being gone is failed-precondition", async () => {
    const long = Date.now() - 2 * REQUEST_ID_TTL_MS;
    await once("request-0004", "i", long);
    await once("request-0005", "j");
    const claims = ((await db().ref("clientRequests/caller1").get()).val() ?? {}) as Record<string, { at: number }>;
    assert.equal(Object.keys(claims).length, 1, "the expired claim was deleted");
    assert.equal((await once("request-0004", "k")).id, "k", "an expired id creates anew");
    created = created.filter((id) => id !== "j");
    await expectHttpsError(once("request-0005", "l"), "failed-precondition");
  });
});
