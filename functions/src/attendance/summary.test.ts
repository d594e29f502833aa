import assert from "node:assert/strict";
import { summarizeAttendance, toMinutes, unionMs } from "./summary";

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 10, 18, 0, 0);
const at = (minutes: number) => T0 + minutes * MIN;

describe("attendance/summary", () => {
  describe("unionMs", () => {
    it("adds disjoint intervals and counts overlaps once", () => {
      assert.equal(unionMs([]), 0);
      assert.equal(unionMs([[0, 10]]), 10);
      assert.equal(
        unionMs([
          [0, 10],
          [20, 25],
        ]),
        15,
      );
      assert.equal(
        unionMs([
          [20, 40],
          [5, 15],
          [10, 25],
        ]),
        35,
      );
      assert.equal(
        unionMs([
          [0, 100],
          [10, 20],
          [30, 40],
        ]),
        100,
        "nested intervals",
      );
      assert.equal(
        unionMs([
          [0, 10],
          [10, 20],
        ]),
        20,
        "touching intervals",
      );
      assert.equal(
        unionMs([
          [10, 10],
          [30, 20],
        ]),
        0,
        "empty and inverted intervals count nothing",
      );
    });
  });

  describe("summarizeAttendance", () => {
    it("sums a participant's re-joins and counts two tabs at once only once", () => {
      const summary = summarizeAttendance({
        connections: {
          c1: { participantId: "fanA", userType: "fan", name: "Ann", joinedAt: at(5), leftAt: at(15) },
          c2: { participantId: "fanA", userType: "fan", name: "Ann", joinedAt: at(10), leftAt: at(25) }, // second tab
          c3: { participantId: "fanA", userType: "backstageFan", name: "Ann B", joinedAt: at(30), leftAt: at(40) }, // re-join
          c4: { participantId: "host1", userType: "host", joinedAt: at(0), leftAt: at(60) },
        },
        showStartedAt: at(0),
        showEndedAt: at(60),
        now: at(500),
      });
      const fan = summary.participants.find((p) => p.participantId === "fanA")!;
      assert.equal(fan.attendedMs, 30 * MIN, "[5,25] + [30,40]");
      assert.equal(fan.attendedMinutes, 30);
      assert.equal(fan.connections, 3);
      assert.equal(fan.firstJoinAt, at(5));
      assert.equal(fan.lastLeaveAt, at(40));
      assert.equal(fan.connected, false);
      assert.equal(fan.userType, "backstageFan", "role of the latest connection");
      assert.equal(fan.name, "Ann B");
      assert.equal(summary.totalAttendedMs, 90 * MIN);
      assert.equal(summary.totalAttendedMinutes, 90);
      assert.deepEqual(summary.show, { startedAt: at(0), endedAt: at(60), durationMs: 60 * MIN, durationMinutes: 60, running: false });
      assert.deepEqual(
        summary.participants.map((p) => p.participantId),
        ["host1", "fanA"],
        "ordered by first join",
      );
    });

    it("100ms bug: totals and durations are numbers rounded to 0.01 minute, not strings", () => {
      const summary = summarizeAttendance({
        connections: { c1: { participantId: "p", userType: "fan", joinedAt: at(0), leftAt: at(0) + 100_000 } },
        showStartedAt: at(0),
        showEndedAt: at(0) + 125_000,
        now: at(100),
      });
      assert.equal(summary.participants[0].attendedMinutes, 1.67);
      assert.equal(typeof summary.totalAttendedMinutes, "number");
      assert.equal(summary.totalAttendedMinutes, 1.67);
      assert.equal(summary.show.durationMinutes, 2.08);
      assert.equal(toMinutes(0), 0);
    });

    it("100ms bug: a participant still connected is flagged and counted up to now while the show runs", () => {
      const summary = summarizeAttendance({
        connections: {
          open: { participantId: "celeb", userType: "celebrity", joinedAt: at(10) },
          closed: { participantId: "celeb", userType: "celebrity", joinedAt: at(0), leftAt: at(5) },
        },
        showStartedAt: at(0),
        now: at(30),
      });
      const celeb = summary.participants[0];
      assert.equal(celeb.connected, true);
      assert.equal(celeb.lastLeaveAt, null, "no leave time while connected");
      assert.equal(celeb.attendedMs, 25 * MIN, "[0,5] + [10,now=30]");
      assert.equal(summary.connectedCount, 1);
      assert.deepEqual(summary.show, { startedAt: at(0), endedAt: null, durationMs: 30 * MIN, durationMinutes: 30, running: true });
    });

    it("after the show ended, an interval whose leave never arrived counts up to the end, so the numbers stay stable", () => {
      const input = {
        connections: { open: { participantId: "prod", userType: "producer" as const, joinedAt: at(-10) } },
        showStartedAt: at(0),
        showEndedAt: at(45),
      };
      const later = summarizeAttendance({ ...input, now: at(90) });
      const muchLater = summarizeAttendance({ ...input, now: at(9000) });
      assert.equal(later.participants[0].attendedMs, 45 * MIN, "clipped to the show window [0, 45]");
      assert.deepEqual(muchLater, later);
      assert.equal(later.participants[0].connected, true);
    });

    it("clips every interval to the show window: preshow time and time reported after the close count nothing", () => {
      const summary = summarizeAttendance({
        connections: {
          early: { participantId: "a", joinedAt: at(-30), leftAt: at(10) },
          late: { participantId: "b", joinedAt: at(70), leftAt: at(90) },
          forged: { participantId: "c", joinedAt: at(-1e6), leftAt: at(1e6) },
        },
        streams: { s1: { participantId: "a", startedAt: at(-20), endedAt: at(5) } },
        showStartedAt: at(0),
        showEndedAt: at(60),
        now: at(100),
      });
      const byId = Object.fromEntries(summary.participants.map((p) => [p.participantId, p]));
      assert.equal(byId.a.attendedMs, 10 * MIN);
      assert.equal(byId.a.publishedMs, 5 * MIN);
      assert.equal(byId.b.attendedMs, 0);
      assert.equal(byId.c.attendedMs, 60 * MIN);
    });

    it("counts connections we did not mint under their connection id, and ignores records without a join time", () => {
      const summary = summarizeAttendance({
        connections: {
          x1: { participantId: "x1", userType: "unknown", joinedAt: at(0), leftAt: at(3) },
          x2: { userType: "unknown", joinedAt: at(1), leftAt: at(2) },
          broken: { leftAt: at(4) },
        },
        now: at(10),
      });
      assert.deepEqual(
        summary.participants.map((p) => [p.participantId, p.userType, p.attendedMs]),
        [
          ["x1", "unknown", 3 * MIN],
          ["x2", "unknown", 1 * MIN],
        ],
      );
      assert.deepEqual(summary.show, { startedAt: null, endedAt: null, durationMs: 0, durationMinutes: 0, running: false });
    });

    it("clamps a leave before the join (clock skew) to nothing rather than a negative time", () => {
      const summary = summarizeAttendance({ connections: { c: { participantId: "p", joinedAt: at(10), leftAt: at(9) } }, now: at(20) });
      assert.equal(summary.participants[0].attendedMs, 0);
    });

    it("adds up time on camera from streams, per participant, as a union", () => {
      const summary = summarizeAttendance({
        connections: { c1: { participantId: "host", userType: "host", joinedAt: at(0), leftAt: at(60) } },
        streams: {
          s1: { connectionId: "c1", participantId: "host", startedAt: at(1), endedAt: at(20) },
          s2: { connectionId: "c1", participantId: "host", startedAt: at(10), endedAt: at(30), videoType: "screen" },
          orphan: { connectionId: "zz", startedAt: at(0), endedAt: at(10) },
        },
        showEndedAt: at(60),
        now: at(61),
      });
      assert.equal(summary.participants[0].publishedMs, 29 * MIN);
      assert.equal(summary.participants[0].publishedMinutes, 29);
    });
  });
});
