import assert from "node:assert/strict";
import { authFor, fft } from "../testing/harness";
import { freshShow } from "../testing/fixtures";
import { vonageClaims } from "../testing/tokenClaims";
import { connectionCallback, outcome, postCallback } from "../testing/callbackRequests";
import { db } from "../platform/firebase";
import { paths } from "../platform/paths";
import type { EventRecord } from "../events/model";
import { createTokensFan } from "./functions/createTokensFan";
import { sweepOpenShows } from "./confirm";

type Answer = Record<string, unknown> & { mode: string; seatPath?: string; stageToken?: string; backstageToken?: string };

describe("seats/confirm: seats backed by Vonage connections", () => {
  const call = fft.wrap(createTokensFan);
  let event: EventRecord;
  const join = (uid: string) =>
    call({ data: {}, auth: authFor(uid, { role: "fan", adminId: "adm1", eventId: event.id }) } as never) as unknown as Promise<Answer>;
  const claim = async (answer: Answer) => (await db().ref(answer.seatPath).get()).val();
  const seat = async (answer: Answer) =>
    (
      await db()
        .ref(answer.seatPath!.replace(/\/[^/]+$/, ""))
        .get()
    ).val();
  /** What Vonage would report for the connection of `token` (its data is the signed connection data). */
  const callback = (type: "connectionCreated" | "connectionDestroyed", token: string, connectionId: string, sessionId?: string) =>
    postCallback(
      connectionCallback(
        event,
        type,
        connectionId,
        { raw: vonageClaims(token).connection_data as string },
        Date.now(),
        Date.now(),
        sessionId,
      ),
    );
  /** Until the claims made now are older than the window (no test asserts a time: it waits for it). */
  const overdue = async () => {
    const until = Date.now() + 1100;
    while (Date.now() <= until) await new Promise((resolve) => setTimeout(resolve, 50));
  };

  beforeEach(async () => {
    process.env.SEAT_CONFIRM_SECONDS = "1";
    // Unset, a boolean param reads false outside a deployment (the emulator and deploys get the default).
    process.env.SEAT_CONFIRMATION = "true";
    event = await freshShow({ status: "live", interactiveLimit: 1 });
  });
  afterEach(() => {
    delete process.env.SEAT_CONFIRM_SECONDS;
    delete process.env.SEAT_CONFIRMATION;
  });

  it("the stage token carries the claim; its connectionCreated confirms it and connectionDestroyed frees it", async () => {
    const answer = await join("fanA");
    const [shard, claimId] = (vonageClaims(answer.stageToken!).data as { seat?: string }).seat!.split("/");
    assert.equal(answer.seatPath, `${paths.seat(event.id, shard, "fanA")}/${claimId}`);
    assert.equal((vonageClaims(answer.backstageToken!).data as { seat?: string }).seat, undefined, "the backstage token carries none");
    assert.equal(outcome(await callback("connectionCreated", answer.stageToken!, "conn-1")), "applied");
    assert.equal((await claim(answer)).conn, "conn-1");
    // Another connection's end (an old one, a reconnect) frees nothing; this one's does.
    assert.equal(outcome(await callback("connectionDestroyed", answer.stageToken!, "conn-0")), "applied");
    assert.equal((await claim(answer)).conn, "conn-1");
    await callback("connectionDestroyed", answer.stageToken!, "conn-1");
    assert.equal(await claim(answer), null);
    assert.equal((await join("fanB")).mode, "interactive", "the freed seat goes to the next join");
    // A late or replayed connectionCreated never brings a freed seat back.
    await callback("connectionCreated", answer.stageToken!, "conn-2");
    assert.equal(await claim(answer), null);
  });

  it("only the event's stage session counts: the same data on the backstage session confirms nothing", async () => {
    const answer = await join("fanA");
    await callback("connectionCreated", answer.stageToken!, "conn-1", event.sessionId);
    assert.equal((await claim(answer)).conn, undefined);
  });

  it("an unconfirmed claim older than SEAT_CONFIRM_SECONDS is reclaimed by the next join that needs the seat", async () => {
    const first = await join("fanA");
    assert.equal((await join("fanB")).mode, "hls", "within the window the seat is held");
    await overdue();
    const next = await join("fanB");
    assert.equal(next.mode, "interactive");
    assert.equal(await seat(first), null, "fanA's seat went to fanB");
  });

  it("a confirmed claim is never reclaimed, however old", async () => {
    const first = await join("fanA");
    await callback("connectionCreated", first.stageToken!, "conn-1");
    await overdue();
    assert.equal((await join("fanB")).mode, "hls");
    assert.equal((await sweepOpenShows()).freed, 0);
    assert.equal((await claim(first)).conn, "conn-1");
  });

  it("the sweep frees overdue unconfirmed seats of open shows", async () => {
    const first = await join("fanA");
    assert.equal((await sweepOpenShows()).freed, 0, "not yet overdue");
    await overdue();
    const swept = await sweepOpenShows();
    assert.equal(swept.freed, 1);
    assert.equal(await seat(first), null);
  });

  it("SEAT_CONFIRMATION=false: seats stay until the fan leaves, confirmed or not", async () => {
    process.env.SEAT_CONFIRMATION = "false";
    const first = await join("fanA");
    await overdue();
    assert.equal((await join("fanB")).mode, "hls");
    assert.equal((await sweepOpenShows()).freed, 0);
    assert.ok(await claim(first));
  });

  it("IBS flaw 6b: connection data a client could make up (unsigned) confirms or frees nothing", async () => {
    const answer = await join("fanA");
    const [shard, claimId] = (vonageClaims(answer.stageToken!).data as { seat?: string }).seat!.split("/");
    // A made-up claim for another fan's seat, sent as a (signed) callback: the data names fanB, so it
    // is fanB's path that is looked at, never fanA's.
    const forged = JSON.stringify({ userType: "fan", participantId: "fanB", eventId: event.id, seat: `${shard}/${claimId}` });
    await postCallback(connectionCallback(event, "connectionDestroyed", "conn-x", { raw: forged }, Date.now()));
    assert.ok(await claim(answer), "fanA keeps the seat");
    const wrongShape = JSON.stringify({ userType: "fan", participantId: "fanA", eventId: event.id, seat: `${shard}/${claimId}/x` });
    await postCallback(connectionCallback(event, "connectionDestroyed", "conn-y", { raw: wrongShape }, Date.now()));
    assert.ok(await claim(answer));
  });
});
