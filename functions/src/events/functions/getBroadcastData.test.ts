import assert from "node:assert/strict";
import { expectHttpsError, fft } from "../../testing/harness";
import { asAdmin, createAs, eventIn, lifecycleWorld, statusAs } from "../../testing/lifecycleFixtures";
import { getBroadcastData } from "./getBroadcastData";

describe("broadcast/getBroadcastData", () => {
  const call = fft.wrap(getBroadcastData);
  const data = async (input: Record<string, unknown>) => (await call({ data: input } as never)) as Record<string, unknown>;

  beforeEach(async () => {
    await lifecycleWorld({ drainSeconds: 30 });
  });

  it("gives name, status and images to anyone, and the HLS URL only while live with the broadcast started", async () => {
    const image = { id: "eventImages/adm1/s.png", url: "https://cdn.example.com/s.png" };
    const event = await eventIn("preshow", { fanUrl: "hls-show", startImage: image });
    const preshow = await data({ adminId: "adm1", slug: "hls-show" });
    assert.deepEqual(preshow, {
      eventId: event.id,
      adminId: "adm1",
      name: event.name,
      status: "preshow",
      startImage: image,
      endImage: null,
      hlsEnabled: true,
      hlsUrl: null,
      hlsStartedAt: null,
    });
    const live = await statusAs(asAdmin("adm1"), event.id, "live");
    const during = await data({ eventId: event.id });
    assert.equal(during.hlsUrl, live.broadcast?.hlsUrl);
    assert.equal(typeof during.hlsStartedAt, "number");
    assert.doesNotMatch(
      JSON.stringify(during),
      new RegExp(`${event.hostUrl}|${event.celebrityUrl}|${event.stageSessionId}|${event.sessionId}`),
    );
    await statusAs(asAdmin("adm1"), event.id, "closed");
    const after = await data({ adminId: "adm1", slug: "hls-show" });
    assert.equal(after.status, "closed");
    assert.equal(after.hlsUrl, null);
  });

  it("says HLS is off for an admin without it; unknown events are not-found; input is one of the two shapes", async () => {
    const event = await createAs(asAdmin("adm2"), { name: "No HLS" });
    assert.equal((await data({ eventId: event.id })).hlsEnabled, false);
    await expectHttpsError(call({ data: { eventId: "nope" } } as never), "not-found");
    await expectHttpsError(call({ data: { adminId: "adm1", slug: "nope" } } as never), "not-found");
    await expectHttpsError(call({ data: { adminId: "adm1" } } as never), "invalid-argument");
    await expectHttpsError(call({ data: { eventId: event.id, adminId: "adm1" } } as never), "invalid-argument");
  });
});
