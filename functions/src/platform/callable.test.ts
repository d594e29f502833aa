import assert from "node:assert/strict";
import type { CallableRequest } from "firebase-functions/v2/https";
import { z } from "zod";
import { authFor, expectHttpsError } from "../testing/harness";
import { runCallable } from "./callable";
import { enforceAppCheck } from "./config";

const request = (data: unknown, auth?: ReturnType<typeof authFor>) =>
  ({ data, auth, rawRequest: {} }) as unknown as CallableRequest<unknown>;

describe("platform/callable", () => {
  const spec = {
    name: "probe",
    input: z.object({ count: z.number().int().min(1) }).strict(),
    allow: ["admin"] as const,
    handler: async (input: { count: number }) => ({ doubled: input.count * 2 }),
  };

  it("runs the handler with parsed input for an allowed role", async () => {
    assert.deepEqual(await runCallable(spec, request({ count: 2 }, authFor("a1", { role: "admin" }))), { doubled: 4 });
  });

  it("answers unauthenticated without auth and permission-denied for another role", async () => {
    await expectHttpsError(runCallable(spec, request({ count: 2 })), "unauthenticated");
    await expectHttpsError(runCallable(spec, request({ count: 2 }, authFor("f1", { role: "fan" }))), "permission-denied");
  });

  it("answers invalid-argument with the zod issues in details, unknown keys included", async () => {
    const error = await expectHttpsError(
      runCallable(spec, request({ count: "2", extra: 1 }, authFor("a1", { role: "admin" }))),
      "invalid-argument",
    );
    const issues = (error.details as { issues: Array<{ path: string }> }).issues;
    assert.ok(issues.some((issue) => issue.path === "count"));
    assert.ok(issues.some((issue) => /extra|unrecognized/i.test(JSON.stringify(issue))));
    await expectHttpsError(runCallable(spec, request(null, authFor("a1", { role: "admin" }))), "invalid-argument");
  });

  it("turns an unexpected failure into internal with a reference, never the original message", async () => {
    const failing = { ...spec, handler: async () => Promise.reject(new Error("db password is hunter2")) };
    const error = await expectHttpsError(runCallable(failing, request({ count: 1 }, authFor("a1", { role: "admin" }))), "internal");
    assert.doesNotMatch(error.message, /hunter2/);
    assert.match(error.message, /reference [0-9a-f-]{36}/);
  });

  it("lets superAdmin-only functions refuse plain admins", async () => {
    const superOnly = { ...spec, allow: ["superAdmin"] as const };
    await expectHttpsError(runCallable(superOnly, request({ count: 1 }, authFor("a1", { role: "admin" }))), "permission-denied");
    assert.deepEqual(await runCallable(superOnly, request({ count: 1 }, authFor("s1", { role: "admin", superAdmin: true }))), {
      doubled: 2,
    });
  });
});

describe("platform/callable App Check switch", () => {
  const spec = { name: "probe", input: z.object({}).strict(), allow: "anyone" as const, handler: async () => "ok" };
  const saved = process.env.ENFORCE_APP_CHECK;
  afterEach(() => {
    process.env.ENFORCE_APP_CHECK = saved;
    delete process.env.FUNCTIONS_EMULATOR;
  });

  it("refuses calls without App Check only when ENFORCE_APP_CHECK is on", async () => {
    process.env.ENFORCE_APP_CHECK = "false";
    assert.equal(await runCallable(spec, request({})), "ok");
    process.env.ENFORCE_APP_CHECK = "true";
    await expectHttpsError(runCallable(spec, request({})), "unauthenticated");
    const withApp = { data: {}, app: { appId: "1:web:abc", token: {} }, rawRequest: {} } as unknown as CallableRequest<unknown>;
    assert.equal(await runCallable(spec, withApp), "ok");
  });

  it("is on by default in a deployed project (the deploy resolves the default) and never enforced in the Functions emulator", async () => {
    assert.equal((enforceAppCheck as unknown as { options: { default: unknown } }).options.default, true);
    process.env.ENFORCE_APP_CHECK = "true";
    process.env.FUNCTIONS_EMULATOR = "true";
    assert.equal(await runCallable(spec, request({})), "ok");
  });
});
