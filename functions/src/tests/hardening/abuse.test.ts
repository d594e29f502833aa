/**
 * Abuse: malformed bodies on the HTTP function, per-user rate limits on every login and token callable,
 * App Check enforcement on a real function, and unauthenticated callers who must not be able to write
 * anything (only a fan's own presence is theirs, and the callables do not write that).
 */
import assert from "node:assert/strict";
import type { CallableRequest } from "firebase-functions/v2/https";
import type { ZodType } from "zod";
import { runCallable } from "../../platform/callable";
import { HANDLED_EVENTS, envelopeSchema } from "../../attendance/callbacks";
import { resetRateLimits } from "../../platform/rateLimit";
import { malformedInputs } from "../../testing/malformed";
import { figure } from "../../testing/figures";
import { authFor, expectHttpsError, fft, resetDatabase, testDatabase, useFakeAuth } from "../../testing/harness";
import { seedAdmin, seedEvent } from "../../testing/fixtures";
import { callableSpecs } from "../../testing/functionsIndex";
import type { EventRecord } from "../../events/model";
import { postRaw, signCallback } from "../../testing/callbackRequests";
import { getEvents } from "../../events/functions/getEvents";

const specs = callableSpecs();

/** The HTTP function called as the Functions runtime would, with the exact bytes of the body. */
const post = (raw: Buffer, authorization: string | null) => postRaw(raw, { authorization });
const signed = (raw: Buffer) => `Bearer ${signCallback(raw)}`;

/** Malformed callbacks: the envelope's and each handled event's, the latter with a valid `event`. */
function malformedCallbacks(): unknown[] {
  const bodies: unknown[] = malformedInputs(envelopeSchema);
  for (const [event, schema] of Object.entries(HANDLED_EVENTS)) {
    for (const payload of malformedInputs(schema as ZodType)) {
      const body = payload !== null && typeof payload === "object" && !Array.isArray(payload) ? { ...payload, event } : payload;
      if (!(schema as ZodType).safeParse(body).success) bodies.push(body);
    }
  }
  return bodies;
}

describe("hardening: abuse", function () {
  this.timeout(120_000);
  const envBefore = { ...process.env };
  let event: EventRecord;

  beforeEach(async () => {
    useFakeAuth();
    resetRateLimits();
    await resetDatabase({ marker: { untouched: true } });
    await seedAdmin("adm1");
    event = await seedEvent("adm1", { status: "live" });
  });
  afterEach(() => {
    for (const key of ["RATE_LIMIT_PER_MINUTE", "ENFORCE_APP_CHECK", "VONAGE_CALLBACK_SIGNING_SECRET"]) {
      if (envBefore[key] === undefined) delete process.env[key];
      else process.env[key] = envBefore[key];
    }
    resetRateLimits();
  });

  it("vonageCallbacks: 200+ malformed signed bodies per event type all get 400 (never 5xx) and change nothing", async () => {
    const bodies = malformedCallbacks();
    assert.ok(bodies.length >= 200 * (1 + Object.keys(HANDLED_EVENTS).length), `only ${bodies.length} malformed bodies`);
    // Bodies JSON cannot carry, or that are not JSON at all.
    const raws = [
      ...bodies.filter((body) => body !== undefined).map((body) => Buffer.from(JSON.stringify(body))),
      Buffer.from("{not json"),
      Buffer.from("\u0000\uffff"),
      Buffer.from("[1,"),
    ];
    const before = (await testDatabase()).getData("/");
    const wrong: string[] = [];
    for (const raw of raws) {
      const answer = await post(raw, signed(raw));
      if (answer.statusCode !== 400 && answer.statusCode !== 413) wrong.push(`${answer.statusCode} for ${raw.toString().slice(0, 80)}`);
    }
    assert.deepEqual(wrong.slice(0, 5), [], `${wrong.length} of ${raws.length} bodies not refused with 400`);
    figure("malformed vonageCallbacks bodies (all 400)", raws.length);
    assert.deepEqual((await testDatabase()).getData("/"), before, "the database changed");
  });

  it("vonageCallbacks: with a signing secret set, unsigned or wrongly signed bodies get 401 and change nothing", async () => {
    const before = (await testDatabase()).getData("/");
    const raw = Buffer.from(
      JSON.stringify({ event: "connectionCreated", sessionId: "1_x", connection: { id: "c1", createdAt: 1, data: "" } }),
    );
    assert.equal((await post(raw, null)).statusCode, 401);
    assert.equal((await post(raw, "Bearer a.b.c")).statusCode, 401);
    const other = Buffer.from(JSON.stringify({ event: "archive", sessionId: "1_x", id: "a", status: "stopped" }));
    assert.equal((await post(raw, signed(other))).statusCode, 401, "a token for another body");
    assert.deepEqual((await testDatabase()).getData("/"), before);
  });

  it("every login and token callable is rate limited per user: the N+1st call gets resource-exhausted with retryAfterSeconds", async () => {
    const limited = specs.filter(([name]) => /^(login|createToken)/.test(name));
    assert.ok(limited.length >= 9, `found ${limited.length} login/token callables`);
    process.env.RATE_LIMIT_PER_MINUTE = "3";
    for (const [name, spec] of limited) {
      assert.equal(spec.rateLimited, true, `${name} sets rateLimited`);
      const auth =
        spec.allow === "anyone" || spec.allow === "signedIn"
          ? authFor("abuser", {}, "anonymous")
          : authFor("abuser", { role: spec.allow[0], adminId: "adm1", eventId: "e1" });
      // The budget is counted before the input is parsed, so junk input costs budget too.
      const request = { data: { junk: "x".repeat(100) }, auth, rawRequest: { ip: "10.0.0.1" } } as unknown as CallableRequest<unknown>;
      for (let i = 0; i < 3; i++) await expectHttpsError(runCallable(spec, request), "invalid-argument");
      const error = await expectHttpsError(runCallable(spec, request), "resource-exhausted");
      const retry = (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
      assert.ok(typeof retry === "number" && retry > 0 && retry <= 60, `${name}: retryAfterSeconds ${retry}`);
      // Another user has their own budget.
      const other = { ...request, auth: { ...auth, uid: "someoneElse" } } as unknown as CallableRequest<unknown>;
      await expectHttpsError(runCallable(spec, other), "invalid-argument");
    }
  });

  it("ENFORCE_APP_CHECK switches App Check enforcement on a real function (getEvents)", async () => {
    const call = fft.wrap(getEvents);
    const auth = authFor("adm1", { role: "admin", superAdmin: false }, "password");
    const expected = { [event.id]: (await testDatabase()).getData(`/events/${event.id}`) };
    assert.equal((expected[event.id] as { name?: string }).name, event.name, "the seeded event is stored");
    process.env.ENFORCE_APP_CHECK = "false";
    assert.deepEqual(await call({ data: {}, auth } as never), expected, "off: the admin's events, without an App Check token");
    process.env.ENFORCE_APP_CHECK = "true";
    const error = await expectHttpsError(call({ data: {}, auth } as never), "unauthenticated");
    assert.match(error.message, /App Check/);
    assert.deepEqual(
      await call({ data: {}, auth, app: { appId: "1:1:web:1", token: {} } } as never),
      expected,
      "on: the same answer with a token",
    );
    // The token does not replace the caller's own checks.
    await expectHttpsError(call({ data: {}, app: { appId: "1:1:web:1", token: {} } } as never), "unauthenticated");
  });

  it("no callable lets an unauthenticated caller write anything; the open ones run on a valid payload and only read", async () => {
    const before = (await testDatabase()).getData("/");
    const guesses = [
      {},
      { id: event.id },
      { adminId: "adm1", slug: event.fanUrl, fanUrl: event.fanUrl, eventId: event.id, id: event.id, status: "closed" },
    ];
    // The callables open to anyone (logins and public reads), each with a payload it accepts for the
    // seeded live show, so they really run. A new open callable must be added here.
    const valid: Record<string, unknown> = {
      loginFan: { adminId: "adm1", slug: event.fanUrl },
      loginHost: { adminId: "adm1", slug: event.hostUrl },
      loginCelebrity: { adminId: "adm1", slug: event.celebrityUrl },
      getEventByKey: { adminId: "adm1", slug: event.fanUrl },
      getEventsByAdmin: { adminId: "adm1" },
      getMostRecentEvent: { adminId: "adm1" },
      getBroadcastData: { adminId: "adm1", slug: event.fanUrl },
    };
    const open = specs.filter(([, spec]) => spec.allow === "anyone").map(([name]) => name);
    assert.deepEqual(Object.keys(valid).sort(), [...open].sort(), "a valid payload for every callable open to anyone");
    // One answer per callable and payload: none may be overwritten by the next.
    const answers: Record<string, Record<string, string>> = {};
    for (const [name, spec] of specs) {
      const payloads: Array<[string, unknown]> = guesses.map((data, index) => [`guess ${index + 1}`, data]);
      if (name in valid) {
        assert.ok(spec.input.safeParse(valid[name]).success, `${name}: the valid payload passes its schema`);
        payloads.push(["valid", valid[name]]);
      }
      answers[name] = {};
      for (const [label, data] of payloads) {
        resetRateLimits();
        const request = { data, rawRequest: { ip: "10.0.0.2" } } as unknown as CallableRequest<unknown>;
        try {
          await runCallable(spec, request);
          answers[name][label] = "ok";
        } catch (error) {
          const code = (error as { code?: string }).code as string;
          assert.notEqual(code, "internal", `${name} answered internal to ${label}`);
          answers[name][label] = code;
        }
      }
    }
    figure("callables called unauthenticated (x3 payloads each, +1 valid for the open ones)", specs.length);
    const wrong: string[] = [];
    for (const [name, spec] of specs) {
      if (spec.allow === "anyone") {
        if (answers[name].valid !== "ok") wrong.push(`${name} refused its valid payload: ${answers[name].valid}`);
      } else {
        for (const [label, code] of Object.entries(answers[name]))
          if (code !== "unauthenticated") wrong.push(`${name} answered ${code} to ${label}`);
      }
    }
    assert.deepEqual(wrong, []);
    // loginFan counts its call in the shared per-address budget (platform/sharedBudget): that counter
    // is the only write an unauthenticated caller may cause.
    const { budgets, ...after } = (await testDatabase()).getData("/") as Record<string, unknown>;
    assert.ok(Object.keys(budgets ?? {}).length <= 2, "budget buckets of at most two minutes");
    assert.deepEqual(after, before, "the database changed");
  });
});
