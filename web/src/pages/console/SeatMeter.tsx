/**
 * Seats: fans connected to the show's interactive sessions (attendance from Vonage's callbacks, polled)
 * against the limit; the line; the seat gate's counters. Live HLS viewer counts do not exist in the
 * backend yet (issue #17): the meter shows HLS admissions, which count answers, not viewers.
 */
import { useId } from "preact/hooks";

export interface SeatCounts {
  seated: number | null;
  limit: number;
  inLine: number;
  peakInteractive: number | null;
  hlsAdmissions: number | null;
  hlsEnabled: boolean;
}

export function SeatMeter({ counts }: { counts: SeatCounts }) {
  const id = useId();
  const { seated, limit } = counts;
  const full = seated !== null && seated >= limit;
  return (
    <section class="panel seat-meter" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Seats</h2>
      <div class="meter-row">
        <label for={`${id}-m`}>Seated</label>
        <meter id={`${id}-m`} min={0} max={limit} value={seated ?? 0} high={limit * 0.9} optimum={limit * 0.5} />
        <strong data-testid="seats">
          {seated ?? "…"} / {limit}
        </strong>
        {full ? (
          <span class="badge badge-full" data-testid="seats-full">
            Full
          </span>
        ) : null}
      </div>
      <dl class="counts">
        <div>
          <dt>In line</dt>
          <dd data-testid="in-line">{counts.inLine}</dd>
        </div>
        <div>
          <dt>Peak seated</dt>
          <dd>{counts.peakInteractive ?? "…"}</dd>
        </div>
        <div>
          <dt>{counts.hlsEnabled ? "Sent to HLS" : "Turned away (full)"}</dt>
          <dd data-testid="hls-admissions">{counts.hlsAdmissions ?? "…"}</dd>
        </div>
      </dl>
      <p class="hint">
        Seated = fans connected to the show (from Vonage's callbacks). “Sent to HLS” counts the seat gate's HLS answers; live HLS viewer
        counts are not in the backend yet.
      </p>
    </section>
  );
}
