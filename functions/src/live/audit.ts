/**
 * The show's audit trail: `auditLog/{eventId}/{entryId}`, server-only (no client reads or writes; the
 * owner admin and superAdmins page it through `getAuditLog`). Every producer action, every status
 * change and every automatic recovery appends one entry: who (uid and role, `system` for the backend
 * itself), what, whom, when (server time) and the outcome, with the Vonage error when a call failed.
 *
 * Entries are keyed by push ids: within one instance they sort in append order, across instances by
 * their (close) clocks; `at` is the database's own time. The trail goes with the event (events/store).
 */
import { ServerValue } from "firebase-admin/database";
import { db } from "../platform/firebase";
import { paths } from "../contract/paths";
import { warn } from "../platform/logs";
import type { Caller } from "../platform/roles";
import type { AuditActor, AuditEntry, AuditFacts } from "../contract/records";

// The stored entry and its parts are the contract's (contract/records.ts).
export type { AuditActor, AuditEntry, AuditFacts } from "../contract/records";
export type AuditActorRole = AuditActor["role"];

export interface AuditEntryInput {
  actor: AuditActor;
  /** What happened, a verb phrase in camelCase: `changeStatus`, `removeParticipant`, `archiveRestarted`. */
  action: string;
  /** Whom or what it was done to (a fan id, a connection, an archive id). */
  target?: AuditFacts;
  outcome: "ok" | "failed";
  /** Why it failed: our error code and message, or Vonage's status and message. */
  error?: { code: string; message: string };
  /** Anything else worth keeping (the status moved from/to, a new HLS URL, an attempt number). */
  details?: AuditFacts;
}

/** The backend acting on its own (a recovery, a scheduled sweep, a Vonage callback). */
export const SYSTEM_ACTOR: AuditActor = { uid: "system", role: "system" };

export function actorOf(caller: Caller): AuditActor {
  // `signedIn`: a caller with no role claim (only reaches callables open to any signed-in user).
  return { uid: caller.uid, role: caller.superAdmin ? "superAdmin" : (caller.role ?? "signedIn") };
}

const MAX_TEXT = 500;
const MAX_FACTS = 20;

function clipText(value: string): string {
  return value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT - 1)}…` : value;
}

function clipFacts(facts: AuditFacts | undefined): AuditFacts | null {
  if (!facts) return null;
  const out: AuditFacts = {};
  for (const [key, value] of Object.entries(facts).slice(0, MAX_FACTS)) {
    if (value === undefined) continue;
    // Database keys cannot hold . $ # [ ] /; facts' keys are ours, but be safe.
    out[key.replace(/[.$#[\]/]/g, "_")] = typeof value === "string" ? clipText(value) : value;
  }
  return out;
}

/** The stored form of an entry (without its id and with the server's time placeholder). */
export function auditRecord(entry: AuditEntryInput): Record<string, unknown> {
  return {
    at: ServerValue.TIMESTAMP,
    actor: { uid: clipText(entry.actor.uid), role: entry.actor.role },
    action: clipText(entry.action),
    target: clipFacts(entry.target),
    outcome: entry.outcome,
    error: entry.error ? { code: clipText(entry.error.code), message: clipText(entry.error.message) } : null,
    details: clipFacts(entry.details),
  };
}

/**
 * Appends an entry and returns its id. A failed append is logged, never thrown: the action it records
 * has already happened, and failing it now would make the caller retry what succeeded.
 */
export async function appendAudit(eventId: string, entry: AuditEntryInput): Promise<string | null> {
  const ref = db().ref(paths.auditLog(eventId)).push();
  try {
    await ref.set(auditRecord(entry));
    return ref.key;
  } catch (error) {
    warn("audit entry not written", { eventId, action: entry.action, error: String(error) });
    return null;
  }
}

/**
 * A multi-path patch key and value that append an entry in the same atomic update as the change it
 * records (status changes write both or neither).
 */
export function auditUpdate(eventId: string, entry: AuditEntryInput): [string, Record<string, unknown>] {
  const key = db().ref(paths.auditLog(eventId)).push().key;
  return [`${paths.auditLog(eventId)}/${key}`, auditRecord(entry)];
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Pass as `after` for the next page; null when this page is the last. */
  next: string | null;
}

/** One page of the trail, oldest first, starting after the entry id `after`. */
export async function auditPage(eventId: string, pageSize: number, after?: string): Promise<AuditPage> {
  let query = db().ref(paths.auditLog(eventId)).orderByKey();
  if (after) query = query.startAfter(after);
  // One more than asked tells whether another page exists without a second read.
  const snapshot = await query.limitToFirst(pageSize + 1).once("value");
  const entries: AuditEntry[] = [];
  snapshot.forEach((child) => {
    const value = child.val() as Omit<AuditEntry, "id"> & {
      target?: AuditFacts | null;
      error?: AuditEntry["error"] | null;
      details?: AuditFacts | null;
    };
    entries.push({
      id: child.key,
      at: value.at,
      actor: value.actor,
      action: value.action,
      ...(value.target ? { target: value.target } : {}),
      outcome: value.outcome,
      ...(value.error ? { error: value.error } : {}),
      ...(value.details ? { details: value.details } : {}),
    });
  });
  const more = entries.length > pageSize;
  if (more) entries.length = pageSize;
  return { entries, next: more ? entries[entries.length - 1].id : null };
}
