import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { parsePrivateKey, PrivateKeyError, refKey, sameRef, credentialRef, asCredential } from "./credentials";
import { vonagePrivateKey, vonageApplicationId } from "../../admins/input";
import { testApplication } from "../../testing/vonageKeys";

describe("platform/vonage/credentials", () => {
  const app = testApplication();

  it("reads PKCS#8 and PKCS#1 PEM alike and normalises both to the same PKCS#8 PEM", () => {
    const fromPkcs8 = parsePrivateKey(app.privateKeyPkcs8);
    const fromPkcs1 = parsePrivateKey(app.privateKeyPkcs1);
    assert.match(fromPkcs1.pkcs8Pem, /^-----BEGIN PRIVATE KEY-----\n/);
    assert.equal(fromPkcs1.pkcs8Pem, app.privateKeyPkcs8);
    assert.equal(fromPkcs8.pkcs8Pem, app.privateKeyPkcs8);
    assert.equal(fromPkcs8.bits, 2048);
    assert.equal(fromPkcs8.keyObject.type, "private");
  });

  it("reads a key pasted with literal \\n escapes or as base64 of the PEM (how .env files and secrets hold it)", () => {
    const escaped = app.privateKeyPkcs1.trim().replace(/\n/g, "\\n");
    assert.equal(parsePrivateKey(escaped).pkcs8Pem, app.privateKeyPkcs8);
    assert.equal(parsePrivateKey(Buffer.from(app.privateKeyPkcs8).toString("base64")).pkcs8Pem, app.privateKeyPkcs8);
    assert.equal(parsePrivateKey(`\n  ${app.privateKeyPkcs8}  \n`).pkcs8Pem, app.privateKeyPkcs8);
  });

  it("refuses what is not an unencrypted RSA private key of 2048+ bits, without quoting the key", () => {
    const small = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const encrypted = generateKeyPairSync("rsa", { modulusLength: 2048 })
      .privateKey.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "pass" })
      .toString();
    const truncated = app.privateKeyPkcs8.slice(0, 400) + "\n-----END PRIVATE KEY-----\n";
    const cases: Array<[string, RegExp]> = [
      [small, /at least 2048 bits \(this one has 1024\)/],
      [ec, /must be an RSA key \(this one is ec\)/],
      [encrypted, /encrypted with a passphrase/],
      [truncated, /not a readable PEM private key/],
      [app.publicKeyPem, /must be a PEM private key/],
      ["hello", /must be a PEM private key/],
    ];
    for (const [input, message] of cases) {
      assert.throws(
        () => parsePrivateKey(input),
        (error: unknown) => {
          assert.ok(error instanceof PrivateKeyError);
          assert.match(error.message, message);
          const body = input.split("\n").filter((line) => line && !line.startsWith("-----"));
          for (const line of body) assert.ok(!error.message.includes(line), "the message quotes the key");
          return true;
        },
      );
    }
  });

  it("the input schemas accept a UUID and a PEM, answer PKCS#8, and never echo a refused key", () => {
    assert.equal(vonageApplicationId.parse("0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D"), "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
    assert.equal(vonageApplicationId.safeParse("47000001").success, false);
    assert.equal(vonagePrivateKey.parse(app.privateKeyPkcs1), app.privateKeyPkcs8);
    const refused = vonagePrivateKey.safeParse(app.privateKeyPkcs8.replace(/[A-Za-z]{20}/, "!!!!!!!!!!!!!!!!!!!!"));
    assert.equal(refused.success, false);
    const text = JSON.stringify(refused.error?.issues);
    for (const line of app.privateKeyPkcs8.split("\n").filter((line) => line.length > 20)) assert.ok(!text.includes(line));
    assert.equal(vonagePrivateKey.safeParse("x".repeat(9000)).success, false);
  });

  it("refs: kind + public id, compared case-insensitively, keyed safely for the database", () => {
    const legacy = asCredential({ apiKey: "47000001", apiSecret: "s" });
    assert.deepEqual(credentialRef(legacy), { kind: "legacy", id: "47000001" });
    const application = { kind: "application" as const, applicationId: app.applicationId, privateKey: app.privateKeyPkcs8 };
    assert.deepEqual(credentialRef(application), { kind: "application", id: app.applicationId });
    assert.ok(sameRef(credentialRef(application), { kind: "application", id: app.applicationId.toUpperCase() }));
    assert.ok(!sameRef(credentialRef(application), { kind: "legacy", id: app.applicationId }));
    assert.match(refKey(credentialRef(application)), /^application:[0-9a-f-]+$/);
  });
});
