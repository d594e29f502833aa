import assert from "node:assert/strict";
import { fft } from "../../testing/harness";
import { eventIn, lifecycleWorld } from "../../testing/lifecycleFixtures";
import { getMostRecentEvent } from "./getMostRecentEvent";

describe("events/getMostRecentEvent", () => {
  const call = fft.wrap(getMostRecentEvent);
  const current = async () => (await call({ data: { adminId: "adm1" } } as never)) as Record<string, unknown> | null;

  beforeEach(async () => {
    await lifecycleWorld();
  });

  it("IBS flaw 19: the NEWEST live event, else the newest preshow one, public fields only; null when none", async () => {
    assert.equal(await current(), null);
    await eventIn("notStarted");
    await eventIn("closed");
    assert.equal(await current(), null);
    const olderPreshow = await eventIn("preshow");
    const newerPreshow = await eventIn("preshow");
    assert.equal((await current())!.id, newerPreshow.id);
    const olderLive = await eventIn("live");
    const newerLive = await eventIn("live");
    const found = (await current())!;
    assert.equal(found.id, newerLive.id);
    assert.notEqual(found.id, olderLive.id);
    assert.notEqual(found.id, olderPreshow.id);
    assert.equal(found.hostUrl, undefined);
    assert.equal(found.stageSessionId, undefined);
  });
});
