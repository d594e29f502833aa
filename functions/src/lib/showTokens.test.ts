import assert from "node:assert/strict";
import { DEFAULT_TOKEN_LIFETIME_MINUTES, tokenExpiry } from "./showTokens";
import { VONAGE_MAX_TOKEN_SECONDS } from "./config";

describe("lib/showTokens tokenExpiry", () => {
  const now = 1_800_000_000_000;

  it("is now + the configured lifetime, in seconds for Vonage and ms for clients", () => {
    const { expireTime, expiresAt } = tokenExpiry(now, 360);
    assert.equal(expireTime, now / 1000 + 360 * 60);
    assert.equal(expiresAt, expireTime * 1000);
  });

  it("never goes beyond Vonage's 30 days; an unset or non-positive lifetime means the default", () => {
    assert.ok(tokenExpiry(now, 60 * 24 * 365).expireTime < now / 1000 + VONAGE_MAX_TOKEN_SECONDS);
    assert.ok(tokenExpiry(now, 60 * 24 * 365).expireTime > now / 1000 + VONAGE_MAX_TOKEN_SECONDS - 120);
    assert.equal(tokenExpiry(now, 0).expireTime, now / 1000 + DEFAULT_TOKEN_LIFETIME_MINUTES * 60);
    assert.equal(tokenExpiry(now, -5).expireTime, now / 1000 + DEFAULT_TOKEN_LIFETIME_MINUTES * 60);
    assert.equal(tokenExpiry(now, 0.5).expireTime, now / 1000 + 60, "at least a minute");
  });
});
