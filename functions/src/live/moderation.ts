/**
 * The producer's moderation, through Vonage's REST API with the event's own credential: removing a
 * participant (force-disconnect from both sessions, seat freed, refused new tokens: ./bans), muting a
 * stream or everyone but the stage, and signals. Connection and stream ids come from the session
 * monitoring callbacks (./connections); a participant with none known gets failed-precondition.
 */
import { db } from "../platform/firebase";
import { paths } from "../contract/paths";
import { failedPrecondition, invalidArgument } from "../platform/errors";
import type { Caller } from "../platform/roles";
import {
  forceDisconnect,
  listStreams,
  muteSession,
  muteStream as muteOneStream,
  sendSignal,
  VonageError,
} from "../platform/vonage/operations";
import { eventCredentials } from "../admins/tenants";
import { ownsFanId } from "../seats/fanJoin";
import type { EventIdentity } from "../seats/showTokens";
import { anyStatus, openShow, producerVonageAction } from "./actions";
import type { AuditFacts } from "./audit";
import { recordRemoval } from "./bans";
import { openConnectionsOf, streamById, type SessionKind } from "./connections";
import { changeLine, orderedLine, readLine } from "./line";
import { freeSeat } from "./seatLink";
import type { RemovalAnswer, MuteAnswer, SignalAnswer } from "../contract/callables/live";
// The shapes answered to clients are the contract's (contract/callables/live.ts)
export type { RemovalAnswer, MuteAnswer, SignalAnswer } from "../contract/callables/live";

const sessionIdOf = (identity: EventIdentity, kind: SessionKind) => (kind === "stage" ? identity.stageSessionId : identity.sessionId);

/** The participant's fan records (`<uid>` and `<uid>-<tab>` keys), removed while the record is this show's. */
async function removeFanRecords(identity: EventIdentity, uid: string): Promise<number> {
  const record = paths.liveRecord(identity.adminId, identity.fanUrl);
  const owner = await db().ref(`${record}/eventId`).once("value");
  if (owner.val() !== identity.eventId) return 0;
  const keys = await db().ref(`${record}/activeFans`).orderByKey().startAt(uid).endAt(`${uid}-\uf8ff`).once("value");
  const patch: Record<string, null> = {};
  keys.forEach((child) => {
    if (child.key && ownsFanId(uid, child.key)) patch[`${record}/activeFans/${child.key}`] = null;
  });
  const privateCall = (await db().ref(`${record}/privateCall/fanId`).once("value")).val() as unknown;
  if (typeof privateCall === "string" && ownsFanId(uid, privateCall)) patch[`${record}/privateCall`] = null;
  if (Object.keys(patch).length) await db().ref().update(patch);
  return Object.keys(patch).length;
}

/**
 * Removes a participant (fan, host or celebrity) from the show for good: refused new tokens first (so
 * nothing they do meanwhile gets them back), out of the line, fan records and seat freed, then every
 * connection of theirs force-disconnected on both sessions. Idempotent: a repeat finishes whatever a
 * failed attempt left (a Vonage failure is reported as unavailable; the removal itself stays).
 */
export function removeParticipant(caller: Caller, eventId: string, participantId: string): Promise<RemovalAnswer> {
  return producerVonageAction(
    caller,
    eventId,
    { action: "removeParticipant", what: "remove a participant", target: { participantId }, status: anyStatus },
    async ({ identity }) => {
      if (participantId === identity.adminId || participantId === caller.uid) {
        throw invalidArgument("The producer cannot remove themself from their own show.");
      }
      const { first } = await recordRemoval(eventId, participantId, caller.uid);
      const { outcome } = await changeLine(identity, { kind: "leaveParticipant", participantId });
      await removeFanRecords(identity, participantId);
      await freeSeat(eventId, participantId);
      const connections = await openConnectionsOf(eventId, participantId);
      const credential = connections.length ? await eventCredentials(identity) : null;
      let disconnected = 0;
      let alreadyGone = 0;
      for (const connection of connections) {
        const result = await forceDisconnect(credential!, sessionIdOf(identity, connection.session), connection.connectionId);
        if (result === "disconnected") disconnected++;
        else alreadyGone++;
      }
      const leftLine = outcome.kind === "ok" ? outcome.removed.length : 0;
      return {
        result: { eventId, participantId, firstRemoval: first, leftLine, disconnected, alreadyGone },
        details: { firstRemoval: first, leftLine, disconnected, alreadyGone },
      };
    },
  );
}

/** Mutes one stream's audio at Vonage (the client cannot undo it). */
export function muteStream(caller: Caller, eventId: string, streamId: string): Promise<MuteAnswer> {
  return producerVonageAction(
    caller,
    eventId,
    { action: "muteStream", what: "mute a stream", target: { streamId }, status: openShow },
    async ({ identity }) => {
      const stream = await streamById(eventId, streamId);
      if (!stream || !stream.session) {
        throw failedPrecondition(
          `No stream ${streamId} is known for this show: streams are known from Vonage's streamCreated callback (is session monitoring configured?).`,
        );
      }
      if (stream.ended) throw failedPrecondition(`Stream ${streamId} has ended.`);
      try {
        await muteOneStream(await eventCredentials(identity), sessionIdOf(identity, stream.session), streamId);
      } catch (error) {
        if (error instanceof VonageError && error.kind === "notFound")
          throw failedPrecondition(`Vonage no longer has stream ${streamId}.`, { vonage: error.message });
        throw error;
      }
      return {
        result: { eventId, session: stream.session, streamId },
        details: { session: stream.session, participantId: stream.participantId },
      };
    },
  );
}

const STAGE_TYPES = new Set(["host", "celebrity", "producer"]);

/**
 * Mutes everyone on a session but the stage: on `stage`, every stream except those of the host, the
 * celebrity, the producer and fans the producer put on stage; on `backstage`, every stream but the
 * producer's. Also applies to streams published later; `active: false` lifts that for new streams
 * (Vonage never unmutes a stream: its publisher does).
 */
export function muteAll(caller: Caller, eventId: string, session: SessionKind, active: boolean): Promise<MuteAnswer> {
  return producerVonageAction(
    caller,
    eventId,
    { action: "muteAll", what: "mute everyone", target: { session, active }, status: openShow },
    async ({ identity }) => {
      const credential = await eventCredentials(identity);
      const sessionId = sessionIdOf(identity, session);
      const excluded: string[] = [];
      if (active) {
        const onStage = new Set(
          orderedLine(await readLine(eventId))
            .filter((entry) => entry.state === "onStage")
            .map((entry) => entry.participantId),
        );
        const streams = await listStreams(credential, sessionId);
        for (const stream of streams) {
          const known = await streamById(eventId, stream.id);
          const keep =
            known?.userType === "producer" ||
            (session === "stage" && known && (STAGE_TYPES.has(known.userType) || onStage.has(known.participantId)));
          if (keep) excluded.push(stream.id);
        }
      }
      await muteSession(credential, sessionId, { active, excludedStreamIds: excluded });
      return { result: { eventId, session, active, excluded: excluded.length }, details: { excluded: excluded.length } };
    },
  );
}

export interface SignalInput {
  type: string;
  data: string;
  participantId?: string;
  session?: SessionKind | "both";
  requestId?: string;
}

/** A text signal to one participant (every connection of theirs) or to everyone on a session. */
export function signal(caller: Caller, eventId: string, input: SignalInput): Promise<SignalAnswer> {
  const target = { participantId: input.participantId ?? null, session: input.session ?? "both", type: input.type };
  return producerVonageAction<SignalAnswer>(
    caller,
    eventId,
    { action: "signal", what: "send a signal", target, status: openShow },
    async ({ identity }): Promise<{ result: SignalAnswer; details?: AuditFacts }> => {
      if (input.requestId && !(await claimSignal(eventId, input.requestId))) {
        return { result: { eventId, duplicate: true }, details: { duplicate: true } };
      }
      try {
        const credential = await eventCredentials(identity);
        const payload = { type: input.type, data: input.data };
        const sessions: SessionKind[] =
          input.session === "stage" || input.session === "backstage" ? [input.session] : ["backstage", "stage"];
        if (input.participantId) {
          const connections = (await openConnectionsOf(eventId, input.participantId)).filter((connection) =>
            sessions.includes(connection.session),
          );
          if (!connections.length) {
            throw failedPrecondition(`${input.participantId} has no known open connection to signal (on ${sessions.join(" or ")}).`);
          }
          let reached = 0;
          for (const connection of connections) {
            try {
              await sendSignal(credential, sessionIdOf(identity, connection.session), connection.connectionId, payload);
              reached++;
            } catch (error) {
              // A connection that closed since its last callback: the others still get it.
              if (!(error instanceof VonageError && error.kind === "notFound")) throw error;
            }
          }
          if (!reached) throw failedPrecondition(`${input.participantId} is no longer connected.`);
          return { result: { eventId, connections: reached, duplicate: false }, details: { connections: reached } };
        }
        for (const kind of sessions) await sendSignal(credential, sessionIdOf(identity, kind), null, payload);
        return { result: { eventId, sessions, duplicate: false }, details: { sessions: sessions.join(",") } };
      } catch (error) {
        // Not sent: the same requestId may try again.
        if (input.requestId)
          await db()
            .ref(`${paths.liveSignals(eventId)}/${input.requestId}`)
            .remove()
            .catch(() => undefined);
        throw error;
      }
    },
  );
}

/** Create-if-absent claim of a signal's requestId (a retried click sends once). */
async function claimSignal(eventId: string, requestId: string): Promise<boolean> {
  const result = await db()
    .ref(`${paths.liveSignals(eventId)}/${requestId}`)
    .transaction((current: number | null) => (current === null ? Date.now() : undefined), undefined, false);
  return result.committed;
}
