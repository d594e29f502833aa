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
 * When an action may run: `openShow` (preshow or live) or `anyStatus` (tidying up, also after the show).
 * Each action names its own, so what it can answer is read from the action (the API reference does).
 */
export type StatusGate = (eventId: string, what: string) => Promise<void>;

export const openShow: StatusGate = async (eventId, what) => {
  const status = await gateStatus(eventId);
  if (status !== "preshow" && status !== "live") {
    throw failedPrecondition(`The show is not running (status ${status ?? "unknown"}): you can ${what} only in preshow or live.`, {
      status,
    });
  }
};

export const anyStatus: StatusGate = () => Promise.resolve();

export interface ActionSpec {
  action: string;
  /** Completes "Only the event's owner can …" and the Vonage messages. */
  what: string;
  target?: AuditFacts;
  status: StatusGate;
}

type ActionRun<R> = (context: ActionContext) => Promise<{ result: R; details?: AuditFacts }>;

/** Runs one producer action on an event that touches only the database. */
export function producerAction<R>(caller: Caller, eventId: string, spec: ActionSpec, run: ActionRun<R>): Promise<R> {
  return runAction(caller, eventId, spec, run, (error) => error);
}

/** Runs one producer action that calls Vonage: a Vonage failure becomes an answer the producer can act on. */
export function producerVonageAction<R>(caller: Caller, eventId: string, spec: ActionSpec, run: ActionRun<R>): Promise<R> {
  return runAction(caller, eventId, spec, run, (error) => (error instanceof VonageError ? vonageFailure(error, spec.what) : error));
}

async function runAction<R>(
  caller: Caller,
  eventId: string,
  spec: ActionSpec,
  run: ActionRun<R>,
  answerFor: (error: unknown) => unknown,
): Promise<R> {
  const identity = await producedEvent(caller, eventId, spec.what);
  const actor = actorOf(caller);
  try {
    await spec.status(eventId, spec.what);
    const { result, details } = await run({ identity, caller });
    await appendAudit(eventId, { actor, action: spec.action, target: spec.target, outcome: "ok", details });
    return result;
  } catch (error) {
    await appendAudit(eventId, { actor, action: spec.action, target: spec.target, outcome: "failed", error: errorFacts(error) });
    throw answerFor(error);
  }
}
