/**
 * Errors a client developer can act on. Every refusal goes through these helpers so the codes stay
 * consistent: a caller's mistake is never `internal`, and nothing internal (stack, secret, other
 * tenant's data) reaches the answer.
 */
import { HttpsError, type FunctionsErrorCode } from "firebase-functions/v2/https";
import type { ZodError } from "zod";

export { HttpsError };

export interface IssueDetail {
  path: string;
  message: string;
  code: string;
}

export function invalidInput(error: ZodError, what = "input"): HttpsError {
  const issues: IssueDetail[] = error.issues.slice(0, 20).map((issue) => ({
    path: issue.path.map(String).join(".") || "(root)",
    message: issue.message,
    code: issue.code,
  }));
  const first = issues[0];
  const summary = first ? `${first.path}: ${first.message}` : "malformed";
  return new HttpsError("invalid-argument", `Invalid ${what}: ${summary}`, { issues });
}

export const unauthenticated = (message = "Sign in first: this function needs an authenticated caller.") =>
  new HttpsError("unauthenticated", message);

export const permissionDenied = (message: string) => new HttpsError("permission-denied", message);

export const notFound = (message: string) => new HttpsError("not-found", message);

export const failedPrecondition = (message: string, details?: Record<string, unknown>) =>
  new HttpsError("failed-precondition", message, details);

export const alreadyExists = (message: string) => new HttpsError("already-exists", message);

export const invalidArgument = (message: string, details?: Record<string, unknown>) => new HttpsError("invalid-argument", message, details);

export const resourceExhausted = (message: string, retryAfterSeconds: number) =>
  new HttpsError("resource-exhausted", message, { retryAfterSeconds });

export const unavailable = (message: string, details?: Record<string, unknown>) => new HttpsError("unavailable", message, details);

export function isHttpsError(error: unknown): error is HttpsError {
  return error instanceof HttpsError;
}

export function isZodError(error: unknown): error is ZodError {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as { name?: string }).name === "ZodError" &&
    Array.isArray((error as { issues?: unknown }).issues)
  );
}

export type { FunctionsErrorCode };
