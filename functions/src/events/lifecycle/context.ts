/**
 * What a lifecycle step works on: a local copy of the event kept in step with what the steps saved,
 * the admin's HLS flag as it was when the change started, a save that never recreates a deleted event,
 * and the Vonage credential the event's sessions belong to.
 */
import { notFound } from "../../platform/errors";
import type { VonageCredential } from "../../platform/vonage/credentials";
import { eventCredentials } from "../../admins/tenants";
import type { EventRecord } from "../model";
import { saveEventFields, setPath } from "../store";
import { SYSTEM_ACTOR, type AuditActor } from "../../live/audit";

/** Who runs a change and under which name, for the audit trail. */
export interface AuditAs {
  actor: AuditActor;
  action: string;
}

export interface StepContext {
  /** Local copy of the event, kept in step with what the steps saved. */
  event: EventRecord;
  hls: boolean;
  /** Sets `a/b`-style fields of the event (and its updatedAt); not-found when it was deleted meanwhile. */
  save(set: Record<string, unknown>): Promise<void>;
  credentials(): Promise<VonageCredential>;
  audit: AuditAs;
}

export type StepOutcome = "done" | "wait";

export function stepContext(event: EventRecord, audit: AuditAs = { actor: SYSTEM_ACTOR, action: "lifecycle" }): StepContext {
  return {
    event,
    audit,
    hls: event.lifecycle?.hls === true,
    async save(set) {
      const now = Date.now();
      if (!(await saveEventFields(event.id, set, now))) throw notFound(`Event ${event.id} was deleted while this change ran.`);
      for (const [key, value] of Object.entries(set)) setPath(event, key, value);
      event.updatedAt = now;
    },
    credentials: () => eventCredentials(event),
  };
}
