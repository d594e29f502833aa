import assert from "node:assert/strict";
import { authFor, expectHttpsError, fft, resetDatabase } from "../../testing/harness";
import { seedEvent } from "../../testing/fixtures";
import { db } from "../../platform/firebase";
import type { EventRecord } from "../../events/model";
import { getSessionAnalytics } from "./getSessionAnalytics";
import { paths } from "../../contract/paths";

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 10, 18, 0, 0);
const at = (minutes: number) => T0 + minutes * MIN;

describe("analytics/getSessionAnalytics", () => {
  const call = fft.wrap(getSessionAnalytics);
  const asAdmin = (uid: string, superAdmin = false) => authFor(uid, { role: "admin", superAdmin }, "password");
  let event: EventRecord;

  beforeEach(async () => {
    await resetDatabase();
    event = await seedEvent("adm1", { status: "closed", showStartedAt: at(0), showEndedAt: at(60) });
    await db()
      .ref(`attendance/${event.id}/connections`)
      .set({
        h1: { participantId: "host1", userType: "host", name: "Hana", session: "stage", joinedAt: at(-5), leftAt: at(61) },
        f1: { participantId: "fan1", userType: "fan", name: "Ann", session: "backstage", joinedAt: at(5), leftAt: at(15) },
        f2: { participantId: "fan1", userType: "fan", name: "Ann", session: "stage", joinedAt: at(10), leftAt: at(25) },
        f3: { participantId: "fan1", userType: "fan", name: "Ann", session: "stage", joinedAt: at(30), leftAt: at(40) },
        u1: { participantId: "u1", userType: "unknown", session: "stage", joinedAt: at(50) },
      });
  });

  it("gives the owner per-participant minutes (union of re-joins), totals, show duration and seat counters, as numbers", async () => {
    await db()
      .ref(paths.stageGate(event.id))
      .update({ peakInteractive: 4, hlsAdmissions: 12, shards: { s0: { x: { c1: { at: 1 } } } } });
    const result = await call({ data: { eventId: event.id }, auth: asAdmin("adm1") } as never);
    assert.equal(result.eventId, event.id);
    assert.deepEqual(
      result.participants.map((p) => [
        p.participantId,
        p.userType,
        p.name,
        p.attendedMs,
        p.attendedMinutes,
        p.firstJoinAt,
        p.lastLeaveAt,
        p.connected,
        p.connections,
      ]),
      [
        // Joined in preshow, left after the close: clipped to the show window [0, 60].
        ["host1", "host", "Hana", 60 * MIN, 60, at(-5), at(61), false, 1],
        ["fan1", "fan", "Ann", 30 * MIN, 30, at(5), at(40), false, 3],
        // Still connected when the show ended: counted up to the end, flagged connected.
        ["u1", "unknown", null, 10 * MIN, 10, at(50), null, true, 1],
      ],
    );
    assert.equal(result.totalAttendedMs, 100 * MIN);
    assert.equal(result.totalAttendedMinutes, 100);
    assert.equal(result.participantCount, 3);
    assert.equal(result.connectedCount, 1);
    assert.deepEqual(result.show, { startedAt: at(0), endedAt: at(60), durationMs: 60 * MIN, durationMinutes: 60, running: false });
    assert.equal(result.peakInteractive, 4);
    assert.equal(result.hlsAdmissions, 12);
    assert.doesNotMatch(JSON.stringify(result), /hostUrl|celebrityUrl|sessionId|shards/, "no secrets, session ids or seat holders");
  });

  it("100ms bug: a running show counts still-connected participants and the show itself up to now", async () => {
    const started = Date.now() - 20 * MIN;
    const running = await seedEvent("adm1", { status: "live", showStartedAt: started });
    await db()
      .ref(`attendance/${running.id}/connections/c1`)
      .set({ participantId: "fan9", userType: "fan", joinedAt: started + 5 * MIN });
    const result = await call({ data: { eventId: running.id }, auth: asAdmin("adm1") } as never);
    const fan = result.participants[0];
    assert.equal(fan.connected, true);
    assert.equal(fan.lastLeaveAt, null);
    assert.ok(fan.attendedMs >= 15 * MIN, "open interval counted up to now");
    assert.ok(result.show.durationMs >= 20 * MIN && result.show.endedAt === null && result.show.running);
    assert.equal(result.peakInteractive, 0, "counters default to 0");
    assert.equal(result.hlsAdmissions, 0);
  });

  it("answers an event without attendance with zeros", async () => {
    const empty = await seedEvent("adm1");
    const result = await call({ data: { eventId: empty.id }, auth: asAdmin("adm1") } as never);
    assert.deepEqual(result.participants, []);
    assert.equal(result.totalAttendedMinutes, 0);
    assert.deepEqual(result.show, { startedAt: null, endedAt: null, durationMs: 0, durationMinutes: 0, running: false });
  });

  it("lets a superAdmin read any event's analytics", async () => {
    const result = await call({ data: { eventId: event.id }, auth: asAdmin("boss", true) } as never);
    assert.equal(result.participantCount, 3);
  });

  it("refuses another admin, other roles and anonymous callers", async () => {
    await expectHttpsError(call({ data: { eventId: event.id }, auth: asAdmin("adm2") } as never), "permission-denied");
    await expectHttpsError(
      call({ data: { eventId: event.id }, auth: authFor("host1", { role: "host", adminId: "adm1", eventId: event.id }) } as never),
      "permission-denied",
    );
    await expectHttpsError(
      call({ data: { eventId: event.id }, auth: authFor("fan1", { role: "fan", adminId: "adm1", eventId: event.id }) } as never),
      "permission-denied",
    );
    await expectHttpsError(call({ data: { eventId: event.id } } as never), "unauthenticated");
  });

  it("answers not-found for an unknown event and invalid-argument for bad input", async () => {
    await expectHttpsError(call({ data: { eventId: "nope" }, auth: asAdmin("adm1") } as never), "not-found");
    const bad = await expectHttpsError(call({ data: { eventId: "a/b" }, auth: asAdmin("adm1") } as never), "invalid-argument");
    assert.ok((bad.details as { issues: unknown[] }).issues.length > 0);
    await expectHttpsError(call({ data: { eventId: event.id, extra: 1 }, auth: asAdmin("adm1") } as never), "invalid-argument");
    await expectHttpsError(call({ data: {}, auth: asAdmin("adm1") } as never), "invalid-argument");
  });
});
