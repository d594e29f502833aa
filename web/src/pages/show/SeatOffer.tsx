/**
 * The upgrade offer on the HLS view (docs/seats.md, "Upgrade from HLS"): the fan asks to be told when
 * an interactive seat frees (`askForSeat`), waits, and when the server holds a seat for them it
 * shows the offer with a countdown to `expiresAt`; *Take my seat* calls createTokensFan, which takes
 * the held seat, and the page switches to the interactive view. The fan's own node
 * `seatOffers/{eventId}/{uid}` (readable by that fan only) is the truth: waiting, offered, expired,
 * gone when taken or cancelled. The fan takes the seat by pressing the button, not automatically: a
 * fan watching the stream decides whether to switch to the live, interactive view.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { Backend } from "../../lib/firebase";
import { useLive } from "../../lib/live";
import { OutcomeLine, useOutcome } from "../../ui/outcome";

/** The fan's own node, as the server writes it. */
export type SeatOfferRecord =
  | { status: "waiting"; askedAt: number }
  | { status: "offered"; askedAt: number; offeredAt: number; expiresAt: number }
  | { status: "expired"; askedAt: number; expiredAt: number };

export function seatOfferPath(eventId: string, uid: string): string {
  return `seatOffers/${eventId}/${uid}`;
}

/** "1:05", "0:09": the time left to take the offered seat. */
export function timeLeft(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

export function SeatOffer({
  backend,
  eventId,
  fanId,
  onTake,
}: {
  backend: Backend;
  eventId: string;
  fanId: string;
  /** createTokensFan again: true when it gave the interactive seat (the page switches then). */
  onTake: () => Promise<boolean>;
}) {
  const uid = backend.auth.currentUser?.uid ?? null;
  const live = useLive<SeatOfferRecord>(uid ? backend.db : null, uid ? seatOfferPath(eventId, uid) : null);
  const offer = live.value;
  const { outcome, run, busy, clear } = useOutcome();
  const offered = offer?.status === "offered";
  const now = useNow(offered);
  const take = useRef<HTMLButtonElement>(null);
  // The offer takes the focus once, so a keyboard or screen reader user lands on it; the ask's
  // outcome ("you're on the list") is over by then.
  useEffect(() => {
    if (!offered) return;
    clear();
    take.current?.focus();
  }, [offered]);
  const ask = () =>
    void run("Asking…", async () => {
      const answer = await backend.api.askForSeat({ fanId });
      return answer.status === "offered" ? "A seat is held for you." : "You're on the list: this page tells you when a seat frees.";
    });
  const cancel = (busyText: string, done: string) =>
    void run(busyText, async () => {
      await backend.api.cancelSeatAsk({ fanId });
      return done;
    });
  if (live.error) return <p role="alert">Seat offers: {live.error}</p>;
  if (offer?.status === "offered") {
    const left = offer.expiresAt - now;
    return (
      <div class="offer" data-testid="seat-offer" data-state="offered">
        <p role="alert">
          <strong>A seat is free for you!</strong> Take it to watch live and get in line to be on stage.
        </p>
        <p>
          It is held for you for{" "}
          <span role="timer" class="offer-countdown" data-testid="offer-countdown">
            {timeLeft(left)}
          </span>
          {left <= 0 ? " (the hold is ending)" : ""}.
        </p>
        <div class="row">
          <button
            type="button"
            ref={take}
            disabled={busy}
            onClick={() =>
              void run("Taking the seat…", async () => {
                if (!(await onTake())) return "The seat is no longer held for you; ask again.";
              })
            }
          >
            Take my seat
          </button>
          <button type="button" class="secondary" disabled={busy} onClick={() => cancel("Giving the seat up…", "You gave the seat up.")}>
            No thanks
          </button>
        </div>
        <OutcomeLine outcome={outcome} testId="offer-outcome" />
      </div>
    );
  }
  if (offer?.status === "waiting") {
    return (
      <div class="offer" data-testid="seat-offer" data-state="waiting">
        <p role="status">You're on the list for a seat: this page tells you when one frees. Keep watching meanwhile.</p>
        <button type="button" class="secondary" disabled={busy} onClick={() => cancel("Leaving the list…", "You left the list.")}>
          Stop waiting for a seat
        </button>
        <OutcomeLine outcome={outcome} testId="offer-outcome" />
      </div>
    );
  }
  return (
    <div class="offer" data-testid="seat-offer" data-state={offer?.status ?? "none"}>
      {offer?.status === "expired" ? (
        <p role="status" data-testid="offer-expired">
          A seat was offered to you but not taken in time; ask again to be told about the next one.
        </p>
      ) : (
        <p>When the interactive seats are taken, you can still ask to be told as soon as one frees.</p>
      )}
      <button
        type="button"
        disabled={busy || !uid}
        onClick={() => {
          clear();
          ask();
        }}
      >
        Tell me when a seat frees
      </button>
      <OutcomeLine outcome={outcome} testId="offer-outcome" />
    </div>
  );
}
