import assert from "node:assert/strict";
import { expectHttpsError, fft } from "../../testing/harness";
import { eventIn, lifecycleWorld } from "../../testing/lifecycleFixtures";
import { getEventsByAdmin } from "./getEventsByAdmin";

/** The public fields as docs/lifecycle.md lists them (not the code's own list, which this test checks). */
const PUBLIC_FIELDS = [
  "id",
  "adminId",
  "name",
  "fanUrl",
  "status",
  "dateTimeStart",
  "dateTimeEnd",
  "startImage",
  "endImage",
  "redirectUrl",
];

describe("events/getEventsByAdmin", () => {
  const call = fft.wrap(getEventsByAdmin);

  beforeEach(async () => {
    await lifecycleWorld();
  });

  it("IBS flaws 5 and 7: anyone gets the open events, oldest first, with public fields only (no secrets, no session ids)", async () => {
    const first = await eventIn("live", { rtmpOutputs: [{ serverUrl: "rtmp://x.com/app", streamName: "secret-key" }] });
    await eventIn("closed");
    const second = await eventIn("notStarted");
    const list = (await call({ data: { adminId: "adm1" } } as never)) as Array<Record<string, unknown>>;
    assert.deepEqual(
      list.map((event) => event.id),
      [first.id, second.id],
    );
    for (const event of list) {
      for (const key of Object.keys(event)) assert.ok(PUBLIC_FIELDS.includes(key), key);
    }
    const text = JSON.stringify(list);
    for (const secret of [first.hostUrl, first.celebrityUrl, first.sessionId, first.stageSessionId, "secret-key", first.broadcast!.id!]) {
      assert.ok(!text.includes(secret));
    }
    assert.deepEqual(await call({ data: { adminId: "nobody" } } as never), []);
    await expectHttpsError(call({ data: {} } as never), "invalid-argument");
  });
});
