/**
 * The producer's moves on the floor: a fan backstage, on stage, off stage, and private calls. Each is
 * idempotent (a repeat changes nothing and answers the same), recorded in the line (./line) and
 * mirrored into the IBS flags clients already read on `activeFans/{fanId}` (`isBackstage`,
 * `isOnStage`, `inPrivateCall`) and the record's `privateCall`; `isOnStage` is what
 * createTokenStageFan checks before it gives a stage publisher token.
 */
import { db } from "../platform/firebase";
import { notFound } from "../platform/errors";
import { paths } from "../contract/paths";
import type { Caller } from "../platform/roles";
import type { EventIdentity } from "../seats/showTokens";
import { anyStatus, openShow, producerAction } from "./actions";
import { changeLine, orderedLine, readLine, type LineEntry, type LineState } from "./line";
import type { MoveAnswer, PrivateCallAnswer } from "../contract/callables/live";
// The shapes answered to clients are the contract's (contract/callables/live.ts)
export type { MoveAnswer, PrivateCallAnswer } from "../contract/callables/live";

const FLAGS: Record<LineState, { isBackstage: boolean; isOnStage: boolean }> = {
  inLine: { isBackstage: false, isOnStage: false },
  backstage: { isBackstage: true, isOnStage: false },
  onStage: { isBackstage: false, isOnStage: true },
};

/** Patch of the live record's paths, or nothing when the record at the fan slug is not this show's. */
async function liveRecordPatch(identity: EventIdentity, patch: Record<string, unknown>): Promise<void> {
  const record = paths.liveRecord(identity.adminId, identity.fanUrl);
  const owner = await db().ref(`${record}/eventId`).once("value");
  if (owner.val() !== identity.eventId) return;
  const full: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(patch)) full[`${record}/${path}`] = value;
  await db().ref().update(full);
}

function fanFlags(fanId: string, values: Record<string, boolean>): Record<string, unknown> {
  const patch: Record<string, unknown> = { [`activeFans/${fanId}/id`]: fanId };
  for (const [key, value] of Object.entries(values)) patch[`activeFans/${fanId}/${key}`] = value;
  return patch;
}

const ACTIONS: Record<LineState, { action: string; what: string }> = {
  backstage: { action: "bringBackstage", what: "bring a fan backstage" },
  onStage: { action: "bringOnStage", what: "bring a fan on stage" },
  inLine: { action: "sendBackToLine", what: "send a fan back to the line" },
};

/** Moves a fan of the line to `to` (`takeOffStage` is the move to backstage under its own audit action). */
export function moveFan(
  caller: Caller,
  eventId: string,
  fanId: string,
  to: LineState,
  as?: { action: string; what: string },
): Promise<MoveAnswer> {
  const labels = as ?? ACTIONS[to];
  return producerAction(caller, eventId, { ...labels, target: { fanId }, status: openShow }, async ({ identity }) => {
    const { outcome } = await changeLine(identity, { kind: "move", fanId, to });
    if (outcome.kind !== "ok" || !outcome.entry) {
      throw notFound(`No fan ${fanId} in this show's line: getLine lists who is in it (fans who left or were removed are gone).`);
    }
    const entry = outcome.entry;
    // The flags are rewritten on a repeat too: it repairs a record the fan reset by rewriting it.
    await liveRecordPatch(identity, fanFlags(fanId, FLAGS[to]));
    return {
      result: { eventId, fanId, participantId: entry.participantId, state: entry.state, changed: outcome.changed },
      details: { from: outcome.previous?.state ?? null, to, changed: outcome.changed },
    };
  });
}

export type PrivateCallWith = "host" | "celebrity" | "fan";

const IS_WITH: Record<LineState, string> = { onStage: "fan", backstage: "backstageFan", inLine: "activeFan" };

/** The producer talks privately with the host, the celebrity or one fan of the line (ending any other call). */
export function startPrivateCall(caller: Caller, eventId: string, withWhom: PrivateCallWith, fanId?: string): Promise<PrivateCallAnswer> {
  return producerAction(
    caller,
    eventId,
    { action: "startPrivateCall", what: "start a private call", target: { with: withWhom, fanId: fanId ?? null }, status: openShow },
    async ({ identity }) => {
      const { outcome, previousFan } = await setCallInLine(identity, withWhom === "fan" ? (fanId ?? null) : null);
      if (withWhom === "fan" && (outcome.kind !== "ok" || !outcome.entry)) {
        throw notFound(`No fan ${fanId} in this show's line: only fans in line, backstage or on stage can be called.`);
      }
      const entry = withWhom === "fan" ? (outcome as { entry: LineEntry }).entry : null;
      const privateCall = entry ? { isWith: IS_WITH[entry.state], fanId: fanId as string } : { isWith: withWhom };
      const patch: Record<string, unknown> = { privateCall };
      if (previousFan && previousFan !== fanId) Object.assign(patch, fanFlags(previousFan, { inPrivateCall: false }));
      if (entry) Object.assign(patch, fanFlags(fanId as string, { inPrivateCall: true }));
      await liveRecordPatch(identity, patch);
      const changed = outcome.kind === "ok" && outcome.changed;
      return { result: { eventId, privateCall, changed }, details: { isWith: privateCall.isWith } };
    },
  );
}

export function endPrivateCall(caller: Caller, eventId: string): Promise<PrivateCallAnswer> {
  return producerAction(
    caller,
    eventId,
    { action: "endPrivateCall", what: "end a private call", status: anyStatus },
    async ({ identity }) => {
      const { outcome, previousFan } = await setCallInLine(identity, null);
      const patch: Record<string, unknown> = { privateCall: null };
      if (previousFan) Object.assign(patch, fanFlags(previousFan, { inPrivateCall: false }));
      await liveRecordPatch(identity, patch);
      return { result: { eventId, privateCall: null, changed: outcome.kind === "ok" && outcome.changed }, details: { fanId: previousFan } };
    },
  );
}

/** Marks the one fan in a call in the line; returns who was in a call before. */
async function setCallInLine(identity: EventIdentity, fanId: string | null) {
  const before = orderedLine(await readLine(identity.eventId)).find((entry) => entry.inPrivateCall);
  const { outcome } = await changeLine(identity, { kind: "privateCall", fanId });
  return { outcome, previousFan: before?.fanId ?? null };
}
