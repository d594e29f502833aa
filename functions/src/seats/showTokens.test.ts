import assert from "node:assert/strict";
import { DEFAULT_TOKEN_LIFETIME_MINUTES, tokenExpiry } from "./showTokens";
import { VONAGE_MAX_TOKEN_SECONDS } from "../platform/config";

/** Vonage's own bound on a token's lifetime, and the documented default lifetime (docs/deploy.md#params-and-secrets): not read from the code under test. */
const THIRTY_DAYS_SECONDS = 30 * 24 * 60 * 60;
const README_DEFAULT_MINUTES = 360;

describe("seats/showTokens tokenExpiry", () => {
  const now = 1_800_000_000_000;

  it("is now + the configured lifetime, in seconds for Vonage and ms for clients", () => {
    const { expireTime, expiresAt } = tokenExpiry(now, 360);
    assert.equal(expireTime, now / 1000 + 360 * 60);
    assert.equal(expiresAt, expireTime * 1000);
  });

  it("never goes beyond Vonage's 30 days; an unset or non-positive lifetime means the default", () => {
    assert.equal(VONAGE_MAX_TOKEN_SECONDS, THIRTY_DAYS_SECONDS, "the constant is Vonage's 30 days");
    for (const minutes of [60 * 24 * 365, 30 * 24 * 60, 30 * 24 * 60 - 1]) {
      const { expireTime } = tokenExpiry(now, minutes);
      assert.ok(expireTime < now / 1000 + THIRTY_DAYS_SECONDS, `${minutes} min: ${expireTime - now / 1000} s is not under 30 days`);
      // The one-minute margin the signer needs against its own clock, no more.
      assert.equal(expireTime, now / 1000 + THIRTY_DAYS_SECONDS - 60, `${minutes} min`);
    }
    assert.equal(tokenExpiry(now, 30 * 24 * 60 - 2).expireTime, now / 1000 + THIRTY_DAYS_SECONDS - 120, "just under the cap: not capped");
    assert.equal(DEFAULT_TOKEN_LIFETIME_MINUTES, README_DEFAULT_MINUTES);
    assert.equal(tokenExpiry(now, 0).expireTime, now / 1000 + README_DEFAULT_MINUTES * 60);
    assert.equal(tokenExpiry(now, -5).expireTime, now / 1000 + README_DEFAULT_MINUTES * 60);
    assert.equal(tokenExpiry(now, 0.5).expireTime, now / 1000 + 60, "at least a minute");
  });
});
