/** A fan without a seat: the reason, and the HLS player once the broadcast runs (or "full"). */
import type { CallableOutput } from "@interactive-broadcast/client";
import type { Backend } from "../../lib/firebase";
import { useLive } from "../../lib/live";
import { OutcomeLine, useOutcome } from "../../ui/outcome";
import { HlsPlayer } from "./HlsPlayer";
import { SeatOffer } from "./SeatOffer";

export type HlsAnswer = Exclude<CallableOutput<"createTokensFan">, { mode: "interactive" }>;

/** The reason in a fan's words (the backend's message also speaks to client developers). */
function reasonText(answer: HlsAnswer): string {
  if (answer.reason === "noInteractiveSeats") {
    return answer.mode === "hls"
      ? "This show has no interactive seats: everyone watches the stream."
      : "This show has no interactive seats.";
  }
  return answer.mode === "hls"
    ? "All interactive seats are taken, so you watch the show's HLS stream."
    : "All interactive seats are taken and this show has no stream for the others.";
}

export function FanHls({
  backend,
  answer,
  recordPath,
  fanId,
  onAskAgain,
}: {
  backend: Backend;
  answer: HlsAnswer;
  recordPath: string;
  fanId: string;
  /** createTokensFan again: true when it gave an interactive seat (the page switches then). */
  onAskAgain: () => Promise<boolean>;
}) {
  const hlsUrl =
    useLive<string>(answer.mode === "hls" ? backend.db : null, `${recordPath}/hlsUrl`).value ??
    (answer.mode === "hls" ? answer.hlsUrl : null);
  const { outcome, run, busy } = useOutcome();
  return (
    <section class="panel" aria-labelledby="hls-heading">
      <h2 id="hls-heading" data-testid="fan-mode" data-mode={answer.mode}>
        {answer.mode === "hls" ? "You're watching the stream" : "The show is full"}
      </h2>
      <p class="lead" data-testid="fan-reason" data-reason={answer.reason}>
        {reasonText(answer)}
      </p>
      {answer.mode === "hls" ? (
        hlsUrl ? (
          <HlsPlayer url={hlsUrl} />
        ) : (
          <p role="status" data-testid="hls-state" data-state="waiting">
            The stream starts when the show goes live; this page plays it then.
          </p>
        )
      ) : null}
      <SeatOffer backend={backend} eventId={answer.eventId} fanId={fanId} onTake={onAskAgain} />
      <button
        type="button"
        class="secondary"
        disabled={busy}
        onClick={() =>
          void run("Asking for a seat…", async () => {
            if (!(await onAskAgain())) return "Still no free seat.";
          })
        }
      >
        Ask for a seat again
      </button>
      <OutcomeLine outcome={outcome} />
    </section>
  );
}
