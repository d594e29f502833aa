/**
 * The fan side of the line and the producer's view of it (the line itself: ./line).
 *
 * A fan gets in line with `joinLine` (an interactive seat is required: the line is screened on the
 * backstage session, which only seated fans can join), watches their own entry at `linePath` (their
 * position, and their state once the producer moves them) and registers `onDisconnect().remove()` on
 * it, so a dropped connection takes them out of the line. They leave with `leaveLine` (or by removing
 * that entry). Vonage's `connectionDestroyed` for their last backstage connection also takes them out.
 */
import { failedPrecondition, permissionDenied, resourceExhausted } from "../platform/errors";
import { db } from "../platform/firebase";
import { paths } from "../contract/paths";
import { warn } from "../platform/logs";
import type { Caller } from "../platform/roles";
import { ownsFanId } from "../seats/fanJoin";
import { eventIdentity, gateStatus, identityForLogin, loginEvent, refuseNotOpen } from "../seats/showTokens";
import { parseConnectionData } from "../seats/connectionData";
import { refuseRemoved } from "./bans";
import { openConnectionsOf } from "./connections";
import {
  changeLine,
  COUNT_INTERVAL_MS,
  hasGaps,
  MAX_LINE,
  orderedLine,
  readLine,
  waitingCount,
  type LineEntry,
  type LineShow,
} from "./line";
import { holdsSeat } from "./seatLink";
import { producedEvent } from "./producer";
import type { LineSpot, LineView } from "../contract/callables/live";
// The shapes answered to clients are the contract's (contract/callables/live.ts)
export type { LineSpot, LineView } from "../contract/callables/live";

function spot(eventId: string, fanId: string, entry: LineEntry): LineSpot {
  return { eventId, fanId, state: entry.state, position: entry.position ?? null, linePath: paths.liveLineFan(eventId, fanId) };
}

const FAN_ID_NOT_YOURS = "fanId must be your own presence key (your uid, or your uid followed by '-').";

async function fanShow(caller: Caller, fanId: string): Promise<LineShow> {
  const login = loginEvent(caller);
  if (!ownsFanId(caller.uid, fanId)) throw permissionDenied(FAN_ID_NOT_YOURS);
  const [identity, status] = await Promise.all([identityForLogin(login), gateStatus(login.eventId)]);
  refuseNotOpen(status);
  return identity;
}

export async function joinLine(caller: Caller, fanId: string, name: string): Promise<LineSpot> {
  const show = await fanShow(caller, fanId);
  const [, seated] = await Promise.all([refuseRemoved(show.eventId, caller.uid), holdsSeat(show.eventId, caller.uid)]);
  if (!seated) {
    throw failedPrecondition("Only fans with an interactive seat can get in line: call createTokensFan first (an HLS viewer cannot).");
  }
  const { outcome } = await changeLine(show, { kind: "join", fanId, participantId: caller.uid, name, now: Date.now() });
  if (outcome.kind === "full") throw resourceExhausted(`The line is full (${MAX_LINE} fans); try again in a moment.`, 30);
  if (outcome.kind !== "ok" || !outcome.entry) throw failedPrecondition("Could not get in line; try again.");
  return spot(show.eventId, fanId, outcome.entry);
}

export async function leaveLine(caller: Caller, fanId: string): Promise<{ eventId: string; fanId: string; left: boolean }> {
  // Leaving is always allowed, also once the show closed: only the fanId's ownership matters.
  if (!ownsFanId(caller.uid, fanId)) throw permissionDenied(FAN_ID_NOT_YOURS);
  const show = await identityForLogin(loginEvent(caller));
  const { outcome } = await changeLine(show, { kind: "leave", fanId });
  return { eventId: show.eventId, fanId, left: outcome.kind === "ok" && outcome.changed };
}

/** The producer's view of the line; heals gaps left by fans whose entries went with their connection. */
export async function lineFor(caller: Caller, eventId: string): Promise<LineView> {
  const identity = await producedEvent(caller, eventId, "read its fan line");
  let line = await readLine(eventId);
  const fans = line.fans ?? {};
  // A change only when one is due: a gap to heal, or a count to publish whose interval has passed.
  const countDue = (line.counted ?? 0) !== waitingCount(fans) && Date.now() - (line.countedAt ?? 0) >= COUNT_INTERVAL_MS;
  if (hasGaps(fans) || countDue) line = (await changeLine(identity, { kind: "renumber" })).line;
  const ordered = orderedLine(line);
  return {
    eventId,
    waiting: waitingCount(line.fans),
    size: ordered.length,
    max: MAX_LINE,
    fans: ordered.map((entry) => ({
      fanId: entry.fanId,
      participantId: entry.participantId,
      name: entry.name,
      state: entry.state,
      position: entry.position ?? null,
      inPrivateCall: Boolean(entry.inPrivateCall),
      joinedAt: entry.joinedAt,
    })),
  };
}

/**
 * Vonage reported a connection gone: a fan whose last backstage connection closed leaves the line
 * (their stage entry, if the producer put them on stage, stays: they are on the stage session).
 * Never throws: the callback is recorded whatever happens here.
 */
export async function lineAfterDisconnect(eventId: string, rawData: string | null | undefined): Promise<void> {
  const data = parseConnectionData(rawData);
  if (!data || data.eventId !== eventId || data.userType !== "backstageFan") return;
  try {
    // Most disconnecting fans are not in line: an indexed look-up, not a transaction, tells.
    if (!(await inLine(eventId, data.participantId))) return;
    const open = await openConnectionsOf(eventId, data.participantId);
    if (open.some((connection) => connection.session === "backstage")) return;
    const identity = await eventIdentity(eventId);
    if (!identity) return;
    await changeLine(identity, { kind: "leaveParticipant", participantId: data.participantId, states: ["inLine", "backstage"] });
  } catch (error) {
    warn("line not updated after a disconnect", { eventId, error: String(error) });
  }
}

async function inLine(eventId: string, participantId: string): Promise<boolean> {
  const entries = await db()
    .ref(`${paths.liveLine(eventId)}/fans`)
    .orderByChild("participantId")
    .equalTo(participantId)
    .limitToFirst(1)
    .once("value");
  return entries.exists();
}
