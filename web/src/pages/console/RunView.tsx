/**
 * A show's run view: status and transitions, archive and broadcast, the seat meter, the line of fans
 * and the producer's actions, the stage and backstage tiles; after the show, attendance.
 */
import { useEffect, useState } from "preact/hooks";
import type { CallableOutput } from "@interactive-broadcast/client";
import { useLive, usePolling } from "../../lib/live";
import { mediaSimulated, type Tile } from "../../media";
import { Link } from "../../ui/Link";
import { SimulatedMediaNote, Tiles } from "../../ui/Tiles";
import { Attendance } from "./Attendance";
import { rememberNames } from "./arrival";
import type { FullEvent } from "./events";
import { FanLine, useLine } from "./FanLine";
import { liveRecordPath, type LiveRecord } from "./liveRecord";
import { SeatMeter } from "./SeatMeter";
import { ShowControls } from "./ShowControls";
import { StatusPanel } from "./StatusPanel";
import { GuestCalls, MuteStream } from "./StreamControls";
import { useProducer } from "./session";
import { useProducerMedia } from "./useProducerMedia";

type Analytics = CallableOutput<"getSessionAnalytics">;

function seatedFans(analytics: Analytics | null): number | null {
  if (!analytics) return null;
  const ids = new Set(
    analytics.participants
      .filter((p) => p.connected && (p.userType === "fan" || p.userType === "backstageFan"))
      .map((p) => p.participantId),
  );
  return ids.size;
}

function Presence({ record }: { record: LiveRecord | null }) {
  return (
    <p data-testid="presence">
      Host: {record?.hostActive ? "on stage" : "not here"} · Celebrity: {record?.celebrityActive ? "on stage" : "not here"}
    </p>
  );
}

export function RunView({ id }: { id: string }) {
  const { backend } = useProducer();
  const live = useLive<FullEvent>(backend.db, `events/${id}`);
  const event = live.value;
  const recordPath = event ? liveRecordPath(event.adminId, event.fanUrl) : null;
  const record = useLive<LiveRecord>(backend.db, event && event.status !== "notStarted" ? recordPath : null).value;
  const open = event?.status === "preshow" || event?.status === "live";
  const media = useProducerMedia(backend, id, open);
  const [analytics, setAnalytics] = useState<Analytics | null>(null);
  usePolling(open, 3000, async () => setAnalytics(await backend.api.getSessionAnalytics({ eventId: id }).catch(() => null)), [id]);
  const fans = record?.activeFans ?? {};
  const entries = Object.values(fans).filter((entry) => entry && entry.id);
  // The server's line, asked again when its count or the fans' records change.
  const lineTrigger = `${record?.counts?.inLine ?? ""}|${Object.keys(fans).sort().join(",")}`;
  const line = useLine(backend, id, open, lineTrigger);
  const names = JSON.stringify(Object.fromEntries(entries.filter((e) => e.name).map((e) => [e.id, e.name])));
  useEffect(() => void rememberNames(id, JSON.parse(names) as Record<string, string>), [id, names]);
  if (live.error) return <p role="alert">{live.error}</p>;
  if (!live.loaded) return <p class="muted">Loading the show…</p>;
  if (!event) return <p role="alert">No such event (it may have been deleted).</p>;
  const limit = record?.interactiveLimit ?? event.interactiveLimit;
  const muteAction = (tile: Tile) => <MuteStream backend={backend} eventId={id} tile={tile} />;
  return (
    <main id="main" class="run">
      <p>
        <Link href="/console">← Events</Link>
        {event.status !== "closed" ? (
          <>
            {" · "}
            <Link href={`/console/events/${id}/edit`}>Edit event</Link>
          </>
        ) : null}
      </p>
      <h1>{event.name}</h1>
      {mediaSimulated() && open ? <SimulatedMediaNote /> : null}
      <div class="run-grid">
        <StatusPanel event={event} />
        {event.status !== "closed" ? (
          <SeatMeter
            counts={{
              seated: open ? seatedFans(analytics) : 0,
              limit,
              inLine: record?.counts?.inLine ?? line.line?.waiting ?? 0,
              peakInteractive: analytics?.peakInteractive ?? (open ? null : 0),
              hlsAdmissions: analytics?.hlsAdmissions ?? (open ? null : 0),
              hlsEnabled: record?.hlsEnabled ?? true,
            }}
          />
        ) : null}
      </div>
      {open && recordPath ? (
        <>
          <Presence record={record} />
          <GuestCalls backend={backend} eventId={id} record={record} />
          {media.error ? <p role="alert">Video: {media.error}</p> : null}
          <div class="two">
            <Tiles media={media.stage} label="Stage" empty="Nobody is publishing on stage yet." action={muteAction} />
            <Tiles media={media.backstage} label="Backstage" empty="Nobody is publishing backstage." action={muteAction} />
          </div>
          <FanLine backend={backend} eventId={id} line={line.line} error={line.error} records={fans} onChanged={line.reload} />
        </>
      ) : null}
      {event.status !== "notStarted" ? <ShowControls backend={backend} eventId={id} fans={line.line?.fans ?? []} open={open} /> : null}
      {event.status === "notStarted" ? <p class="muted">Open the preshow to let fans, the host and the celebrity in.</p> : null}
      {event.status === "closed" ? <Attendance eventId={id} /> : null}
    </main>
  );
}
