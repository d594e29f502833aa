import assert from "node:assert/strict";
import { fft } from "../../testing/harness";
import { asAdmin, createAs, eventIn, lifecycleWorld, statusAs, stored } from "../../testing/lifecycleFixtures";
import { db } from "../../platform/firebase";
import type { EventRecord } from "../model";
import { getEvent } from "./getEvent";
import { getEvents } from "./getEvents";
import { updateEvent } from "./updateEvent";

const image = (name: string) => ({ id: `eventImages/adm1/${name}`, url: `https://cdn.example.com/${name}` });

/** The server's bookkeeping that `OwnerEvent` (contract/callables/events.ts) leaves out. */
function assertOwnerView(answer: Record<string, unknown>, what: string): void {
  assert.equal("imagesClosedAt" in answer, false, `${what}: no imagesClosedAt`);
  const lifecycle = answer.lifecycle as Record<string, unknown> | null | undefined;
  if (lifecycle) {
    assert.equal("lease" in lifecycle, false, `${what}: no lifecycle.lease`);
    assert.equal("unfinishedSince" in lifecycle, false, `${what}: no lifecycle.unfinishedSince`);
  }
}

describe("events: the owner's view of an event is what the contract says", () => {
  const callGet = fft.wrap(getEvent);
  const callGetAll = fft.wrap(getEvents);
  const callUpdate = fft.wrap(updateEvent);

  beforeEach(async () => {
    await lifecycleWorld();
  });

  it("the lease, the backstop mark and the image-cleanup mark stay on the server; the rest of the record is answered", async () => {
    const event = await eventIn("notStarted", { startImage: image("s.png") });
    const closed = await statusAs(asAdmin("adm1"), event.id, "closed");
    assertOwnerView(closed, "changeStatus");
    assert.equal(closed.status, "closed");
    assert.deepEqual(closed.startImage, image("s.png"));

    // A run in progress: the stored record has a lease and a backstop mark.
    const other = await createAs(asAdmin("adm1"), { name: "Leased" });
    await db()
      .ref(`events/${other.id}/lifecycle`)
      .set({
        target: "preshow",
        pending: ["commit"],
        lease: { id: "busy", until: Date.now() + 60_000 },
        unfinishedSince: 5,
        startedAt: 1,
        updatedAt: 1,
      });
    const storedClosed = await stored<EventRecord>(`events/${event.id}`);
    assert.equal(typeof storedClosed.imagesClosedAt, "number", "the close marked the images for cleanup");
    assert.ok((await stored<EventRecord>(`events/${other.id}`)).lifecycle?.lease, "the lease is stored");

    const got = (await callGet({ data: { id: other.id }, auth: asAdmin("adm1") } as never)) as Record<string, unknown>;
    assertOwnerView(got, "getEvent");
    assert.deepEqual(got.lifecycle, { target: "preshow", pending: ["commit"], startedAt: 1, updatedAt: 1 });

    const all = (await callGetAll({ data: {}, auth: asAdmin("adm1") } as never)) as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(all).sort(), [event.id, other.id].sort());
    for (const [id, answer] of Object.entries(all)) assertOwnerView(answer, `getEvents[${id}]`);
    assert.equal(all[event.id].status, "closed");

    // An update answers the record it stored; an old run's lease left behind is not part of it.
    const third = await createAs(asAdmin("adm1"), { name: "Third" });
    await db()
      .ref(`events/${third.id}/lifecycle`)
      .set({ target: "notStarted", lease: { id: "old", until: 1 }, startedAt: 1, updatedAt: 1 });
    const updated = (await callUpdate({ data: { id: third.id, name: "Renamed" }, auth: asAdmin("adm1") } as never)) as Record<
      string,
      unknown
    >;
    assertOwnerView(updated, "updateEvent");
    assert.equal(updated.name, "Renamed");
  });
});
