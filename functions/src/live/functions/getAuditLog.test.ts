import assert from "node:assert/strict";
import { authFor, expectHttpsError, fft, resetDatabase } from "../../testing/harness";
import { seedEvent } from "../../testing/fixtures";
import { db } from "../../platform/firebase";
import { removeEvent } from "../../events/store";
import type { EventRecord } from "../../events/model";
import { resetEventIdentitiesForTests } from "../../seats/showTokens";
import { SYSTEM_ACTOR, appendAudit, auditUpdate } from "../audit";
import { getAuditLog } from "./getAuditLog";

describe("live/getAuditLog", () => {
  const call = fft.wrap(getAuditLog);
  const asAdmin = (uid: string, superAdmin = false) => authFor(uid, { role: "admin", superAdmin }, "password");
  let event: EventRecord;

  beforeEach(async () => {
    await resetDatabase();
    resetEventIdentitiesForTests();
    event = await seedEvent("adm1", { status: "live" });
  });

  it("pages the trail oldest first, each entry as written with the server's time, and says when there is no more", async () => {
    const before = Date.now();
    for (let i = 0; i < 5; i++) {
      await appendAudit(event.id, {
        actor: { uid: "adm1", role: "admin" },
        action: "removeParticipant",
        target: { fanId: `fan${i}` },
        outcome: i === 3 ? "failed" : "ok",
        ...(i === 3 ? { error: { code: "vonage-404", message: "connection not found" } } : {}),
      });
    }
    const first = await call({ data: { eventId: event.id, pageSize: 2 }, auth: asAdmin("adm1") } as never);
    assert.deepEqual(
      first.entries.map((entry) => entry.target?.fanId),
      ["fan0", "fan1"],
    );
    assert.ok(first.next);
    assert.ok(first.entries.every((entry) => entry.at >= before - 5_000 && entry.actor.uid === "adm1"));
    const second = await call({ data: { eventId: event.id, pageSize: 2, after: first.next }, auth: asAdmin("adm1") } as never);
    assert.deepEqual(
      second.entries.map((entry) => [entry.target?.fanId, entry.outcome, entry.error?.code]),
      [
        ["fan2", "ok", undefined],
        ["fan3", "failed", "vonage-404"],
      ],
    );
    const last = await call({ data: { eventId: event.id, pageSize: 2, after: second.next }, auth: asAdmin("adm1") } as never);
    assert.deepEqual(
      last.entries.map((entry) => entry.target?.fanId),
      ["fan4"],
    );
    assert.equal(last.next, null);
  });

  it("a superAdmin reads any show's trail; another admin, a fan, a host and a signed-out caller are refused", async () => {
    await appendAudit(event.id, { actor: SYSTEM_ACTOR, action: "archiveRestarted", outcome: "ok" });
    const read = await call({ data: { eventId: event.id }, auth: asAdmin("root", true) } as never);
    assert.deepEqual(
      read.entries.map((entry) => [entry.actor.role, entry.action]),
      [["system", "archiveRestarted"]],
    );
    await expectHttpsError(call({ data: { eventId: event.id }, auth: asAdmin("adm2") } as never), "permission-denied");
    await expectHttpsError(
      call({ data: { eventId: event.id }, auth: authFor("fan1", { role: "fan", adminId: "adm1", eventId: event.id }) } as never),
      "permission-denied",
    );
    await expectHttpsError(
      call({
        data: { eventId: event.id },
        auth: authFor(`host-${event.id}`, { role: "host", adminId: "adm1", eventId: event.id }),
      } as never),
      "permission-denied",
    );
    await expectHttpsError(call({ data: { eventId: event.id } } as never), "unauthenticated");
    await expectHttpsError(call({ data: { eventId: "nosuchevent" }, auth: asAdmin("adm1") } as never), "not-found");
  });

  it("keeps entries small whatever they carry, and an entry in a multi-path update lands with the change", async () => {
    await appendAudit(event.id, {
      actor: { uid: "adm1", role: "admin" },
      action: "signalParticipant",
      target: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, "x".repeat(2_000)])),
      outcome: "ok",
    });
    const [path, value] = auditUpdate(event.id, {
      actor: SYSTEM_ACTOR,
      action: "changeStatus",
      outcome: "ok",
      details: { from: "preshow", to: "live" },
    });
    await db()
      .ref()
      .update({ [path]: value, [`events/${event.id}/status`]: "live" });
    const { entries } = await call({ data: { eventId: event.id }, auth: asAdmin("adm1") } as never);
    assert.equal(Object.keys(entries[0].target ?? {}).length, 20);
    assert.ok(Object.values(entries[0].target ?? {}).every((value) => typeof value === "string" && value.length <= 500));
    assert.deepEqual(entries[1].details, { from: "preshow", to: "live" });
  });

  it("goes with the event", async () => {
    await appendAudit(event.id, { actor: SYSTEM_ACTOR, action: "changeStatus", outcome: "ok" });
    await removeEvent(event);
    assert.equal((await db().ref(`auditLog/${event.id}`).once("value")).exists(), false);
  });

  it("refuses a malformed cursor and an oversized page", async () => {
    await expectHttpsError(call({ data: { eventId: event.id, after: "../x" }, auth: asAdmin("adm1") } as never), "invalid-argument");
    await expectHttpsError(call({ data: { eventId: event.id, pageSize: 1_000 }, auth: asAdmin("adm1") } as never), "invalid-argument");
  });
});
