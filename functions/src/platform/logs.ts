/**
 * Structured logs. Only identifiers and outcomes are logged, never inputs as a whole: inputs may carry
 * passwords and Vonage secrets.
 */
import * as logger from "firebase-functions/logger";

export interface CallLog {
  fn: string;
  uid?: string;
  role?: string;
  /** "ok", or the HttpsError code the call ended with. */
  outcome: string;
  ms: number;
  ref?: string;
}

/** Test runs set FUNCTIONS_LOG_QUIET=true to keep mocha's output readable; test failures speak for themselves. */
const quiet = () => process.env.FUNCTIONS_LOG_QUIET === "true";

export function callFinished(entry: CallLog): void {
  if (quiet()) return;
  if (entry.outcome === "ok") logger.debug("call", entry);
  else if (entry.outcome === "internal") logger.error("call failed", entry);
  else logger.info("call refused", entry);
}

export function unexpected(fn: string, ref: string, error: unknown): void {
  if (quiet()) return;
  const err = error as { message?: string; stack?: string; code?: unknown };
  logger.error("unexpected error", { fn, ref, message: redact(err?.message), code: err?.code, stack: err?.stack });
}

export function info(message: string, data?: Record<string, unknown>): void {
  if (quiet()) return;
  logger.info(message, data ?? {});
}

export function warn(message: string, data?: Record<string, unknown>): void {
  logger.warn(message, data ?? {});
}

/** Vonage SDK errors can quote request bodies; cut anything that looks like a JWT or a long secret. */
export function redact(text: string | undefined): string | undefined {
  if (!text) return text;
  return text.replace(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, "<jwt>").replace(/[A-Za-z0-9+/_-]{32,}/g, "<redacted>");
}
