/** The live-state record of a show, `activeBroadcasts/{adminId}/{fanUrl}` (see database.rules.json). */
export interface FanEntry {
  id: string;
  name?: string;
  browser?: string;
  os?: string;
  mobile?: boolean;
  snapshot?: string;
  streamId?: string;
  networkQuality?: string;
  isBackstage?: boolean;
  isOnStage?: boolean;
  inPrivateCall?: boolean;
}

export interface LiveRecord {
  eventId: string;
  name: string;
  status: "notStarted" | "preshow" | "live" | "closed";
  interactiveLimit?: number;
  hlsEnabled?: boolean;
  hlsUrl?: string | null;
  archiving?: boolean;
  hostActive?: boolean;
  celebrityActive?: boolean;
  activeFans?: Record<string, FanEntry>;
  /** The producer's private call (startPrivateCall): with the host, the celebrity or one fan. */
  privateCall?: { isWith: string; fanId?: string } | null;
  /** Server-written counts (docs/live-show.md): `inLine` always, `seated` and `hls` where written. */
  counts?: { inLine?: number; seated?: number; hls?: number };
}

export function liveRecordPath(adminId: string, fanUrl: string): string {
  return `activeBroadcasts/${adminId}/${fanUrl}`;
}

export type FanState = "inLine" | "backstage" | "onStage";

export const FAN_STATE_LABEL: Record<FanState, string> = {
  inLine: "In line",
  backstage: "Backstage",
  onStage: "On stage",
};

/** The uid a presence key belongs to (`<uid>` or `<uid>-<tab>`), i.e. the analytics participant id. */
export function ownsFanKey(participantId: string, fanId: string): boolean {
  return fanId === participantId || fanId.startsWith(`${participantId}-`);
}
