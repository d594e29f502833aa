/**
 * What the documented-errors table's rows share (functions/src/tests/documentedErrors.test.ts): the
 * callers, a call through the real callable as a client makes it, and the set-ups several areas use.
 * Each area's domain rows are in a file of this folder named after the area.
 */
import assert from "node:assert/strict";
import { authFor, fft, type FakeAuth } from "../harness";
import { callableExports, type AnySpec } from "../functionsIndex";
import { useVonageStandin } from "../vonageStandin";
import { resetRateLimits } from "../../platform/rateLimit";
import { db } from "../../platform/firebase";
import { paths } from "../../contract/paths";

export const superAdmin = authFor("sup1", { role: "admin", superAdmin: true }, "password");
export const admin = authFor("adm1", { role: "admin", superAdmin: false }, "password");
export const fan = authFor("fan1", { role: "fan", adminId: "adm1", eventId: "ev1" });

export const exported = new Map(callableExports().map((entry) => [entry.name, entry]));
export function callAs(name: string, auth: unknown, data: unknown): Promise<unknown> {
  const entry = exported.get(name);
  if (!entry) throw new Error(`${name} is not a callable export`);
  return fft.wrap(entry.fn as never)({ data, auth, rawRequest: { ip: "127.0.0.9", headers: {} } }) as Promise<unknown>;
}

/** A caller the spec accepts, and one it refuses by role (null when it accepts every signed-in user). */
export function callers(spec: AnySpec): { allowed: unknown; wrongRole: unknown } {
  if (spec.allow === "anyone" || spec.allow === "signedIn") return { allowed: authFor("anon1", {}, "anonymous"), wrongRole: null };
  const allow = spec.allow as readonly string[];
  const allowed = allow.includes("superAdmin")
    ? superAdmin
    : allow.includes("admin")
      ? admin
      : authFor(`${allow[0]}1`, { role: allow[0], adminId: "adm1", eventId: "ev1" });
  const wrongRole = allow.includes("fan") || allow.includes("host") ? admin : allow.includes("admin") ? fan : admin;
  return { allowed, wrongRole };
}

export interface Row {
  fn: string;
  code: string;
  /** What the row does to get the code. */
  how: string;
  run: (world: World) => Promise<unknown>;
}
export interface World {
  auth: FakeAuth;
}

export const limited = async (name: string, data: unknown, auth: unknown) => {
  const before = process.env.RATE_LIMIT_PER_MINUTE;
  process.env.RATE_LIMIT_PER_MINUTE = "1";
  try {
    await callAs(name, auth, data).catch(() => undefined);
    return await callAs(name, auth, data);
  } finally {
    // The suites after this one see the limit they had.
    if (before === undefined) delete process.env.RATE_LIMIT_PER_MINUTE;
    else process.env.RATE_LIMIT_PER_MINUTE = before;
    resetRateLimits();
  }
};

export const PAIR = { otApiKey: "47999001", otSecret: "documented0errors0secret00000000000001" };

/** The stand-in knows the pair, but its REST answers 500: Vonage is down for the credential check. */
export async function vonageDownForPair(delayMs = 0): Promise<void> {
  const standin = await useVonageStandin();
  standin.addProject(PAIR.otApiKey, PAIR.otSecret);
  standin.injectFault({ pathRegex: `/project/${PAIR.otApiKey}/`, status: 500, count: 10, delayMs });
}

/**
 * A retry that arrives while the first call with its requestId is still running, and that first call
 * then fails (the retry is told to try again, `aborted`): `slowFailure` makes the first call fail after
 * a while, the retry goes out once the first call's claim is stored. The first call's own refusal is
 * checked too, so the row cannot pass on another path.
 */
export async function retryWhileFirstFails(
  name: string,
  caller: { uid: string },
  data: { requestId: string; [field: string]: unknown },
  slowFailure: () => Promise<void>,
  firstCode: string,
): Promise<unknown> {
  await slowFailure();
  const first = callAs(name, caller, data).then(
    () => assert.fail(`the first ${name} succeeded; expected ${firstCode}`),
    (error: { code?: string }) => assert.equal(error.code, firstCode, "the first call's refusal"),
  );
  const claims = db().ref(paths.clientRequests(caller.uid));
  for (let tries = 0; !(await claims.get()).exists(); tries++) {
    if (tries > 400) throw new Error(`the first ${name} never claimed its requestId`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  try {
    return await callAs(name, caller, data);
  } finally {
    await first;
  }
}
