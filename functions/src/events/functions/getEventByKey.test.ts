import assert from "node:assert/strict";
import { expectHttpsError, fft } from "../../testing/harness";
import { eventIn, lifecycleWorld } from "../../testing/lifecycleFixtures";
import { getEventByKey } from "./getEventByKey";

describe("events/getEventByKey", () => {
  const call = fft.wrap(getEventByKey);

  beforeEach(async () => {
    await lifecycleWorld();
  });

  it("finds an event by admin and fan slug, public fields only", async () => {
    const event = await eventIn("preshow", { fanUrl: "my-show" });
    const found = (await call({ data: { adminId: "adm1", slug: "my-show" } } as never)) as Record<string, unknown>;
    assert.equal(found.id, event.id);
    assert.equal(found.status, "preshow");
    assert.equal(found.hostUrl, undefined);
    assert.equal(found.sessionId, undefined);
    await expectHttpsError(call({ data: { adminId: "adm2", slug: "my-show" } } as never), "not-found");
    await expectHttpsError(call({ data: { adminId: "adm1", slug: "other" } } as never), "not-found");
  });

  it("a closed event is still found by its old link (so fans see the show ended) until a new event takes the slug", async () => {
    const closed = await eventIn("closed", { fanUrl: "reused" });
    assert.equal(((await call({ data: { adminId: "adm1", slug: "reused" } } as never)) as { id: string; status: string }).status, "closed");
    const next = await eventIn("notStarted", { fanUrl: "reused" });
    const found = (await call({ data: { adminId: "adm1", slug: "reused" } } as never)) as { id: string };
    assert.equal(found.id, next.id);
    assert.notEqual(found.id, closed.id);
  });
});
