import assert from "node:assert/strict";
import jwt from "jsonwebtoken";
import OpenTok from "opentok";
import { TokenSigner, sessionApiKey, tokenSigner } from "./vonageTokens";

const apiKey = "47000001";
const apiSecret = "local0000stand0000in0000secret0000000001";
const sessionFor = (key: string) => "1_" + Buffer.from(`1~${key}~~Tue Nov 24 2026~0.123~`).toString("base64url");

describe("lib/vonageTokens", () => {
  const sessionId = sessionFor(apiKey);
  // Taken when each test starts, not when the file is loaded: in a full run minutes can pass between
  // the two, and `now + 60` would then be in the past.
  let now: number;
  beforeEach(() => {
    now = Math.floor(Date.now() / 1000);
  });

  it("mints a JWT with the claims opentok.generateToken puts in its default token", () => {
    const signer = new TokenSigner(apiKey, apiSecret);
    const ours = jwt.verify(signer.mint({ sessionId, role: "subscriber", data: '{"userType":"fan"}', expireTime: now + 600 }), apiSecret, {
      algorithms: ["HS256"],
    }) as Record<string, unknown>;
    const sdk = new OpenTok(apiKey, apiSecret);
    const theirs = jwt.verify(sdk.generateToken(sessionId, { role: "subscriber", data: '{"userType":"fan"}', expireTime: now + 600 }), apiSecret, {
      algorithms: ["HS256"],
    }) as Record<string, unknown>;
    assert.deepEqual(Object.keys(ours).sort(), Object.keys(theirs).sort());
    for (const claim of ["iss", "ist", "exp", "session_id", "role", "expire_time", "connection_data", "scope", "initial_layout_class_list"]) {
      assert.deepEqual(ours[claim], theirs[claim], claim);
    }
    assert.equal(typeof ours.nonce, "number");
  });

  it("refuses a session of another API key, as the SDK does", () => {
    const signer = new TokenSigner(apiKey, apiSecret);
    assert.throws(() => signer.mint({ sessionId: sessionFor("99999999"), role: "publisher", expireTime: now + 60 }), /belongs to the API key/);
  });

  it("refuses expiries in the past or beyond Vonage's 30 days, and oversized data", () => {
    const signer = new TokenSigner(apiKey, apiSecret);
    assert.throws(() => signer.mint({ sessionId, role: "publisher", expireTime: now - 1 }), /future/);
    assert.throws(() => signer.mint({ sessionId, role: "publisher", expireTime: now + 31 * 24 * 3600 }), /30 days/);
    assert.throws(() => signer.mint({ sessionId, role: "publisher", expireTime: now + 60, data: "x".repeat(1025) }), /1024/);
  });

  it("a token signed with another secret does not verify", () => {
    const token = new TokenSigner(apiKey, "another-secret-another-secret-0000000000").mint({ sessionId, role: "publisher", expireTime: now + 60 });
    assert.throws(() => jwt.verify(token, apiSecret, { algorithms: ["HS256"] }), /invalid signature/);
  });

  it("decodes the API key of a session id and reuses one signer per tenant", () => {
    assert.equal(sessionApiKey(sessionId), apiKey);
    assert.equal(sessionApiKey("x"), undefined);
    assert.equal(tokenSigner(apiKey, apiSecret), tokenSigner(apiKey, apiSecret));
    assert.notEqual(tokenSigner(apiKey, apiSecret), tokenSigner(apiKey, apiSecret + "x"));
  });
});
