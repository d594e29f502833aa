/**
 * Changing an event that is not closed (its owner or a superAdmin). The fan slug changes only before
 * preshow (fans' links and the live record hang on it); archive and broadcast settings only before the
 * show is live (they act at go-live); the interactive limit any time before close, reaching the seat
 * gate and the live record at once. A replaced image is deleted, an unchanged one never (IBS deleted
 * images the form merely re-sent: docs/ibs-flaws.md#16).
 */
import { alreadyExists, failedPrecondition, notFound } from "../platform/errors";
import type { Caller } from "../platform/roles";
import { leaseActive, type EventImage, type EventRecord, type RtmpOutput } from "./model";
import { checkDates, checkImageOwner } from "./input";
import { mutateEvent, refreshCurrentEvent, syncDerived } from "./store";
import { claimFanSlug, releaseFanKey } from "./fanKeys";
import { updateOwnLiveRecord } from "./liveRecord";
import { loadOwnedEvent } from "./queries";
import { deleteImages, replacedImages } from "./images";

/** The fields to change: undefined keeps a field, null clears an optional one. */
export interface EventChanges {
  id: string;
  name?: string;
  fanUrl?: string;
  archiveEvent?: boolean;
  uncomposed?: boolean;
  redirectUrl?: string | null;
  rtmpOutputs?: RtmpOutput[] | null;
  interactiveLimit?: number;
  dateTimeStart?: string | null;
  dateTimeEnd?: string | null;
  startImage?: EventImage | null;
  endImage?: EventImage | null;
}

type Outcome = { kind: "ok" } | { kind: "missing" } | { kind: "refused"; message: string };

const GO_LIVE_SETTINGS = ["archiveEvent", "uncomposed", "rtmpOutputs"] as const;

function refusal(current: EventRecord, data: EventChanges, now: number): string | null {
  if (leaseActive(current, now)) return `A change to ${current.lifecycle!.target} is in progress for this event; retry in a moment.`;
  if (current.status === "closed") return "A closed event cannot be changed.";
  if (data.fanUrl !== undefined && data.fanUrl !== current.fanUrl && current.status !== "notStarted") {
    return `The fan URL can only change before preshow (the event is ${current.status}).`;
  }
  if (
    current.status === "live" &&
    GO_LIVE_SETTINGS.some(
      (field) => data[field] !== undefined && JSON.stringify(data[field] ?? null) !== JSON.stringify(current[field] ?? null),
    )
  ) {
    return "Archive and broadcast settings apply at go-live; they cannot change while the show is live.";
  }
  return null;
}

function applyChanges(current: EventRecord, data: EventChanges, now: number): EventRecord {
  const next: Record<string, unknown> = { ...current, updatedAt: now };
  for (const [field, value] of Object.entries(data)) {
    if (field === "id" || value === undefined) continue;
    if (value === null || (field === "rtmpOutputs" && Array.isArray(value) && value.length === 0)) delete next[field];
    else next[field] = value;
  }
  return next as unknown as EventRecord;
}

export async function updateEventFor(caller: Caller, data: EventChanges): Promise<EventRecord> {
  const before = await loadOwnedEvent(data.id, caller);
  checkImageOwner(before.adminId, { startImage: data.startImage, endImage: data.endImage });
  checkDates(
    data.dateTimeStart === undefined ? before.dateTimeStart : data.dateTimeStart,
    data.dateTimeEnd === undefined ? before.dateTimeEnd : data.dateTimeEnd,
  );
  const now = Date.now();
  const early = refusal(before, data, now);
  if (early) throw failedPrecondition(early);

  // A new slug is claimed before the event changes, so two events can never end up with the same one.
  const newSlug = data.fanUrl !== undefined && data.fanUrl !== before.fanUrl ? data.fanUrl : null;
  if (newSlug && !(await claimFanSlug(before, newSlug))) {
    throw alreadyExists(`The fan URL "${newSlug}" is used by another open event of this admin; choose another.`);
  }

  let prior: EventRecord | null = null;
  const { outcome, committed, event } = await mutateEvent<Outcome>(data.id, (current) => {
    prior = current;
    if (!current) return { outcome: { kind: "missing" } };
    const message = refusal(current, data, now);
    if (message) return { outcome: { kind: "refused", message } };
    return { outcome: { kind: "ok" }, next: applyChanges(current, data, now) };
  });
  if (!committed || outcome.kind !== "ok") {
    if (newSlug) await releaseFanKey(before.adminId, newSlug, before.id);
    if (outcome.kind === "missing") throw notFound(`No event ${data.id}.`);
    throw failedPrecondition(outcome.kind === "refused" ? outcome.message : "The event changed meanwhile; retry.");
  }
  const previous = prior as EventRecord | null;
  const updated = event!;

  if (previous && previous.fanUrl !== updated.fanUrl) await releaseFanKey(updated.adminId, previous.fanUrl, updated.id);
  await syncDerived(updated.id);
  if (updated.status === "preshow" || updated.status === "live") {
    await updateOwnLiveRecord(updated, {
      name: updated.name,
      interactiveLimit: updated.interactiveLimit,
      startImage: updated.startImage ?? null,
      endImage: updated.endImage ?? null,
    });
    await refreshCurrentEvent(updated.adminId);
  }
  if (previous) await deleteImages(replacedImages(previous, updated));
  return updated;
}
