/**
 * The fan-slug lookup entries (`eventKeys/{adminId}/fan/{slug}`), part of ./store's writes: an open
 * event holds its slug, a closed one keeps its entry (its link answers "closed") until a new event
 * claims the slug. Each change is a transaction over the entry, so two events never hold one slug.
 */
import { db } from "../platform/firebase";
import { paths } from "../contract/paths";
import { eventKeyRecord, type EventRecord } from "./model";

/** The event an open fan slug belongs to (one read of its lookup entry). */
export async function fanSlugOwner(adminId: string, slug: string): Promise<string | null> {
  return (
    await db()
      .ref(`${paths.eventKey(adminId, "fan", slug)}/eventId`)
      .once("value")
  ).val() as string | null;
}

/**
 * Claims `eventKeys/{adminId}/fan/{slug}` for an event; false when another open event holds it. A
 * closed event's entry (kept so its link answers "closed") is free to claim.
 */
export async function claimFanSlug(event: EventRecord, slug: string): Promise<boolean> {
  const key = eventKeyRecord({ ...event, fanUrl: slug });
  const result = await db()
    .ref(paths.eventKey(event.adminId, "fan", slug))
    .transaction(
      (current: { eventId?: string; status?: string } | null) =>
        current === null || (current.status === "closed" && current.eventId !== event.id)
          ? key
          : current.eventId === event.id
            ? current
            : undefined,
      undefined,
      false,
    );
  return result.committed ? (result.snapshot.val() as { eventId?: string } | null)?.eventId === event.id : false;
}

export async function releaseFanKey(adminId: string, slug: string, eventId: string): Promise<void> {
  await db()
    .ref(paths.eventKey(adminId, "fan", slug))
    .transaction(
      (current: { eventId?: string } | null) => {
        if (current === null) return null;
        return current.eventId === eventId ? null : undefined;
      },
      undefined,
      false,
    );
}

/** Marks a closed event's fan slug entry closed, unless a newer event has claimed the slug meanwhile. */
export async function closeFanKey(adminId: string, slug: string, eventId: string): Promise<void> {
  await db()
    .ref(paths.eventKey(adminId, "fan", slug))
    .transaction(
      (current: { eventId?: string; status?: string } | null) => {
        if (current === null) return null;
        return current.eventId === eventId ? { ...current, status: "closed" } : undefined;
      },
      undefined,
      false,
    );
}
