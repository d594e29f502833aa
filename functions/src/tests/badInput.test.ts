/**
 * Bad input on every callable: at least 200 malformed payloads each, generated from the function's
 * own zod schema. Every one must be answered with invalid-argument (never internal), by a caller the
 * function otherwise accepts, and the database must be unchanged afterwards.
 */
import assert from "node:assert/strict";
import type { CallableRequest } from "firebase-functions/v2/https";
import { runCallable, type Audience } from "../platform/callable";
import { malformedInputs, validSamples } from "../testing/malformed";
import { callableExports, callableSpecs, exportedFunctions } from "../testing/functionsIndex";
import { figure } from "../testing/figures";
import { resetRateLimits } from "../platform/rateLimit";
import { authFor, resetDatabase, testDatabase, useFakeAuth } from "../testing/harness";
import { hostileWireRequests, sendToCallable } from "../testing/wire";
import { callBodyProblem } from "../platform/callBody";

function callerFor(allow: Audience) {
  if (allow === "anyone" || allow === "signedIn") return authFor("someone", {}, "anonymous");
  const role = allow[0];
  if (role === "superAdmin") return authFor("root", { role: "admin", superAdmin: true });
  if (role === "admin") return authFor("admin1", { role: "admin", superAdmin: false });
  return authFor(`${role}1`, { role, adminId: "admin1", eventId: "event1" });
}

describe("hardening: malformed input on every callable", function () {
  this.timeout(120_000);
  const specs = callableSpecs();

  before(async () => {
    useFakeAuth();
    await resetDatabase({ marker: { untouched: true } });
  });

  const counts: number[] = [];
  after(
    () =>
      counts.length &&
      figure(
        "malformed payloads per callable (min / total / callables)",
        `${Math.min(...counts)} / ${counts.reduce((a, b) => a + b, 0)} / ${counts.length}`,
      ),
  );

  it("finds every callable of the functions index, each with its spec", () => {
    // From the index itself: every export the runtime serves as a callable must carry the spec this
    // suite reads, and every spec must belong to a callable export.
    const callables = callableExports().map((entry) => entry.name);
    const withoutSpec = callableExports()
      .filter((entry) => !entry.spec)
      .map((entry) => entry.name);
    assert.deepEqual(withoutSpec, [], "callables built without validatedCallable (no spec to test)");
    assert.deepEqual(
      specs.map(([name]) => name),
      callables,
      "the specs are exactly the callable exports",
    );
    assert.ok(
      callables.length > 0 && callables.length < exportedFunctions().length,
      `${callables.length} callables of ${exportedFunctions().length} exports`,
    );
    figure("callables found in the functions index", specs.length);
  });

  it("every callable schema is strict: with an otherwise valid payload, unknown and prototype keys and oversized values are refused", () => {
    const checked: string[] = [];
    const noSample: string[] = [];
    const accepted: string[] = [];
    for (const [name, spec] of specs) {
      const samples = validSamples(spec.input);
      if (!samples.length) noSample.push(name);
      else checked.push(name);
      for (const [index, sample] of samples.entries()) {
        const label = samples.length > 1 ? `${name} (form ${index + 1})` : name;
        const variants: Array<[string, unknown]> = [
          ["unknown key", { ...sample, unknownKey: true }],
          ["role key", { ...sample, role: "admin", superAdmin: true }],
          [
            "__proto__ key",
            JSON.parse(`{"__proto__":{"polluted":true}${Object.keys(sample).length ? `,${JSON.stringify(sample).slice(1)}` : "}"}`),
          ],
          ["constructor key", { ...sample, constructor: { prototype: { polluted: true } } }],
        ];
        for (const key of Object.keys(sample)) {
          variants.push([`${key} = 100 001 chars`, { ...sample, [key]: "y".repeat(100_001) }]);
          variants.push([`${key} = 10 000 items`, { ...sample, [key]: new Array(10_000).fill("x") }]);
          variants.push([`${key} = 1e308`, { ...sample, [key]: 1e308 }]);
        }
        for (const [variant, payload] of variants) {
          if (spec.input.safeParse(JSON.parse(JSON.stringify(payload))).success) accepted.push(`${label}: ${variant}`);
        }
      }
    }
    assert.deepEqual(noSample, [], "callables whose strictness could not be checked (no valid payload found for their schema)");
    assert.equal(checked.length, specs.length);
    assert.deepEqual(accepted, [], "schemas accepted hostile variants of a valid payload");
    figure("callables whose schema strictness was checked on a valid payload", `${checked.length} of ${specs.length}`);
  });

  for (const [name, spec] of specs) {
    it(`${name}: 200+ malformed payloads all get invalid-argument and change nothing`, async () => {
      resetRateLimits();
      const payloads = malformedInputs(spec.input);
      assert.ok(payloads.length >= 200, `only ${payloads.length} malformed payloads generated`);
      counts.push(payloads.length);
      const before = (await testDatabase()).getData("/");
      const wrong: string[] = [];
      for (const data of payloads) {
        const request = { data, auth: callerFor(spec.allow), rawRequest: { ip: "127.0.0.1" } } as unknown as CallableRequest<unknown>;
        try {
          await runCallable(spec, request);
          wrong.push(`accepted ${JSON.stringify(data)?.slice(0, 80)}`);
        } catch (error) {
          const code = (error as { code?: string }).code;
          if (code !== "invalid-argument") wrong.push(`${code} for ${JSON.stringify(data)?.slice(0, 80)}`);
        }
      }
      assert.deepEqual(wrong.slice(0, 5), [], `${wrong.length} payloads not refused as invalid-argument`);
      assert.deepEqual((await testDatabase()).getData("/"), before, "the database changed");
    });
  }
});

describe("hardening: the callable wire protocol on every callable", function () {
  this.timeout(120_000);

  before(async () => {
    useFakeAuth();
    await resetDatabase({ marker: { untouched: true } });
  });

  for (const entry of callableExports()) {
    it(`${entry.name}: undecodable bodies, typed-value wrappers, deep nesting, duplicate keys, wrong content types get 400 invalid-argument with a reference`, async () => {
      const sample = validSamples(entry.spec!.input)[0] ?? {};
      // The shapes are wrong only on the wire: the same payload in a well-formed body passes the screen.
      const wellFormed = JSON.stringify({ data: sample });
      assert.equal(
        callBodyProblem({
          method: "POST",
          headers: { "content-type": "application/json; charset=utf-8" },
          rawBody: Buffer.from(wellFormed),
          body: JSON.parse(wellFormed),
        }),
        null,
      );
      const before = (await testDatabase()).getData("/");
      const wrong: string[] = [];
      const requests = hostileWireRequests(sample);
      for (const request of requests) {
        const answer = await sendToCallable(entry.fn, request, { origin: "https://fans.example" });
        const error = (answer.body as { error?: { status?: string; message?: string; details?: { ref?: string } } })?.error;
        if (answer.status !== 400 || error?.status !== "INVALID_ARGUMENT")
          wrong.push(`${request.label}: ${answer.status} ${error?.status}`);
        else if (!/^[0-9a-f-]{36}$/.test(error.details?.ref ?? "") || !error.message?.includes(error.details!.ref!))
          wrong.push(`${request.label}: no reference id`);
        else if (answer.headers["access-control-allow-origin"] !== "https://fans.example") wrong.push(`${request.label}: no CORS header`);
      }
      assert.deepEqual(wrong, [], `${wrong.length} of ${requests.length} hostile bodies not refused as invalid-argument`);
      assert.deepEqual((await testDatabase()).getData("/"), before, "the database changed");
    });
  }
});
