import assert from "node:assert/strict";
import { expectHttpsError, fft } from "../../testing/harness";
import { asAdmin, asFan, asSuperAdmin, eventIn, imageDeletions, lifecycleWorld, stored } from "../../testing/lifecycleFixtures";
import { updateEvent } from "./updateEvent";
import { db } from "../../platform/firebase";
import type { EventRecord } from "../model";

const image = (name: string, admin = "adm1") => ({ id: `eventImages/${admin}/${name}`, url: `https://cdn.example.com/${name}` });

describe("events/updateEvent", () => {
  const call = fft.wrap(updateEvent);
  const update = (data: Record<string, unknown>, auth = asAdmin("adm1")) => call({ data, auth } as never) as Promise<EventRecord>;

  beforeEach(async () => {
    await lifecycleWorld();
  });

  it("changes only the given fields and keeps the derived nodes in step", async () => {
    const event = await eventIn("notStarted", { redirectUrl: "https://example.com/a", interactiveLimit: 5 });
    const updated = await update({ id: event.id, name: "Renamed", redirectUrl: null, interactiveLimit: 9 });
    assert.equal(updated.name, "Renamed");
    assert.equal(updated.redirectUrl, undefined);
    assert.equal(updated.interactiveLimit, 9);
    assert.equal(updated.hostUrl, event.hostUrl);
    assert.deepEqual(await stored(`events/${event.id}`), updated);
    assert.equal((await stored<{ name: string }>(`eventKeys/adm1/host/${event.hostUrl}`)).name, "Renamed");
    assert.equal((await stored<{ limit: number }>(`stageGates/${event.id}`)).limit, 9);
  });

  it("moves the fan slug while notStarted (old key freed, new key claimed); refuses a slug in use", async () => {
    const event = await eventIn("notStarted");
    const other = await eventIn("notStarted");
    await expectHttpsError(update({ id: event.id, fanUrl: other.fanUrl }), "already-exists");
    assert.equal((await stored<{ eventId: string }>(`eventKeys/adm1/fan/${other.fanUrl}`)).eventId, other.id);
    const moved = await update({ id: event.id, fanUrl: "new-slug" });
    assert.equal(moved.fanUrl, "new-slug");
    assert.equal(await stored(`eventKeys/adm1/fan/${event.fanUrl}`), null);
    assert.equal((await stored<{ eventId: string }>("eventKeys/adm1/fan/new-slug")).eventId, event.id);
  });

  it("refuses a slug change after notStarted, settings changes while live, and any change once closed; nothing is stored", async () => {
    const preshow = await eventIn("preshow");
    await expectHttpsError(update({ id: preshow.id, fanUrl: "other-slug" }), "failed-precondition");
    assert.equal(await stored("eventKeys/adm1/fan/other-slug"), null, "no claim left behind");
    assert.equal((await stored<EventRecord>(`events/${preshow.id}`)).fanUrl, preshow.fanUrl);
    const live = await eventIn("live");
    for (const change of [
      { archiveEvent: true },
      { uncomposed: true },
      { rtmpOutputs: [{ serverUrl: "rtmp://x.com/a", streamName: "k" }] },
    ]) {
      await expectHttpsError(update({ id: live.id, ...change }), "failed-precondition");
    }
    const closed = await eventIn("closed");
    const before = await stored(`events/${closed.id}`);
    await expectHttpsError(update({ id: closed.id, name: "Too late" }), "failed-precondition");
    assert.deepEqual(await stored(`events/${closed.id}`), before);
    const liveStored = await stored<EventRecord>(`events/${live.id}`);
    assert.equal(liveStored.archiveEvent, false);
  });

  it("changes the interactive limit while the show runs: seat gate, live record and event agree", async () => {
    const event = await eventIn("live", { interactiveLimit: 10 });
    await db().ref(`activeBroadcasts/adm1/${event.fanUrl}/activeFans/f1-x`).set({ id: "f1-x" });
    await update({ id: event.id, interactiveLimit: 25, name: "Bigger" });
    assert.equal((await stored<EventRecord>(`events/${event.id}`)).interactiveLimit, 25);
    assert.equal((await stored<{ limit: number }>(`stageGates/${event.id}`)).limit, 25);
    const record = await stored<Record<string, unknown>>(`activeBroadcasts/adm1/${event.fanUrl}`);
    assert.equal(record.interactiveLimit, 25);
    assert.equal(record.name, "Bigger");
    assert.equal(record.status, "live");
    assert.deepEqual(record.activeFans, { "f1-x": { id: "f1-x" } }, "fans untouched");
  });

  it("IBS flaw 16: deletes a replaced image, never an unchanged one", async () => {
    const event = await eventIn("notStarted", { startImage: image("a.png"), endImage: image("b.png") });
    await update({ id: event.id, name: "Same images", startImage: image("a.png"), endImage: image("b.png") });
    assert.deepEqual(await imageDeletions(), []);
    await update({ id: event.id, startImage: image("c.png") });
    assert.deepEqual(await imageDeletions(), ["eventImages/adm1/a.png"]);
    await update({ id: event.id, endImage: null });
    assert.deepEqual((await imageDeletions()).sort(), ["eventImages/adm1/a.png", "eventImages/adm1/b.png"]);
    const saved = await stored<EventRecord>(`events/${event.id}`);
    assert.deepEqual(saved.startImage, image("c.png"));
    assert.equal(saved.endImage, undefined);
  });

  it("only the owner or a superAdmin updates; images must be in the owner's folder", async () => {
    const event = await eventIn("notStarted");
    await expectHttpsError(update({ id: event.id, name: "Hijack" }, asAdmin("adm2")), "permission-denied");
    await expectHttpsError(update({ id: event.id, name: "Hijack" }, asFan("f1", "adm1", event.id)), "permission-denied");
    await expectHttpsError(update({ id: event.id, startImage: image("x.png", "adm2") }), "invalid-argument");
    await expectHttpsError(update({ id: event.id, status: "live" }), "invalid-argument");
    await expectHttpsError(update({ id: event.id, hostUrl: "guessable" }), "invalid-argument");
    await expectHttpsError(update({ id: "nope", name: "X" }), "not-found");
    assert.equal((await stored<EventRecord>(`events/${event.id}`)).name, event.name);
    assert.equal((await update({ id: event.id, name: "By root" }, asSuperAdmin("root"))).name, "By root");
  });
});
