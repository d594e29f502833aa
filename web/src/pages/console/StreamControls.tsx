/**
 * The producer's controls on one stream and on the stage guests: mute a stream's audio at Vonage
 * (`muteStream`), and a private call with the host or the celebrity (`startPrivateCall` /
 * `endPrivateCall`; calls with a fan are on the fan's row of the line). Each shows its outcome.
 */
import type { Backend } from "../../lib/firebase";
import type { Tile } from "../../media";
import { OutcomeLine, useOutcome } from "../../ui/outcome";
import type { LiveRecord } from "./liveRecord";

export function MuteStream({ backend, eventId, tile }: { backend: Backend; eventId: string; tile: Tile }) {
  const { outcome, run, busy } = useOutcome();
  return (
    <>
      <button
        type="button"
        class="secondary small"
        disabled={busy}
        aria-label={`Mute ${tile.name}'s audio`}
        onClick={() =>
          void run("Muting…", async () => {
            await backend.api.muteStream({ eventId, streamId: tile.streamId });
            return `${tile.name} is muted (only they can unmute).`;
          })
        }
      >
        Mute
      </button>
      <OutcomeLine outcome={outcome} testId="stream-mute-outcome" />
    </>
  );
}

type Guest = "host" | "celebrity";
const GUEST_NAME: Record<Guest, string> = { host: "the host", celebrity: "the celebrity" };

/** Who the private call is with, from the live record's `privateCall` (null: no call). */
function callText(call: LiveRecord["privateCall"]): string {
  if (!call) return "No private call.";
  if (call.isWith === "host" || call.isWith === "celebrity") return `In a private call with ${GUEST_NAME[call.isWith]}.`;
  return "In a private call with a fan (see the line).";
}

export function GuestCalls({ backend, eventId, record }: { backend: Backend; eventId: string; record: LiveRecord | null }) {
  const { outcome, run, busy } = useOutcome();
  const call = record?.privateCall ?? null;
  const start = (guest: Guest) =>
    void run(`Calling ${GUEST_NAME[guest]}…`, async () => {
      await backend.api.startPrivateCall({ eventId, with: guest });
      return `In a private call with ${GUEST_NAME[guest]}.`;
    });
  return (
    <div>
      <h3>Private call with a guest</h3>
      <p data-testid="private-call-state">{callText(call)}</p>
      <div class="row">
        {(["host", "celebrity"] as const).map((guest) =>
          call?.isWith === guest ? null : (
            <button key={guest} type="button" class="secondary" disabled={busy} onClick={() => start(guest)}>
              Private call with {GUEST_NAME[guest]}
            </button>
          ),
        )}
        {call ? (
          <button
            type="button"
            class="secondary"
            disabled={busy}
            onClick={() =>
              void run("Ending the call…", async () => {
                await backend.api.endPrivateCall({ eventId });
                return "The private call has ended.";
              })
            }
          >
            End the private call
          </button>
        ) : null}
      </div>
      <OutcomeLine outcome={outcome} testId="guest-call-outcome" />
    </div>
  );
}
