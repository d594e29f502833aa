/**
 * What an HLS viewer calls to be told when a seat frees (docs/seats.md#upgrade-from-hls): askForSeat
 * puts them in the show's queue once (asking again keeps their place and any offer), cancelSeatAsk
 * takes them out (an offer cancelled frees its seat for the next asker). The offer itself is made by
 * ./offers; their `seatOffers/{eventId}/{uid}` says where they stand.
 */
import { failedPrecondition, notFound, permissionDenied, resourceExhausted } from "../platform/errors";
import type { Caller } from "../platform/roles";
import { warn } from "../platform/logs";
import { refuseRemoved } from "../live/bans";
import { paths } from "../contract/paths";
import { db } from "../platform/firebase";
import { loginEvent } from "./showTokens";
import { ownsFanId } from "./fanJoin";
import { viewOf } from "./gate";
import { holdOnly } from "./shards";
import type { SeatView } from "./liveView";
import { dequeueAsk, dropHold, endHoldNow, enqueueAsk, MAX_SEAT_ASKS, offerRef, passFreeSeats, standing, type SeatOffer } from "./offers";

import type { SeatAskAnswer } from "../contract/callables/seats";
export type { SeatAskAnswer } from "../contract/callables/seats";

async function openView(caller: Caller, fanId: string | undefined): Promise<SeatView> {
  const login = loginEvent(caller);
  if (fanId !== undefined && !ownsFanId(caller.uid, fanId))
    throw permissionDenied("fanId must be your own presence key (your uid, or your uid followed by '-').");
  const view = viewOf(login.eventId);
  await Promise.all([view.ready, refuseRemoved(login.eventId, caller.uid)]);
  if (!view.exists) throw notFound("This event does not exist (any more).");
  if (view.settings.adminId !== login.adminId) throw permissionDenied("Your login is for another admin's event.");
  const status = view.settings.status;
  if (status === "closed") throw failedPrecondition("This show has ended.", { status });
  if (status !== "preshow" && status !== "live")
    throw failedPrecondition("This show has not opened yet: fans can ask for a seat from preshow on.", { status });
  return view;
}

function answerOf(offer: SeatOffer | null, now: number): SeatAskAnswer {
  return offer?.status === "offered" && offer.expiresAt > now
    ? { status: "offered", expiresAt: offer.expiresAt }
    : { status: "waiting", expiresAt: null };
}

/** Asks for the next free seat; idempotent (one place per fan, the first). */
export async function askForSeat(caller: Caller, fanId?: string): Promise<SeatAskAnswer> {
  const view = await openView(caller, fanId);
  const { eventId } = view;
  const uid = caller.uid;
  const shard = view.shardOfUid(uid);
  if (shard) {
    const claims = (
      await db()
        .ref(paths.seat(eventId, shard, uid))
        .once("value")
    ).val() as unknown;
    if (claims && !holdOnly(claims))
      throw failedPrecondition("You are seated already: you hold an interactive seat of this show (createTokensFan).");
  }
  const ref = offerRef(eventId, uid);
  let now = Date.now();
  const current = (await ref.once("value")).val() as SeatOffer | null;
  if (!standing(current, now)) {
    // An offer past its window is over: the fan goes to the back of the queue.
    if (current?.status === "offered") await endHoldNow(eventId, uid);
    if ((view.settings.asks ?? 0) >= MAX_SEAT_ASKS)
      throw resourceExhausted(`This show's queue for seats is full (${MAX_SEAT_ASKS} viewers wait): try again later.`, 60);
    now = Date.now();
    let created = false;
    await ref.transaction(
      (stored: SeatOffer | null) => {
        created = !standing(stored, now);
        return created ? { status: "waiting", askedAt: now } : undefined;
      },
      undefined,
      false,
    );
    if (created) await enqueueAsk(eventId, uid, now);
  } else if (current?.status === "waiting" && !(await db().ref(paths.seatAsk(eventId, uid)).once("value")).exists()) {
    // Waiting outside the queue (an instance stopped while serving them): back in their own place.
    await enqueueAsk(eventId, uid, current.askedAt);
  }
  // A seat free right now (and nobody ahead): offered at once.
  await passFreeSeats(eventId);
  return answerOf((await ref.once("value")).val() as SeatOffer | null, Date.now());
}

/** Gives up the ask (and a standing offer's seat, which goes to the next asker); idempotent. */
export async function cancelSeatAsk(caller: Caller, fanId?: string): Promise<{ cancelled: boolean }> {
  const login = loginEvent(caller);
  if (fanId !== undefined && !ownsFanId(caller.uid, fanId))
    throw permissionDenied("fanId must be your own presence key (your uid, or your uid followed by '-').");
  const { eventId } = login;
  const uid = caller.uid;
  let previous: SeatOffer | null = null;
  await offerRef(eventId, uid).transaction(
    (stored: SeatOffer | null) => {
      previous = stored;
      return null;
    },
    undefined,
    false,
  );
  const was = previous as SeatOffer | null;
  // The queue entry goes whatever the node said (an entry a crashed pass left would otherwise linger).
  await dequeueAsk(eventId, uid);
  if (was?.status === "offered") {
    const view = viewOf(eventId);
    await view.ready;
    // The cancel stands whatever the pass does: a pass that fails now (shards contended) leaves the
    // seat free, and the seat view passes free seats on at its next change.
    if (await dropHold(view, uid))
      await passFreeSeats(eventId).catch((error) => warn("seat offers not passed", { eventId, error: String(error) }));
  }
  return { cancelled: was?.status === "waiting" || was?.status === "offered" };
}
