/**
 * What every producer action shares: the owner check (./producer), the show must still be open, and
 * one audit entry per attempt (actor, action, target, outcome, and the error when it failed), written
 * after the action so the entry says what really happened.
 */
import { failedPrecondition, isHttpsError, unavailable, type HttpsError } from "../platform/errors";
import { VonageError } from "../platform/vonage/client";
import type { Caller } from "../platform/roles";
import { gateStatus, type EventIdentity } from "../seats/showTokens";
import { actorOf, appendAudit, type AuditFacts } from "./audit";
import { producedEvent } from "./producer";

export interface ActionContext {
  identity: EventIdentity;
  caller: Caller;
}

/** Turns a Vonage failure into an answer the producer can act on. */
export function vonageFailure(error: VonageError, what: string): HttpsError {
  if (error.kind === "auth" || error.kind === "forbidden") {
    return failedPrecondition(`Vonage refused the event's credential while trying to ${what}; check the admin's Vonage credential.`, {
      vonage: error.message,
    });
  }
  if (error.kind === "notFound")
    return failedPrecondition(`Vonage no longer knows what you tried to ${what} on.`, { vonage: error.message });
  return unavailable(`Vonage did not complete the request to ${what}; try again (it is safe to repeat).`, { vonage: error.message });
}

function errorFacts(error: unknown): { code: string; message: string } {
  if (error instanceof VonageError) return { code: `vonage/${error.kind}`, message: error.message };
  if (isHttpsError(error)) {
    const vonage = (error.details as { vonage?: string } | undefined)?.vonage;
    return { code: error.code, message: vonage ? `${error.message} (${vonage})` : error.message };
  }
  return { code: "internal", message: "unexpected failure" };
}

/**
 * Runs one producer action on an event: `what` completes "Only the event's owner can …" and the
 * Vonage messages. Refuses closed (and unknown) shows unless `anyStatus`.
 */
export async function producerAction<R>(
  caller: Caller,
  eventId: string,
  spec: { action: string; what: string; target?: AuditFacts; anyStatus?: boolean },
  run: (context: ActionContext) => Promise<{ result: R; details?: AuditFacts }>,
): Promise<R> {
  const identity = await producedEvent(caller, eventId, spec.what);
  const actor = actorOf(caller);
  try {
    if (!spec.anyStatus) {
      const status = await gateStatus(eventId);
      if (status !== "preshow" && status !== "live") {
        throw failedPrecondition(`The show is not running (status ${status ?? "unknown"}): you can ${spec.what} only in preshow or live.`, {
          status,
        });
      }
    }
    const { result, details } = await run({ identity, caller });
    await appendAudit(eventId, { actor, action: spec.action, target: spec.target, outcome: "ok", details });
    return result;
  } catch (error) {
    await appendAudit(eventId, { actor, action: spec.action, target: spec.target, outcome: "failed", error: errorFacts(error) });
    if (error instanceof VonageError) throw vonageFailure(error, spec.what);
    throw error;
  }
}
