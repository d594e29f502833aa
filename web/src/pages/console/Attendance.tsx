/** After the show: attendance as a table and a chart (getSessionAnalytics). */
import { useEffect, useState } from "preact/hooks";
import type { CallableOutput } from "@interactive-broadcast/client";
import { errorText } from "../../lib/errors";
import { usePolling } from "../../lib/live";
import { clock, duration } from "../../lib/format";
import { ParticipantsChart } from "./Chart";
import { ownsFanKey } from "./liveRecord";
import { rememberNames } from "./arrival";
import { useProducer } from "./session";

type Analytics = CallableOutput<"getSessionAnalytics">;
type Participant = Analytics["participants"][number];

const ROLE: Record<Participant["userType"], string> = {
  producer: "Producer",
  host: "Host",
  celebrity: "Celebrity",
  fan: "Fan",
  backstageFan: "Fan (backstage)",
  unknown: "Unknown",
};

function nameOf(participant: Participant, names: Record<string, string>, producerName: string): string {
  if (participant.name) return participant.name;
  const seen = Object.entries(names).find(([fanId]) => ownsFanKey(participant.participantId, fanId));
  if (seen) return seen[1];
  if (participant.userType === "host") return "Host";
  if (participant.userType === "celebrity") return "Celebrity";
  if (participant.userType === "producer") return producerName;
  return `Fan ${participant.participantId.slice(0, 10)}`;
}

export function Attendance({ eventId }: { eventId: string }) {
  const { backend, admin } = useProducer();
  const [analytics, setAnalytics] = useState<Analytics | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let current = true;
    backend.api.getSessionAnalytics({ eventId }).then(
      (answer) => current && setAnalytics(answer),
      (failure: unknown) => current && setError(errorText(failure)),
    );
    return () => {
      current = false;
    };
  }, [backend, eventId, version]);
  // Right after the show, leave callbacks are still arriving: asked again a few times.
  const [polls, setPolls] = useState(0);
  const settling = Boolean(analytics && analytics.connectedCount > 0 && !analytics.show.running && polls < 10);
  usePolling(settling, 3000, () => {
    setPolls((n) => n + 1);
    setVersion((v) => v + 1);
  });
  if (error) return <p role="alert">{error}</p>;
  if (!analytics) return <p class="muted">Loading attendance…</p>;
  const names = rememberNames(eventId, {});
  const rows = [...analytics.participants].sort((a, b) => a.firstJoinAt - b.firstJoinAt);
  return (
    <section class="panel" aria-labelledby="attendance-heading">
      <div class="heading-row">
        <h2 id="attendance-heading">Attendance</h2>
        <button type="button" class="secondary" onClick={() => setVersion((v) => v + 1)}>
          Refresh attendance
        </button>
      </div>
      <p>
        {analytics.participantCount} participants, {duration(analytics.totalAttendedMs)} attended in all; show{" "}
        {duration(analytics.show.durationMs)}
        {analytics.show.running ? " (still running)" : ""}; peak seated {analytics.peakInteractive}; sent to HLS {analytics.hlsAdmissions}.
      </p>
      <ParticipantsChart analytics={analytics} />
      <table class="table" data-testid="attendance-table">
        <caption>Who attended (names of fans as they gave them in the line)</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Attended</th>
            <th scope="col">On camera (stage or backstage)</th>
            <th scope="col">Visits</th>
            <th scope="col">Joined</th>
            <th scope="col">Left</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.participantId}>
              <th scope="row">{nameOf(row, names, admin.displayName)}</th>
              <td>{ROLE[row.userType]}</td>
              <td>{duration(row.attendedMs)}</td>
              <td>{row.publishedMs ? duration(row.publishedMs) : "—"}</td>
              <td>{row.connections}</td>
              <td>{clock(row.firstJoinAt)}</td>
              <td>{row.lastLeaveAt ? clock(row.lastLeaveAt) : row.connected ? "still connected" : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
