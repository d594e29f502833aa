/**
 * How a failed step is recorded and answered: a short message without secrets per step (stored in
 * `lifecycle.errors` and the archive/broadcast state), and the error a callable answers for them:
 * failed-precondition when the caller must fix something (credentials), unavailable when a retry can
 * help (it finishes only what is missing).
 */
import { failedPrecondition, isHttpsError, unavailable } from "../../platform/errors";
import { redact } from "../../platform/logs";
import { VonageError } from "../../platform/vonage/client";
import type { EventRecord, LifecycleStep } from "../model";

export interface StepFailure {
  step: LifecycleStep;
  kind: string;
  message: string;
}

export function failureOf(step: LifecycleStep, error: unknown): StepFailure {
  if (error instanceof VonageError) return { step, kind: error.kind, message: redact(error.message) ?? error.kind };
  if (isHttpsError(error)) return { step, kind: error.code, message: error.message };
  const message = (error as { message?: string })?.message ?? String(error);
  return { step, kind: "internal", message: redact(message.slice(0, 300)) ?? "failed" };
}

export function vonageFailure(
  first: StepFailure,
  prefix: string,
  event: EventRecord,
  all: StepFailure[] = [first],
  extra: Record<string, unknown> = {},
): Error {
  const details = {
    eventId: event.id,
    status: event.status,
    errors: Object.fromEntries(all.map((failure) => [failure.step, failure.message])),
    ...extra,
  };
  const message = `${prefix}${all.map((failure) => failure.message).join("; ")}`;
  if (all.some((failure) => failure.kind === "auth" || failure.kind === "failed-precondition")) return failedPrecondition(message, details);
  return unavailable(`${message}. Retry; only what is missing is done again.`, details);
}

/** Turns a report with failures into the error the callable answers; the stored event says the same. */
export function throwIfFailed(report: { event: EventRecord; failures: StepFailure[] }): void {
  if (!report.failures.length) return;
  const event = report.event;
  const target = event.lifecycle?.target ?? event.status;
  const prefix =
    target === "closed"
      ? "The show is closed, but finishing it failed: "
      : `The change to ${target} did not complete (the event stays ${event.status}): `;
  throw vonageFailure(report.failures[0], prefix, event, report.failures, { pending: event.lifecycle?.pending ?? [] });
}
