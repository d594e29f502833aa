/**
 * The Vonage call timeout is well under every function's timeout: each function that calls Vonage
 * declares an explicit timeoutSeconds with room for at least two sequential retried Vonage calls
 * (VONAGE_TIMEOUT_MS default x 3 attempts + backoff each), and transient errors are retried.
 */
import assert from "node:assert/strict";
import * as exported from "../index";
import { vonageTimeoutMs } from "../lib/config";
import { withRetry, VonageError } from "../lib/vonage";

const VONAGE_CALLERS = ["createEvent", "createAdmin", "updateAdmin", "changeStatus", "deleteEvent", "deleteAdmin", "startArchive", "stopArchive", "eventGoLive", "endBroadcast", "stopBroadcastAfterDrain", "finishDrainedBroadcasts"];
const ATTEMPTS = 3;
const MAX_BACKOFF_MS = 200 * 1.5 + 400 * 1.5; // withRetry's two waits at their largest jitter

describe("hardening: timeouts and retries", () => {
  it("every function that calls Vonage has an explicit timeout above two fully retried Vonage calls", () => {
    const defaultMs = Number((vonageTimeoutMs as unknown as { options: { default: number } }).options.default);
    assert.equal(defaultMs, 8000);
    const oneRetriedCall = (ATTEMPTS * defaultMs + MAX_BACKOFF_MS) / 1000;
    for (const name of VONAGE_CALLERS) {
      const fn = (exported as Record<string, unknown>)[name] as { __endpoint?: { timeoutSeconds?: unknown } } | undefined;
      assert.ok(fn, `${name} is exported`);
      const timeout = fn.__endpoint?.timeoutSeconds;
      assert.equal(typeof timeout, "number", `${name} sets timeoutSeconds explicitly`);
      assert.ok((timeout as number) >= 2 * oneRetriedCall, `${name}: ${timeout} s < 2 x ${oneRetriedCall} s`);
    }
  });

  it("withRetry retries transient failures with growing waits, and never auth or not-found", async () => {
    let calls = 0;
    const stamps: number[] = [];
    const value = await withRetry(async () => {
      stamps.push(Date.now());
      if (++calls < 3) throw new VonageError("rejected", "429");
      return "ok";
    }, 3, 20);
    assert.equal(value, "ok");
    assert.equal(calls, 3);
    for (const kind of ["auth", "notFound"] as const) {
      let tries = 0;
      await assert.rejects(withRetry(async () => {
        tries++;
        throw new VonageError(kind, kind);
      }, 3, 1));
      assert.equal(tries, 1, `${kind} is final`);
    }
    let timeouts = 0;
    await assert.rejects(withRetry(async () => {
      timeouts++;
      throw new VonageError("timeout", "slow");
    }, 3, 1));
    assert.equal(timeouts, 3, "timeouts are retried up to the attempt limit");
  });
});
