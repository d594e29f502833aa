/**
 * The show lifecycle's rules, pure: `notStarted -> preshow -> live -> closed` (and
 * notStarted|preshow -> closed), the steps each change runs, and the decision a status change takes on
 * the event as stored (./runner runs it inside the event's transaction).
 *
 * What "live" means: the event's status becomes `live` only once everything it needs is running (the
 * archive when `archiveEvent`, the broadcast when the admin has HLS or the event has RTMP outputs).
 * Until then it stays `preshow`; nothing is half-live. Closing commits `closed` at once and then stops
 * what runs.
 */
import { leaseActive, type EventRecord, type EventStatus, type LifecycleStep } from "../model";

export const NEXT_STATUSES: Record<EventStatus, readonly EventStatus[]> = {
  notStarted: ["preshow", "closed"],
  preshow: ["live", "closed"],
  live: ["closed"],
  closed: [],
};

export function stepsFor(target: EventStatus, event: EventRecord, hls: boolean): LifecycleStep[] {
  switch (target) {
    case "preshow":
      return ["liveRecord", "commit", "currentEvent"];
    case "live":
      return [
        ...(event.archiveEvent ? (["archive"] as const) : []),
        ...(needsBroadcast(event, hls) ? (["broadcast"] as const) : []),
        "commit",
        "currentEvent",
      ];
    case "closed":
      return ["markClosed", "currentEvent", "archiveStop", "broadcastDrain", "broadcastStop", "removeLiveRecord"];
    default:
      return [];
  }
}

function needsBroadcast(event: EventRecord, hls: boolean): boolean {
  return hls || (event.rtmpOutputs?.length ?? 0) > 0;
}

export function refusedMessage(from: EventStatus, to: EventStatus): string {
  const allowed = NEXT_STATUSES[from];
  const next = allowed.length ? `allowed next: ${allowed.join(", ")}` : "a closed event is final";
  return `Cannot change the event from ${from} to ${to} (${next}).`;
}

export type TransitionDecision =
  | { kind: "missing" }
  | { kind: "busy" }
  | { kind: "conflict"; inProgress: EventStatus }
  | { kind: "refused"; from: EventStatus }
  | { kind: "unchanged" }
  | { kind: "resumed" }
  | { kind: "transitioned" };

/**
 * What a request to move `current` to `target` does: resume an unfinished change to the same target
 * (unless its lease is held), nothing (already there), refuse, or start the change with `lease`.
 * `next` is the event to write back (with the steps to run and the lease), when it changes.
 */
export function decideTransition(
  current: EventRecord | null,
  target: EventStatus,
  at: { now: number; lease: { id: string; until: number }; hls: boolean },
): { outcome: TransitionDecision; next?: EventRecord } {
  const { now, lease, hls } = at;
  if (!current) return { outcome: { kind: "missing" } };
  const lifecycle = current.lifecycle;
  const busy = leaseActive(current, now);
  if (lifecycle?.target === target && (lifecycle.pending?.length ?? 0) > 0) {
    if (busy) return { outcome: { kind: "busy" } };
    return { outcome: { kind: "resumed" }, next: { ...current, lifecycle: { ...lifecycle, lease, updatedAt: now } } };
  }
  if (current.status === target) return { outcome: { kind: "unchanged" } };
  if (busy) return { outcome: { kind: "conflict", inProgress: lifecycle!.target } };
  if (!NEXT_STATUSES[current.status].includes(target)) return { outcome: { kind: "refused", from: current.status } };
  const next: EventRecord = {
    ...current,
    lifecycle: { target, pending: stepsFor(target, current, hls), lease, errors: null, hls, startedAt: now, updatedAt: now },
    updatedAt: now,
  };
  if (target === "closed") {
    // Closing takes effect at once (no new logins, clients end); the rest follows in the steps.
    next.status = "closed";
    next.showEndedAt = now;
    next.imagesClosedAt = current.startImage || current.endImage ? now : null;
    // The backstop finds every unfinished close by this field, with or without a broadcast to drain.
    next.lifecycle!.unfinishedSince = now;
  }
  return { outcome: { kind: "transitioned" }, next };
}
