import assert from "node:assert/strict";
import { asAdmin, eventIn, imageDeletions, lifecycleWorld, statusAs, stored } from "../../testing/lifecycleFixtures";
import { cleanupEventImages } from "./cleanupEventImages";
import { db } from "../../platform/firebase";
import type { EventRecord } from "../model";

const image = (name: string) => ({ id: `eventImages/adm1/${name}`, url: `https://cdn.example.com/${name}` });
const DAY = 24 * 3600 * 1000;

describe("scheduled/cleanupEventImages", () => {
  beforeEach(async () => {
    await lifecycleWorld();
  });

  it("IBS flaw 17: deletes the images of events closed longer than the retention and clears their fields", async () => {
    const old = await eventIn("notStarted", { startImage: image("old-s.png"), endImage: image("old-e.png") });
    await statusAs(asAdmin("adm1"), old.id, "closed");
    const recent = await eventIn("notStarted", { startImage: image("recent.png") });
    await statusAs(asAdmin("adm1"), recent.id, "closed");
    const open = await eventIn("live", { startImage: image("open.png") });
    assert.equal(typeof (await stored<EventRecord>(`events/${old.id}`)).imagesClosedAt, "number");
    await db()
      .ref(`events/${old.id}/imagesClosedAt`)
      .set(Date.now() - 4 * DAY);
    await db()
      .ref(`events/${recent.id}/imagesClosedAt`)
      .set(Date.now() - 2 * DAY);

    await cleanupEventImages.run({} as never);
    assert.deepEqual((await imageDeletions()).sort(), ["eventImages/adm1/old-e.png", "eventImages/adm1/old-s.png"]);
    const cleaned = await stored<EventRecord>(`events/${old.id}`);
    assert.equal(cleaned.startImage, undefined);
    assert.equal(cleaned.endImage, undefined);
    assert.equal(cleaned.imagesClosedAt, undefined, "off the index: the next run does not see it again");
    assert.equal((await stored<{ startImage?: unknown }>(`eventKeys/adm1/host/${old.hostUrl}`)).startImage, undefined);
    assert.ok((await stored<EventRecord>(`events/${recent.id}`)).startImage);
    assert.ok((await stored<EventRecord>(`events/${open.id}`)).startImage);

    await cleanupEventImages.run({} as never);
    assert.equal((await imageDeletions()).length, 2);
  });
});
