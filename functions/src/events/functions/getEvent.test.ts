import assert from "node:assert/strict";
import { expectHttpsError, fft } from "../../testing/harness";
import { asAdmin, asFan, asSuperAdmin, eventIn, lifecycleWorld } from "../../testing/lifecycleFixtures";
import { getEvent } from "./getEvent";

describe("events/getEvent", () => {
  const call = fft.wrap(getEvent);

  beforeEach(async () => {
    await lifecycleWorld();
  });

  it("returns the full event to its owner and to a superAdmin only", async () => {
    const event = await eventIn("preshow");
    const mine = (await call({ data: { id: event.id }, auth: asAdmin("adm1") } as never)) as unknown as Record<string, unknown>;
    assert.equal(mine.hostUrl, event.hostUrl);
    assert.equal(mine.stageSessionId, event.stageSessionId);
    assert.equal(((await call({ data: { id: event.id }, auth: asSuperAdmin("root") } as never)) as { id: string }).id, event.id);
    await expectHttpsError(call({ data: { id: event.id }, auth: asAdmin("adm2") } as never), "permission-denied");
    await expectHttpsError(call({ data: { id: event.id }, auth: asFan("f", "adm1", event.id) } as never), "permission-denied");
    await expectHttpsError(call({ data: { id: "missing" }, auth: asAdmin("adm1") } as never), "not-found");
    await expectHttpsError(call({ data: { id: "a/b" }, auth: asAdmin("adm1") } as never), "invalid-argument");
  });
});
