/**
 * Seats backed by real Vonage connections. A seated fan's stage token carries its claim
 * (`seat: "<shard>/<claimId>"` in the connection data, signed by us, so it cannot be forged); the
 * session-monitoring callbacks of the event's stage session then:
 * - `connectionCreated`: confirm the claim (`conn` = the connection id), so it is never reclaimed;
 * - `connectionDestroyed`: free the claim when that connection was the one confirming it (or none
 *   had yet). The client's `onDisconnect` stays the fast path; this is the server's own.
 * A claim no connection confirmed within SEAT_CONFIRM_SECONDS is reclaimed by the next join that needs
 * the seat (./shards decideShard) and by the sweep below. SEAT_CONFIRMATION=false turns this off
 * (where callbacks are not configured): seats are then held until the fan's onDisconnect or releaseSeat.
 */
import { db } from "../platform/firebase";
import { paths } from "../platform/paths";
import { seatConfirmation, seatConfirmSeconds } from "../platform/config";
import { parseConnectionData } from "./connectionData";
import { asRecord, holdOnly, reclaimableAt, shardIndex, type SeatClaim, type ShardData } from "./shards";
import { expireOffers, passFreeSeats } from "./offers";

/** The confirmation window in ms, or null when seats need no confirmed Vonage connection. */
export function confirmWindowMs(): number | null {
  if (!seatConfirmation.value()) return null;
  // An unset int param reads as 0 outside a deployment: that means the default, not "at once".
  const seconds = seatConfirmSeconds.value();
  return (seconds > 0 ? seconds : 60) * 1000;
}

/** The claim a connection's data names, when it is a seated fan's stage connection of this event. */
function claimOf(rawData: string | null | undefined, eventId: string): { path: string } | undefined {
  const data = parseConnectionData(rawData);
  if (!data || data.userType !== "fan" || data.eventId !== eventId || !data.seat) return undefined;
  const [shard, claimId, extra] = data.seat.split("/");
  if (extra !== undefined || shardIndex(shard) < 0 || !/^c[A-Za-z0-9_-]{16}$/.test(claimId ?? "")) return undefined;
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(data.participantId)) return undefined;
  return { path: `${paths.seat(eventId, shard, data.participantId)}/${claimId}` };
}

/** A stage connection came or went: confirm or free the seat claim it carries. Idempotent. */
export async function seatConnectionEvent(
  event: "connectionCreated" | "connectionDestroyed",
  target: { eventId: string; kind: "stage" | "backstage" },
  connectionId: string,
  rawData: string | null | undefined,
): Promise<void> {
  if (target.kind !== "stage") return;
  const claim = claimOf(rawData, target.eventId);
  if (!claim) return;
  // Null for an absent claim: never recreate a seat that was given up or reclaimed (writing null
  // where nothing is also makes a cold transaction check the server instead of aborting locally).
  let freed = false;
  await db()
    .ref(claim.path)
    .transaction(
      (current: SeatClaim | null) => {
        freed = false;
        if (!current || typeof current !== "object") return null;
        if (event === "connectionCreated") return { ...current, conn: connectionId };
        // A reconnect's new connection may already have confirmed it: the old one's end frees nothing.
        freed = current.conn === undefined || current.conn === connectionId;
        return freed ? null : current;
      },
      undefined,
      false,
    );
  // The server's own news of a seat freeing: HLS viewers who asked are offered it (./offers).
  if (freed) await passFreeSeats(target.eventId);
}

/**
 * The sweep: drops every holder of one event whose claims no connection confirmed in time, each shard
 * in a transaction (a confirmation arriving meanwhile wins). Returns how many seats it freed.
 */
export async function sweepUnconfirmedSeats(eventId: string, now: number): Promise<number> {
  // Offers' holds end whether or not seats need confirming (reclaimableAt: a hold's end is its own).
  const confirmMs = confirmWindowMs();
  const shards = asRecord<ShardData>(
    (
      await db()
        .ref(`${paths.stageGate(eventId)}/shards`)
        .once("value")
    ).val(),
  );
  let freed = 0;
  for (const [key, shard] of Object.entries(shards)) {
    const overdue = Object.values(asRecord<Record<string, SeatClaim>>(shard)).some(
      (claims) => (reclaimableAt(claims, confirmMs) ?? Infinity) <= now,
    );
    if (!overdue) continue;
    let dropped = 0;
    let holds: string[] = [];
    await db()
      .ref(`${paths.stageGate(eventId)}/shards/${key}`)
      .transaction(
        (current: ShardData | null) => {
          const holders = asRecord<Record<string, SeatClaim>>(current);
          const kept: ShardData = {};
          dropped = 0;
          holds = [];
          for (const [uid, claims] of Object.entries(holders)) {
            if ((reclaimableAt(claims, confirmMs) ?? Infinity) <= now) {
              dropped++;
              if (holdOnly(claims)) holds.push(uid);
            } else kept[uid] = claims;
          }
          return Object.keys(kept).length ? kept : null;
        },
        undefined,
        false,
      );
    freed += dropped;
    if (holds.length) await expireOffers(eventId, holds, now);
  }
  // Seats freed, or asks waiting that a lost pass left: offered now rather than at the next join.
  await passFreeSeats(eventId);
  return freed;
}

/** The sweep over every open show (preshow and live, by the events' status index). */
export async function sweepOpenShows(now = Date.now()): Promise<{ shows: number; freed: number }> {
  const ids: string[] = [];
  for (const status of ["preshow", "live"]) {
    const found = (await db().ref("events").orderByChild("status").equalTo(status).once("value")).val() as Record<string, unknown> | null;
    ids.push(...Object.keys(found ?? {}));
  }
  let freed = 0;
  for (const eventId of ids) freed += await sweepUnconfirmedSeats(eventId, now);
  return { shows: ids.length, freed };
}
