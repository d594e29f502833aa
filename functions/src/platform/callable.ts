/**
 * The one way callables are built: role check from the caller's claims, zod parse of the input,
 * per-user rate limit, and error mapping. Handlers receive typed input and a `Caller` and throw
 * `HttpsError`s from ./errors; anything else becomes `internal` with a reference id in the logs, so
 * no stack or message of an unexpected failure reaches the client.
 */
import { onCall, type CallableFunction, type CallableRequest, type CallableOptions } from "firebase-functions/v2/https";
import type { SecretParam } from "firebase-functions/params";
import type { ZodType, input, output } from "zod";
import { randomUUID } from "node:crypto";
import { enforceAppCheck, functionsRegion } from "./config";
import { HttpsError, invalidInput, isHttpsError, isZodError, permissionDenied, unauthenticated } from "./errors";
import { callFinished, unexpected } from "./logs";
import { callerFrom, hasRole, type Caller, type Role } from "./roles";
import { checkRateLimit } from "./rateLimit";
import { takeSharedBudget } from "./sharedBudget";
import { refuseRevokedToken } from "./revocation";
import { clientAddress, runsInEmulator } from "./clientAddress";
import { callBodyProblem, type RawCallRequest } from "./callBody";

/** Who may call: named roles, any signed-in user, or anyone at all (login functions). */
export type Audience = readonly Role[] | "signedIn" | "anyone";

export interface CallableSpec<S extends ZodType, R, A extends Audience> {
  name: string;
  input: S;
  allow: A;
  secrets?: SecretParam[];
  /** Count calls per user (per address when signed out) against RATE_LIMIT_PER_MINUTE, in instance memory. */
  rateLimited?: boolean;
  /**
   * A budget shared across instances (platform/sharedBudget) per client address and `key(input)`, for
   * calls that hand out something scarce (loginFan: every fresh fan identity can take a seat).
   */
  sharedBudget?: { perMinute: () => number; key: (input: output<S>) => string };
  options?: Omit<CallableOptions, "secrets">;
  handler: (input: output<S>, caller: A extends "anyone" ? Caller | null : Caller, request: CallableRequest<unknown>) => Promise<R>;
}

export function checkAudience(caller: Caller | null, allow: Audience, fn: string): void {
  if (allow === "anyone") return;
  if (!caller) throw unauthenticated(`${fn} needs a signed-in caller: sign in (or call the matching login function) first.`);
  if (allow === "signedIn") return;
  if (!allow.some((role) => hasRole(caller, role))) {
    throw permissionDenied(`${fn} is only for: ${allow.join(", ")}.`);
  }
}

/** Runs a handler the way the deployed callable does; exported for unit tests of the wrapper itself. */
export async function runCallable<S extends ZodType, R, A extends Audience>(
  spec: CallableSpec<S, R, A>,
  request: CallableRequest<unknown>,
): Promise<R> {
  const started = Date.now();
  const caller = callerFrom(request.auth);
  try {
    // App Check is checked here, at call time: firebase-functions would read the param at load time.
    // The emulator has no App Check: the local stack never enforces it.
    if (enforceAppCheck.value() && !runsInEmulator() && !request.app) throw unauthenticated("This app must send a valid App Check token.");
    checkAudience(caller, spec.allow, spec.name);
    // An admin demoted or removed since this ID token was issued: its claims are stale.
    if (caller?.role === "admin") await refuseRevokedToken(caller.uid, request.auth?.token ?? {});
    const address = clientAddress(request.rawRequest);
    if (spec.rateLimited) checkRateLimit(spec.name, caller?.uid ?? `ip:${address}`);
    const parsed = spec.input.safeParse(request.data ?? {});
    if (!parsed.success) throw invalidInput(parsed.error, `${spec.name} input`);
    if (spec.sharedBudget)
      await takeSharedBudget(spec.name, `${address}\u0000${spec.sharedBudget.key(parsed.data)}`, spec.sharedBudget.perMinute());
    const result = await spec.handler(parsed.data, caller as never, request);
    callFinished({ fn: spec.name, uid: caller?.uid, role: caller?.role, outcome: "ok", ms: Date.now() - started });
    return result;
  } catch (error) {
    const mapped = mapError(spec.name, error);
    callFinished({
      fn: spec.name,
      uid: caller?.uid,
      role: caller?.role,
      outcome: mapped.code,
      ms: Date.now() - started,
      ref: (mapped.details as { ref?: string } | undefined)?.ref,
    });
    throw mapped;
  }
}

export function mapError(fn: string, error: unknown): HttpsError {
  if (isHttpsError(error)) return error;
  if (isZodError(error)) return invalidInput(error);
  const ref = randomUUID();
  unexpected(fn, ref, error);
  return new HttpsError("internal", `${fn} failed unexpectedly; quote reference ${ref} when reporting it.`, { ref });
}

/** Where a built callable keeps its spec, for the generated bad-input suite and the API reference. */
export const CALLABLE_SPEC = Symbol.for("interactive-broadcast.callableSpec");

export function validatedCallable<S extends ZodType, R, A extends Audience>(
  spec: CallableSpec<S, R, A>,
): CallableFunction<input<S>, Promise<R>> {
  const fn = onCall<input<S>, Promise<R>>(
    {
      region: functionsRegion,
      ...spec.options,
      ...(spec.secrets?.length ? { secrets: spec.secrets } : {}),
    },
    (request) => runCallable(spec, request),
  );
  const guarded = screenedBody(spec.name, fn);
  Object.defineProperty(guarded, CALLABLE_SPEC, { value: spec });
  return guarded;
}

interface RawCallResponse {
  status(code: number): RawCallResponse;
  setHeader(name: string, value: string): unknown;
  send(body: unknown): unknown;
}

/**
 * The framework's HTTP handler behind the wire-protocol screen (./callBody): a body it would fail to
 * decode, or decode into something our schemas never see, is answered here as invalid-argument with a
 * reference id, in the callable error format and with the CORS header the framework would have set.
 * Preflight (OPTIONS) requests go straight to the framework.
 */
export function screenedBody<F extends (req: never, res: never) => unknown>(fn: string, framework: F): F {
  const guarded = ((req: RawCallRequest, res: RawCallResponse) => {
    if (req.method === "OPTIONS") return framework(req as never, res as never);
    const problem = callBodyProblem(req);
    if (!problem) return framework(req as never, res as never);
    const ref = randomUUID();
    callFinished({ fn, outcome: "invalid-argument", ms: 0, ref });
    const origin = req.headers?.origin;
    if (typeof origin === "string" && origin) {
      res.setHeader("Access-Control-Allow-Origin", origin);
      res.setHeader("Vary", "Origin");
    }
    const message = `${fn}: malformed request: ${problem}; quote reference ${ref} when reporting it.`;
    res.status(400).send({ error: { status: "INVALID_ARGUMENT", message, details: { ref } } });
    return undefined;
  }) as unknown as F;
  // The deploy and the emulator read the endpoint description from these properties.
  for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(framework))) {
    if (!["length", "name", "prototype"].includes(key)) Object.defineProperty(guarded, key, descriptor);
  }
  return guarded;
}
