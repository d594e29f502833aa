import assert from "node:assert/strict";
import { expectHttpsError, fft } from "../../testing/harness";
import { asAdmin, asFan, asSuperAdmin, createAs, eventIn, lifecycleWorld } from "../../testing/lifecycleFixtures";
import { getEvents } from "./getEvents";

describe("events/getEvents", () => {
  const call = fft.wrap(getEvents);

  beforeEach(async () => {
    await lifecycleWorld();
  });

  it("lists the caller's own events (all statuses, full records) keyed by id; a superAdmin may name an admin", async () => {
    const a = await eventIn("closed");
    const b = await eventIn("notStarted");
    const other = await createAs(asAdmin("adm2"), { name: "Theirs" });
    const mine = (await call({ data: {}, auth: asAdmin("adm1") } as never)) as Record<string, { hostUrl: string }>;
    assert.deepEqual(Object.keys(mine).sort(), [a.id, b.id].sort());
    assert.equal(mine[b.id].hostUrl, b.hostUrl);
    const theirs = (await call({ data: { adminId: "adm2" }, auth: asSuperAdmin("root") } as never)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(theirs), [other.id]);
    await expectHttpsError(call({ data: { adminId: "adm2" }, auth: asAdmin("adm1") } as never), "permission-denied");
    await expectHttpsError(call({ data: {}, auth: asFan("f", "adm1", a.id) } as never), "permission-denied");
    assert.deepEqual(await call({ data: {}, auth: asAdmin("nobody") } as never), {});
  });
});
