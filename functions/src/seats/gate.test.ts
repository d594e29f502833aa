import assert from "node:assert/strict";
import { decideSeat, newClaimId, type GateData, type SeatRequest } from "./gate";

const request = (uid: string, extra: Partial<SeatRequest> = {}): SeatRequest => ({
  uid,
  adminId: "adm1",
  claimId: newClaimId(),
  now: 1000,
  countHls: true,
  defaultLimit: 50,
  ...extra,
});
const gate = (extra: Partial<GateData> = {}): GateData => ({
  adminId: "adm1",
  status: "live",
  limit: 2,
  hlsEnabled: true,
  hlsUrl: null,
  ...extra,
});

describe("seats/gate decideSeat", () => {
  it("admits while seats are free, then answers HLS (not ready, then with the URL) or full", () => {
    let current: GateData | null = gate();
    for (const uid of ["a", "b"]) {
      const { decision, next } = decideSeat(current, request(uid));
      assert.equal(decision.kind, "interactive");
      current = next;
    }
    assert.deepEqual(Object.keys(current!.holders!).sort(), ["a", "b"]);
    assert.equal(current!.peakInteractive, 2);
    const hls = decideSeat(current, request("c"));
    assert.deepEqual(hls.decision, { kind: "hls", reason: "seatsFull", hlsUrl: null, status: "live" });
    assert.equal(hls.next!.hlsAdmissions, 1);
    const ready = decideSeat({ ...current!, hlsUrl: "https://cdn/x.m3u8" }, request("c"));
    assert.deepEqual(ready.decision, { kind: "hls", reason: "seatsFull", hlsUrl: "https://cdn/x.m3u8", status: "live" });
    const full = decideSeat({ ...current!, hlsEnabled: false }, request("c"));
    assert.deepEqual(full.decision, { kind: "full", reason: "seatsFull", status: "live" });
    assert.equal(full.next!.hlsAdmissions, undefined, "a full answer changes nothing");
  });

  it("a fan who holds a seat keeps it with one more claim: one seat, not two", () => {
    const first = decideSeat(gate({ limit: 1 }), request("a", { claimId: "c1" }));
    const again = decideSeat(first.next, request("a", { claimId: "c2" }));
    assert.equal(again.decision.kind, "interactive");
    assert.equal((again.decision as { kept: boolean }).kept, true);
    assert.deepEqual(Object.keys(again.next!.holders!), ["a"]);
    assert.deepEqual(Object.keys(again.next!.holders!.a).sort(), ["c1", "c2"]);
  });

  it("a lowered limit evicts nobody and admits nobody until the holders are below it", () => {
    const holders = { a: { c1: { at: 1 } }, b: { c1: { at: 1 } }, c: { c1: { at: 1 } } };
    const lowered = gate({ limit: 1, holders });
    assert.equal(decideSeat(lowered, request("d")).decision.kind, "hls");
    assert.equal(decideSeat(lowered, request("b")).decision.kind, "interactive", "a holder keeps their seat");
    assert.equal(decideSeat(gate({ limit: 1, holders: { a: holders.a } }), request("d")).decision.kind, "hls");
    assert.equal(decideSeat(gate({ limit: 1, holders: {} }), request("d")).decision.kind, "interactive");
  });

  it("limit 0 sends every fan to HLS with its own reason; a missing limit uses the default", () => {
    assert.equal((decideSeat(gate({ limit: 0 }), request("a")).decision as { reason: string }).reason, "noInteractiveSeats");
    assert.equal(decideSeat(gate({ limit: undefined }), request("a", { defaultLimit: 1 })).decision.kind, "interactive");
  });

  it("refuses shows that are not open, a missing gate and another admin's gate, writing nothing new", () => {
    for (const status of ["notStarted", "closed"] as const) {
      const outcome = decideSeat(gate({ status }), request("a"));
      assert.deepEqual(outcome.decision, { kind: "notOpen", status });
      assert.deepEqual(outcome.next, gate({ status }));
    }
    assert.deepEqual(decideSeat(null, request("a")), { decision: { kind: "missing" }, next: null });
    assert.equal(decideSeat(gate({ adminId: "other" }), request("a")).decision.kind, "otherAdmin");
  });

  it("counts an HLS answer only when asked to (once per fan per instance)", () => {
    const full = gate({ limit: 0, hlsAdmissions: 4 });
    assert.equal(decideSeat(full, request("a")).next!.hlsAdmissions, 5);
    assert.equal(decideSeat(full, request("a", { countHls: false })).next!.hlsAdmissions, 4);
  });

  it("reads holders the database returned as an array (integer-like uids)", () => {
    const outcome = decideSeat(gate({ limit: 2, holders: [{ c: { at: 1 } }] as never }), request("7"));
    assert.equal(outcome.decision.kind, "interactive");
    assert.deepEqual(Object.keys(outcome.next!.holders!).sort(), ["0", "7"]);
    assert.match(newClaimId(), /^c[A-Za-z0-9_-]{16}$/);
  });
});
