/**
 * Regressions for the IBS flaws (docs/ibs-flaws.md) not already named in a function's own test: each
 * case is what the archived system got wrong, checked against this design.
 */
import assert from "node:assert/strict";
import { expectHttpsError, fft, resetDatabase, useFakeAuth, authFor } from "../testing/harness";
import { asAdmin, asFan, eventIn, lifecycleWorld, stored } from "../testing/lifecycleFixtures";
import { login } from "../access/functions/login";
import { createTokensFan } from "../seats/functions/createTokensFan";
import { createTokenProducer } from "../seats/functions/createTokenProducer";
import { changeStatus } from "../events/functions/changeStatus";
import { freshShow } from "../testing/fixtures";
import { db } from "../platform/firebase";
import { paths } from "../platform/paths";

describe("IBS flaw regressions (functions)", () => {
  it("IBS flaw 2: no environment setting skips authentication (NODE_ENV=development changes nothing)", async () => {
    useFakeAuth();
    await resetDatabase();
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = "development";
    try {
      await expectHttpsError(fft.wrap(login)({ data: {} } as never), "unauthenticated");
      await expectHttpsError(fft.wrap(login)({ data: {}, auth: authFor("anyone", {}, "anonymous") } as never), "permission-denied");
    } finally {
      process.env.NODE_ENV = previous;
    }
  });

  it("IBS flaw 15: closing a show that never archived stores no fake archive id or URL (no `archiveId: false`, no `archiveUrl: true`)", async () => {
    await lifecycleWorld();
    const event = await eventIn("live", { archiveEvent: false });
    const closed = await fft.wrap(changeStatus)({
      data: { id: event.id, status: "closed" },
      auth: asAdmin("adm1"),
    } as never);
    const storedEvent = await stored<Record<string, unknown>>(`events/${closed.id}`);
    for (const value of [
      storedEvent.archiveId,
      storedEvent.archiveUrl,
      (storedEvent.archive as { id?: unknown; url?: unknown } | undefined)?.id,
    ]) {
      assert.notEqual(typeof value, "boolean");
    }
    assert.ok(!storedEvent.archive || (storedEvent.archive as { status?: string }).status !== "started");
  });

  it("IBS flaw 25: a token call for an event that does not exist answers not-found, never internal", async () => {
    await lifecycleWorld();
    await expectHttpsError(fft.wrap(createTokensFan)({ data: {}, auth: asFan("fan1", "adm1", "no-such-event") } as never), "not-found");
    await expectHttpsError(
      fft.wrap(createTokenProducer)({ data: { eventId: "no-such-event" }, auth: asAdmin("adm1") } as never),
      "not-found",
    );
  });

  it("IBS flaw 10: an offer node saying `offered` (as a client would forge it) seats nobody: the seat is the server's hold", async () => {
    const event = await freshShow({ status: "live", interactiveLimit: 1 });
    const fan = (uid: string) => authFor(uid, { role: "fan", adminId: "adm1", eventId: event.id });
    const join = async (uid: string) => ((await fft.wrap(createTokensFan)({ data: {}, auth: fan(uid) } as never)) as { mode: string }).mode;
    assert.equal(await join("seated"), "interactive");
    const now = Date.now();
    await db()
      .ref(paths.seatOffer(event.id, "forger"))
      .set({ status: "offered", askedAt: 1, offeredAt: now, expiresAt: now + 60_000 });
    assert.equal(await join("forger"), "hls");
    assert.equal(
      (
        await db()
          .ref(`${paths.stageGate(event.id)}/shards/s0/forger`)
          .get()
      ).exists(),
      false,
    );
  });
});
