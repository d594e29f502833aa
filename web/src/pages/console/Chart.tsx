/**
 * Participants over time, as an SVG step chart. getSessionAnalytics gives each participant's first
 * join and last leave (not every connection), so a participant counts from one to the other.
 */
import type { CallableOutput } from "@interactive-broadcast/client";
import { clock } from "../../lib/format";

type Analytics = CallableOutput<"getSessionAnalytics">;

const W = 720;
const H = 260;
const PAD = { left: 44, right: 16, top: 16, bottom: 36 };

interface Point {
  at: number;
  count: number;
}

/** Step points: how many participants (of `filter`) are present from each change on. */
export function presence(analytics: Analytics, filter: (userType: string) => boolean): Point[] {
  const end = analytics.show.endedAt ?? analytics.generatedAt;
  const changes: Array<[number, number]> = [];
  for (const p of analytics.participants) {
    if (!filter(p.userType)) continue;
    changes.push([p.firstJoinAt, 1], [Math.max(p.firstJoinAt, p.lastLeaveAt ?? end), -1]);
  }
  changes.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const points: Point[] = [];
  let count = 0;
  for (const [at, delta] of changes) {
    count += delta;
    if (points.length && points[points.length - 1].at === at) points[points.length - 1].count = count;
    else points.push({ at, count });
  }
  return points;
}

function path(points: Point[], x: (t: number) => number, y: (n: number) => number, end: number): string {
  if (!points.length) return "";
  let d = `M ${x(points[0].at)} ${y(0)} L ${x(points[0].at)} ${y(points[0].count)}`;
  for (let i = 1; i < points.length; i += 1)
    d += ` L ${x(points[i].at)} ${y(points[i - 1].count)} L ${x(points[i].at)} ${y(points[i].count)}`;
  return `${d} L ${x(end)} ${y(points[points.length - 1].count)}`;
}

export function ParticipantsChart({ analytics }: { analytics: Analytics }) {
  const all = presence(analytics, () => true);
  const fans = presence(analytics, (type) => type === "fan" || type === "backstageFan");
  if (!all.length) return <p class="muted">No participant connected during this show.</p>;
  const starts = [all[0].at, analytics.show.startedAt ?? all[0].at];
  const end = Math.max(analytics.show.endedAt ?? analytics.generatedAt, all[all.length - 1].at);
  const t0 = Math.min(...starts);
  const span = Math.max(end - t0, 1000);
  const peak = Math.max(1, ...all.map((p) => p.count));
  const x = (t: number) => PAD.left + ((t - t0) / span) * (W - PAD.left - PAD.right);
  const y = (n: number) => H - PAD.bottom - (n / peak) * (H - PAD.top - PAD.bottom);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => t0 + f * span);
  const yTicks = Array.from(new Set([0, Math.round(peak / 2), peak]));
  const { startedAt, endedAt } = analytics.show;
  const summary = `Participants over time for ${analytics.name}: up to ${peak} at once between ${clock(t0)} and ${clock(end)}; ${analytics.participantCount} participants in all.`;
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="chart-title chart-desc" data-testid="attendance-chart">
        <title id="chart-title">Participants over time</title>
        <desc id="chart-desc">{summary}</desc>
        {yTicks.map((n) => (
          <g key={n}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(n)} y2={y(n)} class="grid" />
            <text x={PAD.left - 8} y={y(n) + 4} text-anchor="end" class="axis">
              {n}
            </text>
          </g>
        ))}
        {ticks.map((t, i) => (
          <text key={t} x={x(t)} y={H - 12} text-anchor={i === 0 ? "start" : i === ticks.length - 1 ? "end" : "middle"} class="axis">
            {clock(t)}
          </text>
        ))}
        {startedAt ? <line x1={x(startedAt)} x2={x(startedAt)} y1={PAD.top} y2={H - PAD.bottom} class="marker" /> : null}
        {startedAt ? (
          <text x={x(startedAt) + 4} y={PAD.top + 10} class="axis">
            live
          </text>
        ) : null}
        {endedAt ? <line x1={x(endedAt)} x2={x(endedAt)} y1={PAD.top} y2={H - PAD.bottom} class="marker" /> : null}
        {endedAt ? (
          <text x={x(endedAt) - 4} y={PAD.top + 10} text-anchor="end" class="axis">
            ended
          </text>
        ) : null}
        <path d={path(all, x, y, end)} class="series-all" />
        <path d={path(fans, x, y, end)} class="series-fans" />
      </svg>
      <figcaption>
        <span class="key key-all">All participants</span> <span class="key key-fans">Fans</span> — {summary}
      </figcaption>
    </figure>
  );
}
