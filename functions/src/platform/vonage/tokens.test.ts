import assert from "node:assert/strict";
import jwt from "jsonwebtoken";
import OpenTok from "opentok";
import { ApplicationTokenSigner, TokenSigner, sessionApiKey, tokenSigner } from "./tokens";
import { testApplication } from "../../testing/vonageKeys";

const apiKey = "47000001";
const apiSecret = "local0000stand0000in0000secret0000000001";
const sessionFor = (key: string) => "1_" + Buffer.from(`1~${key}~~Tue Nov 24 2026~0.123~`).toString("base64url");

describe("platform/vonage/tokens", () => {
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
    const theirs = jwt.verify(
      sdk.generateToken(sessionId, { role: "subscriber", data: '{"userType":"fan"}', expireTime: now + 600 }),
      apiSecret,
      {
        algorithms: ["HS256"],
      },
    ) as Record<string, unknown>;
    assert.deepEqual(Object.keys(ours).sort(), Object.keys(theirs).sort());
    for (const claim of [
      "iss",
      "ist",
      "exp",
      "session_id",
      "role",
      "expire_time",
      "connection_data",
      "scope",
      "initial_layout_class_list",
    ]) {
      assert.deepEqual(ours[claim], theirs[claim], claim);
    }
    assert.equal(typeof ours.nonce, "number");
  });

  it("refuses a session of another API key, as the SDK does", () => {
    const signer = new TokenSigner(apiKey, apiSecret);
    assert.throws(
      () => signer.mint({ sessionId: sessionFor("99999999"), role: "publisher", expireTime: now + 60 }),
      /belongs to the API key/,
    );
  });

  it("refuses expiries in the past or beyond Vonage's 30 days, and oversized data", () => {
    const signer = new TokenSigner(apiKey, apiSecret);
    assert.throws(() => signer.mint({ sessionId, role: "publisher", expireTime: now - 1 }), /future/);
    assert.throws(() => signer.mint({ sessionId, role: "publisher", expireTime: now + 31 * 24 * 3600 }), /30 days/);
    assert.throws(() => signer.mint({ sessionId, role: "publisher", expireTime: now + 60, data: "x".repeat(1025) }), /1024/);
  });

  it("a token signed with another secret does not verify", () => {
    const token = new TokenSigner(apiKey, "another-secret-another-secret-0000000000").mint({
      sessionId,
      role: "publisher",
      expireTime: now + 60,
    });
    assert.throws(() => jwt.verify(token, apiSecret, { algorithms: ["HS256"] }), /invalid signature/);
  });

  it("decodes the API key of a session id and reuses one signer per tenant", () => {
    assert.equal(sessionApiKey(sessionId), apiKey);
    assert.equal(sessionApiKey("x"), undefined);
    const legacy = (secret: string) => tokenSigner({ kind: "legacy", apiKey, apiSecret: secret });
    assert.equal(legacy(apiSecret), legacy(apiSecret));
    assert.notEqual(legacy(apiSecret), legacy(apiSecret + "x"));
  });

  describe("application credentials (RS256)", () => {
    const app = testApplication();
    const appSession = "2_MX4wYTFiMmMzZC00ZTVmLTRhNmItOGM3ZC05ZTBmMWEyYjNjNGR-flRodSBEZWMgMDEgMjAyNn4wLjV-fg";
    const verify = (token: string) => jwt.verify(token, app.publicKey, { algorithms: ["RS256"] }) as Record<string, unknown>;

    it("mints the claims Vonage expects, the same set the SDK's Vonage mode puts in its token", () => {
      const signer = new ApplicationTokenSigner(app.applicationId, app.privateKeyPkcs8);
      const token = signer.mint({ sessionId: appSession, role: "subscriber", data: '{"userType":"fan"}', expireTime: now + 600 });
      assert.deepEqual(jwt.decode(token, { complete: true })?.header, { alg: "RS256", typ: "JWT" });
      const ours = verify(token);
      const sdk = new OpenTok(app.applicationId, app.privateKeyPkcs8);
      const theirs = verify(
        sdk.generateToken(appSession, { role: "subscriber", data: '{"userType":"fan"}', expire_time: now + 600 } as never),
      );
      assert.deepEqual(Object.keys(ours).sort(), Object.keys(theirs).sort());
      for (const claim of [
        "application_id",
        "scope",
        "session_id",
        "role",
        "connection_data",
        "initial_layout_class_list",
        "sub",
        "acl",
        "exp",
      ]) {
        assert.deepEqual(ours[claim], theirs[claim], claim);
      }
      assert.deepEqual(ours, {
        application_id: app.applicationId,
        scope: "session.connect",
        session_id: appSession,
        role: "subscriber",
        initial_layout_class_list: "",
        connection_data: '{"userType":"fan"}',
        sub: "video",
        acl: { paths: { "/session/**": {} } },
        iat: now,
        exp: now + 600,
        jti: ours.jti,
      });
      assert.match(String(ours.jti), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.notEqual(verify(signer.mint({ sessionId: appSession, role: "subscriber", expireTime: now + 600 })).jti, ours.jti);
    });

    it("keeps our expiry, where the SDK's Vonage mode ignores expireTime and gives 24 h", () => {
      const sdk = new OpenTok(app.applicationId, app.privateKeyPkcs8);
      const sdkClaims = verify(sdk.generateToken(appSession, { role: "publisher", expireTime: now + 600 }));
      assert.ok(Number(sdkClaims.exp) >= now + 86_000, "the SDK pitfall this signer exists for");
      const ours = verify(
        new ApplicationTokenSigner(app.applicationId, app.privateKeyPkcs8).mint({
          sessionId: appSession,
          role: "publisher",
          expireTime: now + 600,
        }),
      );
      assert.equal(ours.exp, now + 600);
    });

    it("signs with a PKCS#1 key as well, applies the same limits, and a token of another key does not verify", () => {
      const signer = new ApplicationTokenSigner(app.applicationId, app.privateKeyPkcs1);
      assert.equal(verify(signer.mint({ sessionId: appSession, role: "moderator", expireTime: now + 60 })).role, "moderator");
      assert.throws(() => signer.mint({ sessionId: appSession, role: "publisher", expireTime: now - 1 }), /future/);
      assert.throws(() => signer.mint({ sessionId: appSession, role: "publisher", expireTime: now + 31 * 24 * 3600 }), /30 days/);
      assert.throws(() => signer.mint({ sessionId: appSession, role: "owner" as never, expireTime: now + 60 }), /role/);
      assert.throws(() => signer.mint({ sessionId: appSession, role: "publisher", expireTime: now + 60, data: "x".repeat(1025) }), /1024/);
      const other = testApplication("5f4e3d2c-1b0a-4987-8654-3210fedcba98");
      const foreign = new ApplicationTokenSigner(other.applicationId, other.privateKeyPkcs8).mint({
        sessionId: appSession,
        role: "publisher",
        expireTime: now + 60,
      });
      assert.throws(() => verify(foreign), /invalid signature/);
    });

    it("tokenSigner builds one signer (one KeyObject) per application and key", () => {
      const credential = { kind: "application" as const, applicationId: app.applicationId, privateKey: app.privateKeyPkcs8 };
      const signer = tokenSigner(credential);
      assert.ok(signer instanceof ApplicationTokenSigner);
      assert.equal(signer.apiKey, app.applicationId);
      assert.equal(tokenSigner({ ...credential }), signer);
      const rotated = testApplication(app.applicationId, 3072);
      assert.notEqual(tokenSigner({ ...credential, privateKey: rotated.privateKeyPkcs8 }), signer);
    });
  });
});
