/**
 * The show's floor run from the server (issue 17): the line, the producer's moves, removal, mute,
 * signals and token refresh, through the callables (fft.wrap) against the in-process database (real
 * rules) and the Vonage stand-in. Session-monitoring callbacks are written as the attendance applier
 * stores them (the integration suite sends real ones).
 */
import assert from "node:assert/strict";
import { authFor, expectHttpsError, fft, LOCAL_VONAGE } from "../../testing/harness";
import { freshShow } from "../../testing/fixtures";
import { seatHolders } from "../../testing/lifecycleFixtures";
import { useVonageStandin, type VonageStandin } from "../../testing/vonageStandin";
import { db } from "../../platform/firebase";
import { paths } from "../../contract/paths";
import { resetRateLimits } from "../../platform/rateLimit";
import type { EventRecord } from "../../events/model";
import { createTokensFan } from "../../seats/functions/createTokensFan";
import { createTokenStageFan } from "../../seats/functions/createTokenStageFan";
import { resetRemovalsForTests } from "../bans";
import { lineAfterDisconnect } from "../queue";
import { auditPage } from "../audit";
import { joinLine } from "./joinLine";
import { leaveLine } from "./leaveLine";
import { getLine } from "./getLine";
import { bringBackstage } from "./bringBackstage";
import { bringOnStage } from "./bringOnStage";
import { takeOffStage } from "./takeOffStage";
import { startPrivateCall } from "./startPrivateCall";
import { endPrivateCall } from "./endPrivateCall";
import { removeParticipant } from "./removeParticipant";
import { muteStream } from "./muteStream";
import { muteAll } from "./muteAll";
import { sendSignal } from "./sendSignal";
import { refreshTokens } from "./refreshTokens";

type Auth = ReturnType<typeof authFor>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const wrap = (fn: unknown) => fft.wrap(fn as any) as unknown as (request: { data: unknown; auth?: Auth }) => Promise<any>;

const call = {
  createTokensFan: wrap(createTokensFan),
  createTokenStageFan: wrap(createTokenStageFan),
  joinLine: wrap(joinLine),
  leaveLine: wrap(leaveLine),
  getLine: wrap(getLine),
  bringBackstage: wrap(bringBackstage),
  bringOnStage: wrap(bringOnStage),
  takeOffStage: wrap(takeOffStage),
  startPrivateCall: wrap(startPrivateCall),
  endPrivateCall: wrap(endPrivateCall),
  removeParticipant: wrap(removeParticipant),
  muteStream: wrap(muteStream),
  muteAll: wrap(muteAll),
  sendSignal: wrap(sendSignal),
  refreshTokens: wrap(refreshTokens),
};

interface StandinExtras {
  createStream(connectionId: string, options?: { name?: string }): { id: string };
}
interface StandinState {
  sessions: Array<{
    id: string;
    connections: Array<{ connectionId: string }>;
    streams: Array<{ id: string; audioMuted: boolean }>;
    forceMute: unknown;
  }>;
  signals: Array<{ sessionId: string; connectionId: string | null; type: string; data: string; recipients: string[] }>;
}

describe("live: the show's floor through the callables", function () {
  this.timeout(60_000);
  let vonage: VonageStandin & StandinExtras;
  const standinState = () => vonage.state() as unknown as StandinState;
  let event: EventRecord;
  const admin = authFor("adm1", { role: "admin", superAdmin: false }, "password");
  const fanAuth = (uid: string) => authFor(uid, { role: "fan", adminId: "adm1", eventId: event.id });
  const record = () => paths.liveRecord("adm1", event.fanUrl);
  const read = async (path: string) => (await db().ref(path).once("value")).val() as unknown;

  /** A seated fan in line: tokens, presence record, joinLine. */
  async function seatedInLine(uid: string, name = uid) {
    const fanId = `${uid}-tab1`;
    const tokens = await call.createTokensFan({ data: { fanId }, auth: fanAuth(uid) });
    assert.equal(tokens.mode, "interactive");
    await db().ref(`${record()}/activeFans/${fanId}`).set({ id: fanId, name });
    const spot = await call.joinLine({ data: { fanId, name }, auth: fanAuth(uid) });
    return { uid, fanId, tokens, spot };
  }

  /** What the attendance applier stores for a connection (and its stream) Vonage reported. */
  async function reportConnection(uid: string, session: "stage" | "backstage", connectionId: string, userType: string, streamId?: string) {
    await db().ref(paths.attendanceConnection(event.id, connectionId)).set({ participantId: uid, userType, session, joinedAt: Date.now() });
    if (streamId)
      await db().ref(paths.attendanceStream(event.id, streamId)).set({ connectionId, participantId: uid, startedAt: Date.now() });
  }

  beforeEach(async () => {
    vonage = (await useVonageStandin()) as VonageStandin & StandinExtras;
    resetRateLimits();
    resetRemovalsForTests();
    const backstage = vonage.createSession({ apiKey: LOCAL_VONAGE.apiKey }).sessionId;
    const stage = vonage.createSession({ apiKey: LOCAL_VONAGE.apiKey }).sessionId;
    event = await freshShow({ status: "live", interactiveLimit: 50, sessionId: backstage, stageSessionId: stage });
    await db().ref(record()).update({ eventId: event.id, status: "live" });
  });

  it("20 fans get in line in order; each has their exact position; leaving moves those behind up", async () => {
    const fans = [];
    for (let i = 0; i < 20; i++) fans.push(await seatedInLine(`fan${String(i).padStart(2, "0")}`));
    assert.deepEqual(
      fans.map((fan) => fan.spot.position),
      fans.map((_, i) => i + 1),
    );
    for (const [i, fan] of fans.entries()) assert.equal(((await read(fan.spot.linePath)) as { position: number }).position, i + 1);
    // A repeat join keeps the place.
    assert.equal((await call.joinLine({ data: { fanId: fans[4].fanId }, auth: fanAuth(fans[4].uid) })).position, 5);
    assert.equal((await call.leaveLine({ data: { fanId: fans[2].fanId }, auth: fanAuth(fans[2].uid) })).left, true);
    assert.equal(((await read(fans[3].spot.linePath)) as { position: number }).position, 3);
    assert.equal(((await read(fans[19].spot.linePath)) as { position: number }).position, 19);
    const line = await call.getLine({ data: { eventId: event.id }, auth: admin });
    assert.equal(line.waiting, 19);
    assert.deepEqual(
      line.fans.map((entry: { fanId: string }) => entry.fanId),
      fans.filter((_, i) => i !== 2).map((fan) => fan.fanId),
    );
    // The live count beside the record (published at most every 2 s: at least the first join's).
    assert.equal(typeof (await read(`${record()}/counts/inLine`)), "number");
  });

  it("a fan whose entry went with their connection leaves the line; getLine heals the positions", async () => {
    const [a, b, c] = [await seatedInLine("fa"), await seatedInLine("fb"), await seatedInLine("fc")];
    await db().ref(a.spot.linePath).remove(); // what the fan's onDisconnect does
    const line = await call.getLine({ data: { eventId: event.id }, auth: admin });
    assert.deepEqual(
      line.fans.map((entry: { fanId: string; position: number }) => [entry.fanId, entry.position]),
      [
        [b.fanId, 1],
        [c.fanId, 2],
      ],
    );
    assert.equal(((await read(c.spot.linePath)) as { position: number }).position, 2);
  });

  it("Vonage's connectionDestroyed for a fan's last backstage connection takes them out of the line", async () => {
    const [a, b] = [await seatedInLine("fd"), await seatedInLine("fe")];
    const data = (uid: string) => JSON.stringify({ userType: "backstageFan", participantId: uid, eventId: event.id });
    await reportConnection(a.uid, "backstage", "conn-a1", "backstageFan");
    await reportConnection(a.uid, "backstage", "conn-a2", "backstageFan");
    await db()
      .ref(`${paths.attendanceConnection(event.id, "conn-a1")}/leftAt`)
      .set(Date.now());
    await lineAfterDisconnect(event.id, data(a.uid));
    assert.ok(await read(a.spot.linePath), "another backstage connection is still open: still in line");
    await db()
      .ref(`${paths.attendanceConnection(event.id, "conn-a2")}/leftAt`)
      .set(Date.now());
    await lineAfterDisconnect(event.id, data(a.uid));
    assert.equal(await read(a.spot.linePath), null);
    assert.equal(((await read(b.spot.linePath)) as { position: number }).position, 1);
    // Not ours, another event's, or not a backstage fan: nothing happens.
    await lineAfterDisconnect(event.id, JSON.stringify({ userType: "fan", participantId: b.uid, eventId: event.id }));
    await lineAfterDisconnect(event.id, "not json");
    assert.ok(await read(b.spot.linePath));
  });

  it("only seated fans get in line, with their own key, while the show is open", async () => {
    const outsider = fanAuth("nobody");
    await expectHttpsError(call.joinLine({ data: { fanId: "nobody-t" }, auth: outsider }), "failed-precondition");
    const seated = await seatedInLine("fs");
    await expectHttpsError(call.joinLine({ data: { fanId: "someoneelse-t" }, auth: fanAuth(seated.uid) }), "permission-denied");
    await expectHttpsError(call.joinLine({ data: { fanId: "fs-t2" }, auth: admin }), "permission-denied");
    await db()
      .ref(`${paths.stageGate(event.id)}/status`)
      .set("closed");
    await expectHttpsError(call.joinLine({ data: { fanId: "fs-t2" }, auth: fanAuth(seated.uid) }), "failed-precondition");
  });

  it("the producer moves fans backstage and on stage; createTokenStageFan follows; each action is audited", async () => {
    const fan = await seatedInLine("fm");
    const next = await seatedInLine("fn");
    const moved = await call.bringBackstage({ data: { eventId: event.id, fanId: fan.fanId }, auth: admin });
    assert.deepEqual([moved.state, moved.changed], ["backstage", true]);
    assert.equal((await call.bringBackstage({ data: { eventId: event.id, fanId: fan.fanId }, auth: admin })).changed, false);
    assert.equal(((await read(next.spot.linePath)) as { position: number }).position, 1);
    assert.equal(await read(`${record()}/activeFans/${fan.fanId}/isBackstage`), true);
    await expectHttpsError(call.createTokenStageFan({ data: { fanId: fan.fanId }, auth: fanAuth(fan.uid) }), "permission-denied");

    await call.bringOnStage({ data: { eventId: event.id, fanId: fan.fanId }, auth: admin });
    assert.equal(await read(`${record()}/activeFans/${fan.fanId}/isOnStage`), true);
    const stage = await call.createTokenStageFan({ data: { fanId: fan.fanId }, auth: fanAuth(fan.uid) });
    assert.ok(stage.stageToken);
    const refreshed = await call.refreshTokens({ data: { fanId: fan.fanId }, auth: fanAuth(fan.uid) });
    assert.equal(refreshed.stageRole, "publisher");

    await call.takeOffStage({ data: { eventId: event.id, fanId: fan.fanId }, auth: admin });
    assert.equal(await read(`${record()}/activeFans/${fan.fanId}/isOnStage`), false);
    await expectHttpsError(call.createTokenStageFan({ data: { fanId: fan.fanId }, auth: fanAuth(fan.uid) }), "permission-denied");

    const callAnswer = await call.startPrivateCall({ data: { eventId: event.id, with: "fan", fanId: next.fanId }, auth: admin });
    assert.deepEqual(callAnswer.privateCall, { isWith: "activeFan", fanId: next.fanId });
    assert.equal(await read(`${record()}/activeFans/${next.fanId}/inPrivateCall`), true);
    await call.startPrivateCall({ data: { eventId: event.id, with: "host" }, auth: admin });
    assert.equal(await read(`${record()}/activeFans/${next.fanId}/inPrivateCall`), false);
    assert.deepEqual(await read(`${record()}/privateCall`), { isWith: "host" });
    await call.endPrivateCall({ data: { eventId: event.id }, auth: admin });
    assert.equal(await read(`${record()}/privateCall`), null);
    await expectHttpsError(call.bringOnStage({ data: { eventId: event.id, fanId: "ghost-t" }, auth: admin }), "not-found");

    const trail = await auditPage(event.id, 50);
    assert.deepEqual(
      trail.entries.map((entry) => [entry.action, entry.outcome, entry.actor.uid]),
      [
        ["bringBackstage", "ok", "adm1"],
        ["bringBackstage", "ok", "adm1"],
        ["bringOnStage", "ok", "adm1"],
        ["takeOffStage", "ok", "adm1"],
        ["startPrivateCall", "ok", "adm1"],
        ["startPrivateCall", "ok", "adm1"],
        ["endPrivateCall", "ok", "adm1"],
        ["bringOnStage", "failed", "adm1"],
      ],
    );
    assert.equal(trail.entries[0].target?.fanId, fan.fanId);
    assert.equal(trail.entries[7].error?.code, "not-found");
  });

  it("removal: disconnected from both sessions at Vonage, seat freed, every token refused, idempotent", async () => {
    const fan = await seatedInLine("fr");
    const backstage = vonage.connectClient(event.sessionId, { token: fan.tokens.backstageToken });
    const onStage = vonage.connectClient(event.stageSessionId, { token: fan.tokens.stageToken });
    await reportConnection(fan.uid, "backstage", backstage.connectionId, "backstageFan");
    await reportConnection(fan.uid, "stage", onStage.connectionId, "fan");

    const removed = await call.removeParticipant({ data: { eventId: event.id, participantId: fan.uid }, auth: admin });
    assert.deepEqual([removed.firstRemoval, removed.leftLine, removed.disconnected], [true, 1, 2]);
    const open = standinState().sessions.flatMap((session) => session.connections.map((connection) => connection.connectionId));
    assert.ok(!open.includes(backstage.connectionId) && !open.includes(onStage.connectionId));
    assert.ok(!(await seatHolders(event.id)).includes(fan.uid));
    assert.equal(await read(`${record()}/activeFans/${fan.fanId}`), null);
    assert.equal(await read(fan.spot.linePath), null);

    for (const attempt of [
      () => call.createTokensFan({ data: { fanId: fan.fanId }, auth: fanAuth(fan.uid) }),
      () => call.createTokenStageFan({ data: { fanId: fan.fanId }, auth: fanAuth(fan.uid) }),
      () => call.refreshTokens({ data: {}, auth: fanAuth(fan.uid) }),
      () => call.joinLine({ data: { fanId: fan.fanId }, auth: fanAuth(fan.uid) }),
    ]) {
      await expectHttpsError(attempt(), "permission-denied");
    }
    // The refused join gave its claim back: the seat is still free.
    assert.ok(!(await seatHolders(event.id)).includes(fan.uid));
    // After this instance forgets (a new instance), the removal still holds: it is in the database.
    resetRemovalsForTests();
    await expectHttpsError(call.createTokensFan({ data: {}, auth: fanAuth(fan.uid) }), "permission-denied");

    const again = await call.removeParticipant({ data: { eventId: event.id, participantId: fan.uid }, auth: admin });
    assert.deepEqual([again.firstRemoval, again.disconnected], [false, 0]);
    await expectHttpsError(call.removeParticipant({ data: { eventId: event.id, participantId: "adm1" }, auth: admin }), "invalid-argument");
  });

  it("mute one stream and everyone but the stage: the stand-in's streams show it", async () => {
    const fan = await seatedInLine("fv");
    const backstage = vonage.connectClient(event.sessionId, { token: fan.tokens.backstageToken });
    const fanStream = vonage.createStream(backstage.connectionId, { name: "fan" });
    await reportConnection(fan.uid, "backstage", backstage.connectionId, "backstageFan", fanStream.id);
    await expectHttpsError(call.muteStream({ data: { eventId: event.id, streamId: "unknownstream" }, auth: admin }), "failed-precondition");
    await call.muteStream({ data: { eventId: event.id, streamId: fanStream.id }, auth: admin });
    const streamState = () =>
      standinState()
        .sessions.flatMap((session) => session.streams)
        .find((stream) => stream.id === fanStream.id);
    assert.equal(streamState()?.audioMuted, true);

    const host = vonage.connectClient(event.stageSessionId, { role: "publisher", data: "host" });
    const hostStream = vonage.createStream(host.connectionId, { name: "host" });
    await reportConnection("host-x", "stage", host.connectionId, "host", hostStream.id);
    const other = vonage.connectClient(event.stageSessionId, { role: "publisher", data: "other" });
    const otherStream = vonage.createStream(other.connectionId, { name: "other" });
    await reportConnection("someone", "stage", other.connectionId, "fan", otherStream.id);
    const answer = await call.muteAll({ data: { eventId: event.id }, auth: admin });
    assert.deepEqual([answer.session, answer.excluded], ["stage", 1]);
    const stage = standinState().sessions.find((session) => session.id === event.stageSessionId)!;
    assert.deepEqual(stage.forceMute, { active: true, excludedStreamIds: [hostStream.id] });
    assert.deepEqual(
      stage.streams.map((stream) => [stream.id, stream.audioMuted]).sort(),
      [
        [hostStream.id, false],
        [otherStream.id, true],
      ].sort(),
    );
  });

  it("signals reach one participant's connections or a whole session; a retried requestId is sent once", async () => {
    const fan = await seatedInLine("fg");
    await expectHttpsError(
      call.sendSignal({ data: { eventId: event.id, participantId: fan.uid, type: "note", data: "hi" }, auth: admin }),
      "failed-precondition",
    );
    const backstage = vonage.connectClient(event.sessionId, { token: fan.tokens.backstageToken });
    await reportConnection(fan.uid, "backstage", backstage.connectionId, "backstageFan");
    const sent = await call.sendSignal({
      data: { eventId: event.id, participantId: fan.uid, type: "note", data: "hi", requestId: "r1" },
      auth: admin,
    });
    assert.equal(sent.connections, 1);
    const repeat = await call.sendSignal({
      data: { eventId: event.id, participantId: fan.uid, type: "note", data: "hi", requestId: "r1" },
      auth: admin,
    });
    assert.equal(repeat.duplicate, true);
    await call.sendSignal({ data: { eventId: event.id, session: "stage", type: "goLive", data: "" }, auth: admin });
    const signals = standinState().signals.filter(
      (signal) => signal.sessionId === event.sessionId || signal.sessionId === event.stageSessionId,
    );
    assert.deepEqual(
      signals.map((signal) => [signal.connectionId, signal.type, signal.data, signal.recipients]),
      [
        [backstage.connectionId, "note", "hi", [backstage.connectionId]],
        [null, "goLive", "", []],
      ],
    );
    await expectHttpsError(
      call.sendSignal({ data: { eventId: event.id, type: "x", data: "y".repeat(2001) }, auth: admin }),
      "invalid-argument",
    );
  });

  it("refreshTokens: the same seat (no second one), never after close", async () => {
    const fan = await seatedInLine("ft");
    const holders = () => seatHolders(event.id);
    const before = await holders();
    assert.ok(before.includes(fan.uid));
    const refreshed = await call.refreshTokens({ data: { fanId: fan.fanId }, auth: fanAuth(fan.uid) });
    assert.deepEqual([refreshed.userType, refreshed.stageRole, refreshed.sessionId], ["fan", "subscriber", event.sessionId]);
    assert.ok(vonage.connectClient(event.sessionId, { token: refreshed.backstageToken }).connectionId);
    assert.deepEqual(await holders(), before);
    await expectHttpsError(call.refreshTokens({ data: {}, auth: fanAuth("unseated") }), "failed-precondition");
    const host = authFor(`host-${event.id}`, { role: "host", adminId: "adm1", eventId: event.id });
    assert.equal((await call.refreshTokens({ data: {}, auth: host })).stageRole, "publisher");
    await db()
      .ref(`${paths.stageGate(event.id)}/status`)
      .set("closed");
    await expectHttpsError(call.refreshTokens({ data: {}, auth: fanAuth(fan.uid) }), "failed-precondition");
    await expectHttpsError(call.refreshTokens({ data: {}, auth: host }), "failed-precondition");
  });

  it("a fan, a host, another admin, a signed-in user and a signed-out caller are refused every producer action", async () => {
    const fan = await seatedInLine("fz");
    const refusals: Array<[Auth | undefined, string]> = [
      [fanAuth(fan.uid), "permission-denied"],
      [authFor(`host-${event.id}`, { role: "host", adminId: "adm1", eventId: event.id }), "permission-denied"],
      [authFor("adm2", { role: "admin", superAdmin: false }, "password"), "permission-denied"],
      [authFor("anon9", {}, "anonymous"), "permission-denied"],
      [undefined, "unauthenticated"],
    ];
    const actions: Array<[keyof typeof call, Record<string, unknown>]> = [
      ["getLine", {}],
      ["bringBackstage", { fanId: fan.fanId }],
      ["bringOnStage", { fanId: fan.fanId }],
      ["takeOffStage", { fanId: fan.fanId }],
      ["startPrivateCall", { with: "host" }],
      ["endPrivateCall", {}],
      ["removeParticipant", { participantId: fan.uid }],
      ["muteStream", { streamId: "s1" }],
      ["muteAll", {}],
      ["sendSignal", { type: "t", data: "d" }],
    ];
    const wrong: string[] = [];
    for (const [name, input] of actions) {
      for (const [auth, code] of refusals) {
        try {
          await call[name]({ data: { eventId: event.id, ...input }, auth });
          wrong.push(`${name} accepted ${auth?.uid}`);
        } catch (error) {
          if ((error as { code?: string }).code !== code) wrong.push(`${name} ${auth?.uid}: ${(error as { code?: string }).code}`);
        }
      }
    }
    assert.deepEqual(wrong, []);
    // Nothing changed: the fan is still waiting in line, with a seat.
    assert.equal(((await read(fan.spot.linePath)) as { state: string }).state, "inLine");
    assert.ok((await seatHolders(event.id)).includes(fan.uid));
    // A superAdmin may produce any show.
    const root = authFor("root", { role: "admin", superAdmin: true }, "password");
    assert.equal((await call.getLine({ data: { eventId: event.id }, auth: root })).size, 1);
  });
});
