/**
 * The Vonage call timeout is well under every function's timeout: each function that calls Vonage
 * declares an explicit timeoutSeconds with room for at least two sequential retried Vonage calls
 * (VONAGE_TIMEOUT_MS default x 3 attempts + backoff each), and transient errors are retried.
 */
import assert from "node:assert/strict";
import { vonageTimeoutMs } from "../../platform/config";
import { withRetry, VonageError } from "../../platform/vonage/client";
import { exportedFunctions, vonageCallers, VONAGE_MODULES } from "../../testing/functionsIndex";

/**
 * The Vonage callers as of this writing: only a floor for the list derived from the code (the
 * exports whose modules import platform/vonage/client or platform/vonage/operations), so a broken derivation cannot pass
 * with an empty list. A new caller is found by the derivation, not by editing this list.
 */
const KNOWN_VONAGE_CALLERS = [
  "createEvent",
  "createAdmin",
  "updateAdmin",
  "changeStatus",
  "deleteEvent",
  "deleteAdmin",
  "startArchive",
  "stopArchive",
  "eventGoLive",
  "endBroadcast",
  "stopBroadcastAfterDrain",
  "finishDrainedBroadcasts",
];
const ATTEMPTS = 3;
const MAX_BACKOFF_MS = 200 * 1.5 + 400 * 1.5; // withRetry's two waits at their largest jitter

describe("hardening: timeouts and retries", () => {
  it(`the functions that call Vonage are found from the code: every export whose modules import ${VONAGE_MODULES.join(" or ")}`, () => {
    const found = vonageCallers();
    const missed = KNOWN_VONAGE_CALLERS.filter((name) => !found.includes(name));
    assert.deepEqual(missed, [], "known Vonage callers the derivation did not find");
    // And nothing else of the index is mistaken for one: the login, read and token functions sign
    // tokens locally and never reach the Vonage client.
    for (const name of ["login", "loginFan", "getEvent", "createTokensFan", "releaseSeat", "vonageCallbacks"]) {
      assert.ok(
        exportedFunctions().some((entry) => entry.name === name),
        `${name} is exported`,
      );
      assert.ok(!found.includes(name), `${name} does not call Vonage`);
    }
  });

  it("every function that calls Vonage has an explicit timeout above two fully retried Vonage calls", () => {
    const defaultMs = Number((vonageTimeoutMs as unknown as { options: { default: number } }).options.default);
    assert.equal(defaultMs, 8000);
    const oneRetriedCall = (ATTEMPTS * defaultMs + MAX_BACKOFF_MS) / 1000;
    const byName = new Map(exportedFunctions().map((entry) => [entry.name, entry]));
    const callers = vonageCallers();
    assert.ok(callers.length >= KNOWN_VONAGE_CALLERS.length, `only ${callers.length} Vonage callers found`);
    const wrong: string[] = [];
    for (const name of callers) {
      const timeout = byName.get(name)?.endpoint?.timeoutSeconds;
      if (typeof timeout !== "number") wrong.push(`${name} does not set timeoutSeconds explicitly`);
      else if (timeout < 2 * oneRetriedCall) wrong.push(`${name}: ${timeout} s < 2 x ${oneRetriedCall} s`);
    }
    assert.deepEqual(wrong, []);
  });

  it("withRetry retries transient failures with growing waits, and never auth or not-found", async () => {
    let calls = 0;
    const stamps: number[] = [];
    const value = await withRetry(
      async () => {
        stamps.push(Date.now());
        if (++calls < 3) throw new VonageError("rejected", "429");
        return "ok";
      },
      3,
      20,
    );
    assert.equal(value, "ok");
    assert.equal(calls, 3);
    for (const kind of ["auth", "notFound"] as const) {
      let tries = 0;
      await assert.rejects(
        withRetry(
          async () => {
            tries++;
            throw new VonageError(kind, kind);
          },
          3,
          1,
        ),
      );
      assert.equal(tries, 1, `${kind} is final`);
    }
    let timeouts = 0;
    await assert.rejects(
      withRetry(
        async () => {
          timeouts++;
          throw new VonageError("timeout", "slow");
        },
        3,
        1,
      ),
    );
    assert.equal(timeouts, 3, "timeouts are retried up to the attempt limit");
  });
});
