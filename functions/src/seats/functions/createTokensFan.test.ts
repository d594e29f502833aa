import assert from "node:assert/strict";
import { authFor, expectHttpsError, fft, testDatabase } from "../../testing/harness";
import { freshShow } from "../../testing/fixtures";
import { vonageClaims } from "../../testing/tokenClaims";
import { db } from "../../platform/firebase";
import { paths } from "../../contract/paths";
import { forgetCredentials } from "../../admins/tenants";
import { flushSeatCounters } from "../counters";
import type { EventRecord } from "../../events/model";
import { createTokensFan } from "./createTokensFan";

type Answer = Record<string, unknown> & { mode: string };

describe("tokens/createTokensFan", () => {
  const call = fft.wrap(createTokensFan);
  let event: EventRecord;
  const fan = (uid: string, claims: Record<string, unknown> = {}) =>
    authFor(uid, { role: "fan", adminId: "adm1", eventId: event.id, ...claims });
  const join = (uid: string, data: Record<string, unknown> = {}, claims: Record<string, unknown> = {}) =>
    call({ data, auth: fan(uid, claims) } as never) as unknown as Promise<Answer>;
  const gate = async () => (await db().ref(paths.stageGate(event.id)).get()).val();
  /** Every seat holder, over all shards. */
  const holders = async () =>
    Object.values(((await gate())?.shards ?? {}) as Record<string, Record<string, unknown>>)
      .flatMap((shard) => Object.keys(shard))
      .sort();
  const seatOf = async (uid: string) => {
    const shards = ((await gate())?.shards ?? {}) as Record<string, Record<string, unknown>>;
    const shard = Object.keys(shards).find((key) => shards[key][uid]);
    return paths.seat(event.id, shard as string, uid);
  };

  beforeEach(async () => {
    event = await freshShow({ status: "live", interactiveLimit: 3 });
  });

  it("seats a fan: publisher on backstage, SUBSCRIBER on stage, connection data set by the server", async () => {
    const before = Math.floor(Date.now() / 1000);
    const answer = await join("fanA", { fanId: "fanA-tab1" });
    assert.equal(answer.mode, "interactive");
    assert.equal(answer.keptSeat, false);
    assert.equal(answer.apiKey, "47000001");
    assert.equal(answer.sessionId, event.sessionId);
    assert.equal(answer.stageSessionId, event.stageSessionId);
    const backstage = vonageClaims(answer.backstageToken as string);
    const stage = vonageClaims(answer.stageToken as string);
    assert.equal(backstage.session_id, event.sessionId);
    assert.equal(backstage.role, "publisher");
    assert.deepEqual(backstage.data, { userType: "backstageFan", participantId: "fanA", eventId: event.id });
    assert.equal(stage.session_id, event.stageSessionId);
    assert.equal(stage.role, "subscriber");
    const claimId = (answer.seatPath as string).split("/").pop();
    // The stage token carries the seat's claim: its connection confirms the seat (seats/confirm).
    assert.deepEqual(stage.data, { userType: "fan", participantId: "fanA", eventId: event.id, seat: `s0/${claimId}` });
    assert.equal(stage.exp, (answer.expiresAt as number) / 1000);
    assert.ok(
      stage.exp >= before + 360 * 60 && stage.exp <= before + 360 * 60 + 5,
      `default lifetime: 360 minutes (${stage.exp - before})`,
    );
    assert.match(answer.seatPath as string, new RegExp(`^stageGates/${event.id}/shards/s0/fanA/c[\\w-]+$`));
    const claim = (
      await db()
        .ref(answer.seatPath as string)
        .get()
    ).val();
    assert.equal(claim.fanId, "fanA-tab1");
    assert.equal(typeof claim.at, "number");
    // Nothing the fan does not need: no link secrets, no archive or broadcast state.
    assert.doesNotMatch(JSON.stringify(answer), new RegExp(`${event.hostUrl}|${event.celebrityUrl}|hostUrl|archive`));
  });

  it("seats exactly `limit` fans out of many concurrent joins; the rest get HLS mode, not ready yet", async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => join(`fan${i}`)));
    const interactive = answers.filter((a) => a.mode === "interactive");
    const hls = answers.filter((a) => a.mode === "hls");
    assert.equal(interactive.length, 3);
    assert.equal(hls.length, 9);
    for (const answer of hls) {
      const { message, ...rest } = answer;
      assert.deepEqual(rest, { mode: "hls", reason: "seatsFull", eventId: event.id, status: "live", hlsUrl: null });
      assert.equal(typeof message, "string");
      assert.match(message as string, /^All interactive seats are taken: watch the HLS stream\. The stream is not ready yet\b/);
    }
    assert.equal("backstageToken" in hls[0] || "stageToken" in hls[0], false, "no tokens in HLS mode");
    assert.equal((await holders()).length, 3);
    await flushSeatCounters();
    const counters = await gate();
    assert.equal(counters.peakInteractive, 3);
    assert.equal(counters.hlsAdmissions, 9);
  });

  it("an HLS answer writes nothing; the counters and the live record's counts/seated and counts/hls arrive batched", async () => {
    await db().ref(paths.liveRecord("adm1", event.fanUrl)).set({ eventId: event.id, status: "live" });
    await Promise.all(["a", "b", "c"].map((uid) => join(uid)));
    await flushSeatCounters();
    const database = await testDatabase();
    database.resetStats();
    for (const uid of ["d", "e", "d"]) assert.equal((await join(uid)).mode, "hls");
    const stats = (database.stats() as { admin: Record<string, number> }).admin;
    assert.equal(stats.p + stats.m, 0, `HLS answers wrote to the database: ${JSON.stringify(stats)}`);
    assert.equal((await gate()).hlsAdmissions ?? 0, 0, "not yet flushed");
    await flushSeatCounters();
    const counters = await gate();
    assert.equal(counters.hlsAdmissions, 2, "d counted once, e once");
    assert.equal(counters.peakInteractive, 3);
    await flushSeatCounters(); // nothing new: no write
    const counts = (
      await db()
        .ref(`${paths.liveRecord("adm1", event.fanUrl)}/counts`)
        .get()
    ).val();
    assert.deepEqual(counts, { seated: 3, hls: 2 });
    await db().ref(paths.liveRecord("adm1", event.fanUrl)).remove();
    assert.equal((await join("f")).mode, "hls");
    await flushSeatCounters();
    assert.equal((await db().ref(paths.liveRecord("adm1", event.fanUrl)).get()).val(), null, "a removed record does not come back");
  });

  it("HLS mode carries the URL once the broadcast runs; `full` when the admin has HLS off", async () => {
    await Promise.all(["a", "b", "c"].map((uid) => join(uid)));
    await db()
      .ref(`${paths.stageGate(event.id)}/hlsUrl`)
      .set("http://127.0.0.1/_media/hls/b1/index.m3u8");
    const hls = await join("d");
    assert.equal(hls.mode, "hls");
    assert.equal(hls.hlsUrl, "http://127.0.0.1/_media/hls/b1/index.m3u8");
    assert.doesNotMatch(hls.message as string, /not ready/);
    await db()
      .ref(`${paths.stageGate(event.id)}/hlsEnabled`)
      .set(false);
    const full = await join("e");
    assert.deepEqual(Object.keys(full).sort(), ["eventId", "message", "mode", "reason", "status"]);
    assert.equal(full.mode, "full");
    assert.equal(full.reason, "seatsFull");
  });

  it("a fan who calls twice (reload, second tab) holds one seat; the old page's disconnect leaves it held", async () => {
    const first = await join("fanA");
    const second = await join("fanA");
    assert.equal(second.mode, "interactive");
    assert.equal(second.keptSeat, true);
    assert.notEqual(second.seatPath, first.seatPath);
    assert.deepEqual(await holders(), ["fanA"]);
    await db()
      .ref(first.seatPath as string)
      .remove(); // the old page's onDisconnect
    assert.deepEqual(await holders(), ["fanA"]);
    await db()
      .ref(second.seatPath as string)
      .remove();
    assert.deepEqual(await holders(), []);
  });

  it("a freed seat goes to the next fan; each counts once in hlsAdmissions however often they ask", async () => {
    const seated = await Promise.all(["a", "b", "c"].map((uid) => join(uid)));
    assert.equal((await join("d")).mode, "hls");
    assert.equal((await join("d")).mode, "hls");
    await flushSeatCounters();
    assert.equal((await gate()).hlsAdmissions, 1);
    await db()
      .ref(seated[1].seatPath as string)
      .remove();
    assert.equal((await join("d")).mode, "interactive");
    assert.equal((await join("e")).mode, "hls");
  });

  it("a limit lowered during the show evicts nobody and admits nobody until enough seats free up", async () => {
    const seated = await Promise.all(["a", "b", "c"].map((uid) => join(uid)));
    await db()
      .ref(`${paths.stageGate(event.id)}/limit`)
      .set(1);
    assert.equal((await join("b")).mode, "interactive", "a holder keeps their seat");
    assert.equal((await join("d")).mode, "hls");
    await db()
      .ref(seated[0].seatPath as string)
      .remove();
    assert.equal((await join("d")).mode, "hls", "2 holders, limit 1");
    await db()
      .ref(await seatOf("b"))
      .remove();
    assert.equal((await join("d")).mode, "hls", "1 holder, limit 1");
    await db()
      .ref(seated[2].seatPath as string)
      .remove();
    assert.equal((await join("d")).mode, "interactive");
  });

  it("refuses a show that has not opened or has closed, and a missing event", async () => {
    await db()
      .ref(`${paths.stageGate(event.id)}/status`)
      .set("notStarted");
    const early = await expectHttpsError(join("a"), "failed-precondition");
    assert.match(early.message, /not opened yet/);
    await db()
      .ref(`${paths.stageGate(event.id)}/status`)
      .set("closed");
    const late = await expectHttpsError(join("a"), "failed-precondition");
    assert.match(late.message, /ended/);
    assert.deepEqual(await holders(), []);
    await expectHttpsError(join("a", {}, { eventId: "noSuchEvent" }), "not-found");
  });

  it("takes the event from the login only: another admin's claims, no event, other roles are refused", async () => {
    await expectHttpsError(join("a", {}, { adminId: "adm2" }), "permission-denied");
    await expectHttpsError(call({ data: {}, auth: authFor("a", { role: "fan" }) } as never), "permission-denied");
    await expectHttpsError(call({ data: {}, auth: authFor("adm1", { role: "admin" }) } as never), "permission-denied");
    await expectHttpsError(
      call({ data: {}, auth: authFor("h", { role: "host", adminId: "adm1", eventId: event.id }) } as never),
      "permission-denied",
    );
    await expectHttpsError(call({ data: {} } as never), "unauthenticated");
    assert.deepEqual(await holders(), []);
  });

  it("IBS flaw 6b: a fan cannot choose role, userType, session or event through the input", async () => {
    for (const data of [
      { userType: "producer" },
      { role: "publisher" },
      { eventId: event.id },
      { sessionId: event.stageSessionId },
      { fanId: "a/../x" },
    ]) {
      const error = await expectHttpsError(join("a", data), "invalid-argument");
      assert.ok(Array.isArray((error.details as { issues: unknown[] }).issues));
    }
    await expectHttpsError(join("a", { fanId: "someoneElse-1" }), "permission-denied");
    await expectHttpsError(join("a", { fanId: "ab" }), "permission-denied");
  });

  it("IBS flaw 10: the cap is the server's, whatever the client counts (no seat without a free one)", async () => {
    await db()
      .ref(`${paths.stageGate(event.id)}/shards/s0`)
      .set({ x: { c1: { at: 1 } }, y: { c1: { at: 1 } }, z: { c1: { at: 1 } } });
    const answer = await join("a");
    assert.equal(answer.mode, "hls");
  });

  it("round trips: a warm join is one database write (the seat transaction); a cold one reads in parallel", async () => {
    const database = await testDatabase();
    forgetCredentials("adm1");
    database.resetStats();
    await join("cold");
    const cold = (database.stats() as { admin: Record<string, number> }).admin;
    // gate listen + event read + credentials read + the show's removals listen (live/bans) (each
    // listen/unlisten, in parallel) + one write: no failed write on an empty cache. The event read is
    // once(), not get(): see seats/showTokens.
    assert.deepEqual({ q: cold.q, g: cold.g, p: cold.p, m: cold.m }, { q: 4, g: 0, p: 1, m: 0 }, JSON.stringify(cold));
    database.resetStats();
    await join("warm");
    const warm = (database.stats() as { admin: Record<string, number> }).admin;
    assert.equal(warm.total, 1, JSON.stringify(warm));
    assert.equal(warm.p, 1);
  });
});
