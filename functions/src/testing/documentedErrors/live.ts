/**
 * Domain rows of the live area: each triggers one documented code through the real callable. The
 * shows run on sessions the Vonage stand-in has, with a fan seated and in line through the fan's own
 * callables and connected as the attendance applier records Vonage's callbacks, so each action would
 * succeed but for what its row changes.
 */
import { db } from "../../platform/firebase";
import { paths } from "../../contract/paths";
import type { EventRecord } from "../../events/model";
import { authFor, LOCAL_VONAGE, testDatabase } from "../harness";
import { seedAdmin, seedEvent } from "../fixtures";
import { useVonageStandin, type VonageStandin } from "../vonageStandin";
import { admin, callAs, limited, type Row } from "./support";

const otherAdmin = authFor("adm2", { role: "admin", superAdmin: false }, "password");
const fanOf = (uid: string, eventId: string) => authFor(uid, { role: "fan", adminId: "adm1", eventId });
/** A fan whose login names a show that no longer exists (deleted since). */
const fanOfGoneShow = authFor("fanGone", { role: "fan", adminId: "adm1", eventId: "deleted-show" });

export interface Show {
  event: EventRecord;
  fan: { uid: string; fanId: string; auth: ReturnType<typeof fanOf> };
  /** The fan's backstage connection and its stream, at the stand-in and in the attendance records. */
  connectionId: string;
  streamId: string;
}

/** A show of adm1, live on two stand-in sessions, with fan `fanA` seated, in line, connected and publishing backstage. */
export async function liveShow(): Promise<Show> {
  const standin = (await useVonageStandin()) as VonageStandin & { createStream(connectionId: string): { id: string } };
  const [sessionId, stageSessionId] = [0, 1].map(() => standin.createSession({ apiKey: LOCAL_VONAGE.apiKey }).sessionId);
  const event = await seedEvent("adm1", { status: "live", interactiveLimit: 50, sessionId, stageSessionId });
  await db().ref(paths.liveRecord("adm1", event.fanUrl)).update({ eventId: event.id, status: "live" });
  const fan = { uid: "fanA", fanId: "fanA-tab1", auth: fanOf("fanA", event.id) };
  const tokens = (await callAs("createTokensFan", fan.auth, { fanId: fan.fanId })) as { backstageToken: string };
  await callAs("joinLine", fan.auth, { fanId: fan.fanId, name: "Fan A" });
  const { connectionId } = standin.connectClient(sessionId, { token: tokens.backstageToken });
  const streamId = standin.createStream(connectionId).id;
  const now = Date.now();
  await db()
    .ref()
    .update({
      [paths.attendanceConnection(event.id, connectionId)]: {
        participantId: fan.uid,
        userType: "backstageFan",
        session: "backstage",
        joinedAt: now,
      },
      [paths.attendanceStream(event.id, streamId)]: { connectionId, participantId: fan.uid, startedAt: now },
    });
  return { event, fan, connectionId, streamId };
}

/** The show closed since (written with the same patch builder the status change uses). */
async function closed(show: Show): Promise<Show> {
  await seedEvent("adm1", { ...show.event, status: "closed" });
  return show;
}

/** Vonage fails the one REST call (method and path) the action makes, on every retry. */
async function vonageFails(method: string, pathRegex: string): Promise<void> {
  (await useVonageStandin()).injectFault({ method, pathRegex, status: 500, count: 0 });
}

/** Each producer action with an input it carries out on the show (tests/documentedErrorsLive checks it does). */
export const ACTIONS: Record<string, (show: Show) => Record<string, unknown>> = {
  bringBackstage: ({ fan }) => ({ fanId: fan.fanId }),
  bringOnStage: ({ fan }) => ({ fanId: fan.fanId }),
  takeOffStage: ({ fan }) => ({ fanId: fan.fanId }),
  startPrivateCall: ({ fan }) => ({ with: "fan", fanId: fan.fanId }),
  endPrivateCall: () => ({}),
  removeParticipant: ({ fan }) => ({ participantId: fan.uid }),
  muteStream: ({ streamId }) => ({ streamId }),
  muteAll: () => ({}),
  sendSignal: ({ fan }) => ({ participantId: fan.uid, type: "note", data: "hello" }),
};
/** The actions a producer can take in any status (ending a call, removing someone). */
const ANY_STATUS = new Set(["endPrivateCall", "removeParticipant"]);

export const act = (fn: string, auth: unknown, show: Show, input = ACTIONS[fn](show)) =>
  callAs(fn, auth, { eventId: show.event.id, ...input });

function producerRows(fn: string): Row[] {
  const rows: Row[] = [
    {
      fn,
      code: "not-found",
      how: "an unknown event",
      run: async () => callAs(fn, admin, { ...ACTIONS[fn](await liveShow()), eventId: "no-such-event" }),
    },
    { fn, code: "permission-denied", how: "another admin's show", run: async () => act(fn, otherAdmin, await liveShow()) },
  ];
  if (!ANY_STATUS.has(fn)) {
    rows.push({
      fn,
      code: "failed-precondition",
      how: "a show that closed",
      run: async () => act(fn, admin, await closed(await liveShow())),
    });
  }
  return rows;
}

/** The fan left the line before the producer acted on them. */
const fanLeftLine = (fn: string): Row => ({
  fn,
  code: "not-found",
  how: "a fan who left the line",
  run: async () => {
    const show = await liveShow();
    await callAs("leaveLine", show.fan.auth, { fanId: show.fan.fanId });
    return act(fn, admin, show);
  },
});

/** The producer removed the fan from the show. */
const removedFan = (fn: string, input: (show: Show) => Record<string, unknown>): Row => ({
  fn,
  code: "permission-denied",
  how: "a fan the producer removed",
  run: async () => {
    const show = await liveShow();
    await act("removeParticipant", admin, show);
    return callAs(fn, show.fan.auth, input(show));
  },
});

/** A fan of the live show who never took an interactive seat (an HLS viewer, or createTokensFan not called). */
const unseatedFan = (fn: string, input: Record<string, unknown>): Row => ({
  fn,
  code: "failed-precondition",
  how: "a fan who holds no interactive seat",
  run: async () => callAs(fn, fanOf("fanB", (await liveShow()).event.id), input),
});

/**
 * Every transaction on the show's line loses (other instances change it at each attempt, the SDK gives
 * up with maxretry), as when many fans and the producer change the line at once.
 */
const lineContended = (fn: string, run: (show: Show) => Promise<unknown>): Row => ({
  fn,
  code: "unavailable",
  how: "the fan line contended (every transaction loses its race)",
  run: async () => {
    const show = await liveShow();
    (await testDatabase()).contend(paths.liveLine(show.event.id), 100_000);
    return run(show);
  },
});

export const rows: Row[] = [
  ...Object.keys(ACTIONS).flatMap(producerRows),
  ...["bringBackstage", "bringOnStage", "takeOffStage", "startPrivateCall", "endPrivateCall"].map((fn) =>
    lineContended(fn, (show) => act(fn, admin, show)),
  ),
  lineContended("joinLine", (show) => callAs("joinLine", show.fan.auth, { fanId: show.fan.fanId, name: "Fan A" })),
  lineContended("leaveLine", (show) => callAs("leaveLine", show.fan.auth, { fanId: show.fan.fanId })),
  lineContended("getLine", async (show) => {
    // A count to publish whose interval has passed: the producer's read renumbers the line.
    await db().ref(paths.liveLine(show.event.id)).update({ counted: 99, countedAt: 0 });
    return callAs("getLine", admin, { eventId: show.event.id });
  }),
  ...["bringBackstage", "bringOnStage", "takeOffStage", "startPrivateCall"].map(fanLeftLine),
  {
    fn: "removeParticipant",
    code: "failed-precondition",
    how: "Vonage refuses the admin's credential (its secret was changed at Vonage)",
    run: async () => {
      const show = await liveShow();
      await seedAdmin("adm1", {}, { apiKey: LOCAL_VONAGE.apiKey, apiSecret: "no-longer-the-secret-at-vonage-0000000001" });
      return act("removeParticipant", admin, show);
    },
  },
  {
    fn: "removeParticipant",
    code: "unavailable",
    how: "Vonage down for the force-disconnect",
    run: async () => {
      const show = await liveShow();
      await vonageFails("DELETE", `/session/${show.event.sessionId}/connection/${show.connectionId}$`);
      return act("removeParticipant", admin, show);
    },
  },
  {
    fn: "muteStream",
    code: "failed-precondition",
    how: "a stream no Vonage callback reported",
    run: async () => act("muteStream", admin, await liveShow(), { streamId: "never-reported-stream" }),
  },
  {
    fn: "muteStream",
    code: "unavailable",
    how: "Vonage down for the mute",
    run: async () => {
      const show = await liveShow();
      await vonageFails("POST", `/session/${show.event.sessionId}/stream/${show.streamId}/mute$`);
      return act("muteStream", admin, show);
    },
  },
  {
    fn: "muteAll",
    code: "unavailable",
    how: "Vonage down for the session mute",
    run: async () => {
      const show = await liveShow();
      await vonageFails("POST", `/session/${show.event.stageSessionId}/mute$`);
      return act("muteAll", admin, show);
    },
  },
  {
    fn: "sendSignal",
    code: "failed-precondition",
    how: "a participant with no open connection",
    run: async () => act("sendSignal", admin, await liveShow(), { participantId: "fanB", type: "note", data: "hello" }),
  },
  {
    fn: "sendSignal",
    code: "unavailable",
    how: "Vonage down for the signal",
    run: async () => {
      const show = await liveShow();
      await vonageFails("POST", `/connection/${show.connectionId}/signal$`);
      return act("sendSignal", admin, show);
    },
  },
  { fn: "getAuditLog", code: "not-found", how: "an unknown event", run: () => callAs("getAuditLog", admin, { eventId: "no-such-event" }) },
  {
    fn: "getAuditLog",
    code: "permission-denied",
    how: "another admin's show",
    run: async () => callAs("getAuditLog", otherAdmin, { eventId: (await liveShow()).event.id }),
  },
  { fn: "getLine", code: "not-found", how: "an unknown event", run: () => callAs("getLine", admin, { eventId: "no-such-event" }) },
  {
    fn: "getLine",
    code: "permission-denied",
    how: "another admin's show",
    run: async () => callAs("getLine", otherAdmin, { eventId: (await liveShow()).event.id }),
  },
  unseatedFan("joinLine", { fanId: "fanB-tab1" }),
  {
    fn: "joinLine",
    code: "not-found",
    how: "a login for a show deleted since",
    run: () => callAs("joinLine", fanOfGoneShow, { fanId: "fanGone" }),
  },
  removedFan("joinLine", (show) => ({ fanId: show.fan.fanId })),
  {
    fn: "joinLine",
    code: "resource-exhausted",
    how: "a second call over a limit of 1 a minute",
    run: async () => {
      const show = await liveShow();
      return limited("joinLine", { fanId: show.fan.fanId }, show.fan.auth);
    },
  },
  {
    fn: "leaveLine",
    code: "not-found",
    how: "a login for a show deleted since",
    run: () => callAs("leaveLine", fanOfGoneShow, { fanId: "fanGone" }),
  },
  unseatedFan("refreshTokens", {}),
  {
    fn: "refreshTokens",
    code: "not-found",
    how: "a login for a show deleted since",
    run: () => callAs("refreshTokens", fanOfGoneShow, {}),
  },
  removedFan("refreshTokens", (show) => ({ fanId: show.fan.fanId })),
  {
    fn: "refreshTokens",
    code: "resource-exhausted",
    how: "a second call over a limit of 1 a minute",
    run: async () => {
      const show = await liveShow();
      return limited("refreshTokens", { fanId: show.fan.fanId }, show.fan.auth);
    },
  },
];
