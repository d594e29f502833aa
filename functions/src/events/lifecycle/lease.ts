/**
 * The event's lease: whoever changes what runs for an event (a status change, a manual archive
 * start or stop, a deletion) first takes `lifecycle.lease` in a transaction on `events/{id}`, so two
 * producers clicking at once, a retried call, the drain task and the scheduled backstop never run a
 * side effect twice. A lease outlives any holder's function timeout: an expired one means its holder
 * is gone, and the next caller takes over.
 */
import { randomUUID } from "node:crypto";
import { failedPrecondition, notFound } from "../../platform/errors";
import { warn } from "../../platform/logs";
import { leaseActive, type EventRecord, type EventStatus, type LifecycleState } from "../model";
import { clearLease, mutateEvent, readEvent } from "../store";

/** Longer than any runner's function timeout, so an expired lease means its holder is gone. */
export const LEASE_MS = 180_000;

export function newLease(now: number): { id: string; until: number } {
  return { id: randomUUID(), until: now + LEASE_MS };
}

/** The refusal while someone else holds the lease for a change to `target`. */
export function inProgress(target: EventStatus) {
  return failedPrecondition(`A change to ${target} is in progress for this event; retry in a moment.`, { inProgress: target });
}

export async function releaseLease(eventId: string, leaseId: string): Promise<void> {
  await clearLease(eventId, leaseId).catch((error: Error) =>
    warn("lease release failed; it expires on its own", { eventId, message: error.message }),
  );
}

type LeaseDecision =
  | { kind: "missing" }
  | { kind: "conflict"; inProgress: EventStatus }
  | { kind: "refused"; message: string }
  | { kind: "noop" }
  | { kind: "leased" };

/**
 * Takes the event's lease for an operation outside a status change (manual archive, deletion), so it
 * cannot interleave with a status change. `check` refuses (message) or skips (noop) the operation;
 * `run` gets the event as stored once the lease is held. Answers the event as stored afterwards.
 */
export async function withEventLease<T>(
  eventId: string,
  check: (event: EventRecord) => { refuse?: string; noop?: boolean },
  run: (event: EventRecord) => Promise<T>,
): Promise<{ event: EventRecord; result?: T }> {
  const now = Date.now();
  const lease = newLease(now);
  const { outcome, event } = await mutateEvent<LeaseDecision>(eventId, (current) => {
    if (!current) return { outcome: { kind: "missing" } };
    if (leaseActive(current, now)) return { outcome: { kind: "conflict", inProgress: current.lifecycle!.target } };
    const verdict = check(current);
    if (verdict.refuse) return { outcome: { kind: "refused", message: verdict.refuse } };
    if (verdict.noop) return { outcome: { kind: "noop" } };
    const lifecycle: LifecycleState = current.lifecycle ?? { target: current.status, startedAt: now, updatedAt: now };
    return { outcome: { kind: "leased" }, next: { ...current, lifecycle: { ...lifecycle, lease, updatedAt: now } } };
  });
  if (outcome.kind === "missing") throw notFound(`No event ${eventId}.`);
  if (outcome.kind === "conflict") throw inProgress(outcome.inProgress);
  if (outcome.kind === "refused") throw failedPrecondition(outcome.message);
  if (outcome.kind === "noop") return { event: event! };
  try {
    const fresh = (await readEvent(eventId))!;
    const result = await run(fresh);
    return { event: (await readEvent(eventId)) ?? fresh, result };
  } finally {
    await releaseLease(eventId, lease.id);
  }
}
