import assert from "node:assert/strict";
import {
  applyChange,
  COUNT_INTERVAL_MS,
  hasGaps,
  MAX_LINE,
  orderedLine,
  renumber,
  waitingCount,
  type LineChange,
  type LineData,
} from "./line";

/** Applies changes in order, like successive commits. */
function run(changes: LineChange[], start: LineData | null = null, now = 1_000_000): LineData {
  let data = start;
  for (const change of changes) data = applyChange(data, change, now).next;
  return data ?? {};
}

const join = (fanId: string, participantId = fanId.split("-")[0]): LineChange => ({
  kind: "join",
  fanId,
  participantId,
  name: fanId,
  now: 1,
});
const positions = (data: LineData) => Object.fromEntries(orderedLine(data).map((entry) => [entry.fanId, entry.position]));

describe("live/line: the line's changes (pure)", () => {
  it("orders fans by ticket (commit order) and numbers the waiting ones 1..n", () => {
    const data = run(["c", "a", "b"].map((fan) => join(`${fan}-t`)));
    assert.deepEqual(positions(data), { "c-t": 1, "a-t": 2, "b-t": 3 });
    assert.equal(data.tickets, 3);
  });

  it("a repeated join keeps the fan's place and ticket", () => {
    const data = run([join("a-t"), join("b-t"), join("a-t")]);
    assert.deepEqual(positions(data), { "a-t": 1, "b-t": 2 });
    assert.equal(data.tickets, 2);
    const repeat = applyChange(data, join("a-t"), 1).outcome;
    assert.deepEqual([repeat.kind, repeat.kind === "ok" && repeat.changed], ["ok", false]);
  });

  it("leaving from the front moves everyone behind up by one; positions stay exact", () => {
    const fans = Array.from({ length: 6 }, (_, i) => `f${i}-t`);
    let data = run(fans.map((fan) => join(fan)));
    data = run(
      [
        { kind: "leave", fanId: "f0-t" },
        { kind: "leave", fanId: "f3-t" },
      ],
      data,
    );
    assert.deepEqual(positions(data), { "f1-t": 1, "f2-t": 2, "f4-t": 3, "f5-t": 4 });
  });

  it("moving a fan backstage or on stage takes them out of the waiting count; back in line they keep their ticket", () => {
    let data = run(["a", "b", "c"].map((fan) => join(`${fan}-t`)));
    data = run([{ kind: "move", fanId: "a-t", to: "backstage" }], data);
    assert.deepEqual(positions(data), { "a-t": null, "b-t": 1, "c-t": 2 });
    data = run([{ kind: "move", fanId: "a-t", to: "onStage" }], data);
    assert.equal(orderedLine(data)[0].state, "onStage");
    assert.equal(waitingCount(data.fans), 2);
    data = run([{ kind: "move", fanId: "a-t", to: "inLine" }], data);
    assert.deepEqual(positions(data), { "a-t": 1, "b-t": 2, "c-t": 3 });
  });

  it("a move of a fan not in line is `absent` and writes the line unchanged", () => {
    const data = run([join("a-t")]);
    const { next, outcome } = applyChange(data, { kind: "move", fanId: "ghost-t", to: "onStage" }, 1);
    assert.equal(outcome.kind, "absent");
    assert.deepEqual(next, data);
  });

  it("is bounded: the join after MAX_LINE fans is `full`", () => {
    const data = run(Array.from({ length: MAX_LINE }, (_, i) => join(`f${i}-t`)));
    assert.equal(Object.keys(data.fans ?? {}).length, MAX_LINE);
    assert.equal(applyChange(data, join("late-t"), 1).outcome.kind, "full");
    // Leaving makes room again.
    const after = run([{ kind: "leave", fanId: "f7-t" }, join("late-t")], data);
    assert.equal(positions(after)["late-t"], MAX_LINE);
  });

  it("leaveParticipant takes every tab of one uid, optionally only in some states", () => {
    let data = run([join("u1-a", "u1"), join("u2-a", "u2"), join("u1-b", "u1")]);
    data = run(
      [
        { kind: "move", fanId: "u1-b", to: "onStage" },
        { kind: "leaveParticipant", participantId: "u1", states: ["inLine", "backstage"] },
      ],
      data,
    );
    assert.deepEqual(Object.keys(positions(data)).sort(), ["u1-b", "u2-a"]);
    data = run([{ kind: "leaveParticipant", participantId: "u1" }], data);
    assert.deepEqual(positions(data), { "u2-a": 1 });
  });

  it("one fan at a time is in a private call", () => {
    let data = run([join("a-t"), join("b-t")]);
    data = run([{ kind: "privateCall", fanId: "a-t" }], data);
    data = run([{ kind: "privateCall", fanId: "b-t" }], data);
    assert.deepEqual(
      orderedLine(data).map((entry) => [entry.fanId, entry.inPrivateCall]),
      [
        ["a-t", false],
        ["b-t", true],
      ],
    );
    data = run([{ kind: "privateCall", fanId: null }], data);
    assert.ok(orderedLine(data).every((entry) => !entry.inPrivateCall));
  });

  it("an entry its owner deleted leaves a gap that the next change (or a renumber) heals", () => {
    const data = run(["a", "b", "c"].map((fan) => join(`${fan}-t`)));
    const withGap: LineData = { ...data, fans: { ...data.fans } };
    delete withGap.fans!["a-t"];
    assert.ok(hasGaps(withGap.fans!));
    const healed = applyChange(withGap, { kind: "renumber" }, 1);
    assert.deepEqual(positions(healed.next), { "b-t": 1, "c-t": 2 });
    assert.equal(healed.outcome.kind === "ok" && healed.outcome.changed, true);
    assert.equal(hasGaps(healed.next.fans!), false);
    assert.deepEqual(renumber(healed.next.fans!), healed.next.fans);
  });

  it("publishes the waiting count at most every COUNT_INTERVAL_MS, and only when it moved", () => {
    const t0 = 10_000_000;
    const first = applyChange(null, join("a-t"), t0).next;
    assert.deepEqual([first.counted, first.countedAt], [1, t0]);
    const soon = applyChange(first, join("b-t"), t0 + 10).next;
    assert.deepEqual([soon.counted, soon.countedAt], [1, t0], "not again within the interval");
    const later = applyChange(soon, { kind: "renumber" }, t0 + COUNT_INTERVAL_MS).next;
    assert.deepEqual([later.counted, later.countedAt], [2, t0 + COUNT_INTERVAL_MS]);
    const same = applyChange(later, join("b-t"), t0 + 10 * COUNT_INTERVAL_MS).next;
    assert.equal(same.countedAt, t0 + COUNT_INTERVAL_MS, "unchanged count: no write");
  });
});
