/**
 * The fan line of a show, `liveLines/{eventId}`: one compact node the server changes in a transaction,
 * so concurrent joins, leaves and producer moves from any number of instances serialize on it.
 *
 * ```
 * liveLines/{eventId}
 *   tickets: number                       last ticket handed out (the line's order: commit order)
 *   fans/{fanId}: { participantId, ticket, joinedAt, name, state, position, inPrivateCall }
 *   counted, countedAt                    the last `counts/inLine` published, and when
 * ```
 *
 * `state` is `inLine` (waiting), `backstage` or `onStage`; `position` is the 1-based place among the
 * waiting fans (null once backstage or on stage). Every change renumbers the waiting fans from their
 * tickets inside the same transaction, so positions are exact when it commits and a fan entry removed
 * by its owner's `onDisconnect` (the rules let a fan delete their own entry, nothing else) is healed at
 * the next change (the producer's `getLine` makes one when it finds a gap).
 *
 * Cost: a join or leave is one transaction on a node of at most MAX_LINE small entries (~150 bytes
 * each, so at most ~30 kB on the wire), plus one notification per fan whose position moved (leaving
 * from the front moves every waiting fan behind: at most MAX_LINE - 1). Nothing here throws an
 * HttpsError: callers map the results (./queue, ./floor).
 */
import { db } from "../platform/firebase";
import { paths } from "../contract/paths";
import { warn } from "../platform/logs";
import { unavailable } from "../platform/errors";
import type { LineState, LineEntry } from "../contract/records";
// The stored shapes are the contract's (contract/records.ts)
export type { LineState, LineEntry } from "../contract/records";

export interface LineData {
  tickets?: number;
  fans?: Record<string, LineEntry>;
  counted?: number;
  countedAt?: number;
}

/** Fans in the line at once (waiting, backstage and on stage together). */
export const MAX_LINE = 200;
/** `counts/inLine` is published at most this often per show. */
export const COUNT_INTERVAL_MS = 2_000;

export type LineChange =
  | { kind: "join"; fanId: string; participantId: string; name: string; now: number }
  | { kind: "leave"; fanId: string }
  /** Every entry of one participant (all tabs); `states` limits it (a dropped backstage connection keeps stage entries). */
  | { kind: "leaveParticipant"; participantId: string; states?: LineState[] }
  | { kind: "move"; fanId: string; to: LineState }
  /** The one fan in a private call with the producer (null: nobody). */
  | { kind: "privateCall"; fanId: string | null }
  /** Only renumber (heals gaps left by entries their owners removed). */
  | { kind: "renumber" };

export type LineOutcome =
  | { kind: "ok"; changed: boolean; entry: LineEntry | null; removed: string[]; previous: LineEntry | null }
  | { kind: "full" }
  | { kind: "absent" };

function entriesOf(data: LineData | null): Record<string, LineEntry> {
  const fans = data?.fans;
  return fans && typeof fans === "object" && !Array.isArray(fans) ? { ...fans } : {};
}

/** Waiting fans numbered 1..k by ticket; everyone else has no position. Returns fresh entries. */
export function renumber(fans: Record<string, LineEntry>): Record<string, LineEntry> {
  const out: Record<string, LineEntry> = {};
  const waiting = Object.entries(fans)
    .filter(([, entry]) => entry && entry.state === "inLine")
    .sort(([, a], [, b]) => a.ticket - b.ticket);
  waiting.forEach(([fanId, entry], index) => (out[fanId] = { ...entry, position: index + 1 }));
  for (const [fanId, entry] of Object.entries(fans)) {
    if (entry && entry.state !== "inLine") out[fanId] = { ...entry, position: null };
  }
  return out;
}

export function waitingCount(fans: Record<string, LineEntry> | undefined): number {
  return Object.values(fans ?? {}).filter((entry) => entry?.state === "inLine").length;
}

/** True when the stored positions differ from what the tickets say (an owner removed an entry). */
export function hasGaps(fans: Record<string, LineEntry>): boolean {
  const fixed = renumber(fans);
  // A stored entry off the line has no position at all (the database keeps no null): the same as null.
  return Object.entries(fixed).some(([fanId, entry]) => (fans[fanId]?.position ?? null) !== entry.position);
}

/** The change applied to the line as read; pure, so the transaction can rerun it on fresher data. */
export function applyChange(data: LineData | null, change: LineChange, now: number): { next: LineData; outcome: LineOutcome } {
  const fans = entriesOf(data);
  const base: LineData = { ...(data ?? {}), tickets: data?.tickets ?? 0 };
  const done = (changed: boolean, entry: LineEntry | null, removed: string[] = [], previous: LineEntry | null = null) => {
    const renumbered = renumber(fans);
    const next: LineData = { ...base, fans: renumbered };
    const waiting = waitingCount(renumbered);
    // Publish the count at most every COUNT_INTERVAL_MS, and only when it moved.
    if (waiting !== (data?.counted ?? -1) && now - (data?.countedAt ?? 0) >= COUNT_INTERVAL_MS) {
      next.counted = waiting;
      next.countedAt = now;
    }
    const fanId = entry ? Object.keys(renumbered).find((key) => renumbered[key].ticket === entry.ticket) : undefined;
    return { next, outcome: { kind: "ok", changed, entry: fanId ? renumbered[fanId] : entry, removed, previous } as LineOutcome };
  };
  switch (change.kind) {
    case "join": {
      const existing = fans[change.fanId];
      // A repeated join (a retry, a reload of the same tab) keeps the fan's place.
      if (existing) return done(false, existing);
      if (Object.keys(fans).length >= MAX_LINE) return { next: data ?? {}, outcome: { kind: "full" } };
      const ticket = (base.tickets ?? 0) + 1;
      base.tickets = ticket;
      fans[change.fanId] = {
        participantId: change.participantId,
        ticket,
        joinedAt: change.now,
        name: change.name,
        state: "inLine",
        position: null,
        inPrivateCall: false,
      };
      return done(true, fans[change.fanId]);
    }
    case "leave": {
      const existing = fans[change.fanId];
      if (!existing) return done(false, null);
      delete fans[change.fanId];
      return done(true, null, [change.fanId], existing);
    }
    case "leaveParticipant": {
      const removed = Object.keys(fans).filter(
        (fanId) => fans[fanId]?.participantId === change.participantId && (!change.states || change.states.includes(fans[fanId].state)),
      );
      for (const fanId of removed) delete fans[fanId];
      return done(removed.length > 0, null, removed);
    }
    case "move": {
      const existing = fans[change.fanId];
      if (!existing) return { next: data ?? {}, outcome: { kind: "absent" } };
      if (existing.state === change.to) return done(false, existing, [], existing);
      fans[change.fanId] = { ...existing, state: change.to };
      return done(true, fans[change.fanId], [], existing);
    }
    case "privateCall": {
      if (change.fanId !== null && !fans[change.fanId]) return { next: data ?? {}, outcome: { kind: "absent" } };
      let changed = false;
      for (const [fanId, entry] of Object.entries(fans)) {
        const inCall = fanId === change.fanId;
        if (Boolean(entry.inPrivateCall) !== inCall) {
          fans[fanId] = { ...entry, inPrivateCall: inCall };
          changed = true;
        }
      }
      return done(changed, change.fanId ? fans[change.fanId] : null);
    }
    case "renumber":
      return done(hasGaps(fans), null);
  }
}

const TRANSACTION_ATTEMPTS = 5;

/** Where the show's live record is, for the `counts/inLine` it publishes. */
export interface LineShow {
  eventId: string;
  adminId: string;
  fanUrl: string;
}

/** Runs one change as a transaction on the line; publishes `counts/inLine` when the change says so. */
export async function changeLine(show: LineShow, change: LineChange): Promise<{ outcome: LineOutcome; line: LineData }> {
  const ref = db().ref(paths.liveLine(show.eventId));
  let outcome: LineOutcome = { kind: "absent" };
  let committedLine: LineData = {};
  for (let attempt = 1; ; attempt++) {
    try {
      let publish = false;
      const result = await ref.transaction(
        (current: LineData | null) => {
          const applied = applyChange(current, change, Date.now());
          outcome = applied.outcome;
          publish = applied.next.countedAt !== current?.countedAt;
          // Refusals and no-ops write the line unchanged: the commit proves the answer was made on current data.
          return applied.next;
        },
        undefined,
        false,
      );
      if (!result.committed) throw new Error("line transaction not committed");
      committedLine = (result.snapshot.val() as LineData | null) ?? {};
      if (publish) await publishCount(show, committedLine.counted ?? 0);
      break;
    } catch (error) {
      // 'maxretry': too many writers changed the line at once ('disconnect': the connection dropped
      // mid-write); start over after a short, jittered pause, then tell the caller to retry.
      if (!/maxretry|disconnect|not committed/.test(String((error as Error)?.message ?? error))) throw error;
      if (attempt >= TRANSACTION_ATTEMPTS)
        throw unavailable("The show's fan line is changing too fast right now; try again in a moment (it is safe to repeat).", {
          retryAfterSeconds: 1,
        });
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt * (0.5 + Math.random())));
    }
  }
  return { outcome, line: committedLine };
}

/** The line as stored (one read). */
export async function readLine(eventId: string): Promise<LineData> {
  return ((await db().ref(paths.liveLine(eventId)).once("value")).val() as LineData | null) ?? {};
}

/** Writes `counts/inLine` beside the live record, only while the record is this show's. */
async function publishCount(show: LineShow, count: number): Promise<void> {
  try {
    const owner = await db()
      .ref(`${paths.liveRecord(show.adminId, show.fanUrl)}/eventId`)
      .once("value");
    if (owner.val() !== show.eventId) return;
    await db()
      .ref(paths.liveCount(show.adminId, show.fanUrl, "inLine"))
      .set(count);
  } catch (error) {
    // An approximate count: a lost write is corrected by the next one.
    warn("inLine count not written", { eventId: show.eventId, error: String(error) });
  }
}

/** The line in order (by ticket), each entry with its fan id. */
export function orderedLine(line: LineData): Array<LineEntry & { fanId: string }> {
  return Object.entries(entriesOf(line))
    .map(([fanId, entry]) => ({ ...entry, fanId }))
    .sort((a, b) => a.ticket - b.ticket);
}
