/**
 * The lifecycle's audit entries (live/audit): who changed the status, what each Vonage step did or
 * why it failed. A step entry names what it worked on (the archive or broadcast id).
 */
import type { Caller } from "../../platform/roles";
import type { EventStatus, LifecycleStep } from "../model";
import { actorOf, appendAudit, SYSTEM_ACTOR, type AuditActor, type AuditFacts } from "../../live/audit";
import type { AuditAs, StepContext } from "./context";
import { failureOf } from "./failures";

export function actorFor(caller: Caller | null): AuditActor {
  return caller ? actorOf(caller) : SYSTEM_ACTOR;
}

/** Our error code and message for an entry (no secrets: failureOf redacts Vonage's text). */
export function auditError(error: unknown, step: LifecycleStep = "commit"): { code: string; message: string } {
  const failure = failureOf(step, error);
  return { code: failure.kind, message: failure.message };
}

/** The steps that act on Vonage, and the field whose id they act on. */
const VONAGE_STEPS: Partial<Record<LifecycleStep, "archive" | "broadcast">> = {
  archive: "archive",
  broadcast: "broadcast",
  archiveStop: "archive",
  broadcastStop: "broadcast",
};

export function isVonageStep(step: LifecycleStep): boolean {
  return step in VONAGE_STEPS;
}

function stepTarget(ctx: StepContext, step: LifecycleStep): AuditFacts {
  const field = VONAGE_STEPS[step];
  if (!field) return { eventId: ctx.event.id };
  return { [`${field}Id`]: ctx.event[field]?.id ?? null };
}

export async function auditStep(ctx: StepContext, step: LifecycleStep, to: EventStatus, error?: unknown): Promise<void> {
  const field = VONAGE_STEPS[step];
  const details: AuditFacts = { step, to };
  if (field === "broadcast" && !error && step === "broadcast") details.hlsUrl = ctx.event.broadcast?.hlsUrl ?? null;
  await appendAudit(ctx.event.id, {
    actor: ctx.audit.actor,
    action: ctx.audit.action,
    target: stepTarget(ctx, step),
    outcome: error ? "failed" : "ok",
    ...(error ? { error: auditError(error, step) } : {}),
    details,
  });
}

/** A status change (or its refusal) as one entry. */
export async function auditStatus(
  eventId: string,
  as: AuditAs,
  change: { from?: EventStatus; to: EventStatus },
  error?: unknown,
): Promise<void> {
  await appendAudit(eventId, {
    actor: as.actor,
    action: as.action,
    target: { eventId },
    outcome: error ? "failed" : "ok",
    ...(error ? { error: auditError(error) } : {}),
    details: { ...(change.from ? { from: change.from } : {}), to: change.to },
  });
}
