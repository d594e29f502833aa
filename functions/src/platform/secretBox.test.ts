import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { openSecret, parseKeyRing, sealSecret, sealedKeyId } from "./secretBox";

const keySpec = (id: string) => `${id}:${randomBytes(32).toString("base64")}`;

describe("platform/secretBox (IBS flaw 8: weak secret encryption)", () => {
  const k1 = keySpec("k1");
  const ring = parseKeyRing(k1);

  it("round-trips a secret and uses a fresh IV each time (equal secrets give different ciphertexts)", () => {
    const a = sealSecret(ring, "same-secret", "admin1");
    const b = sealSecret(ring, "same-secret", "admin2");
    const c = sealSecret(ring, "same-secret", "admin1");
    assert.notEqual(a, c);
    assert.notEqual(a.split(".")[2], c.split(".")[2]);
    assert.equal(openSecret(ring, a, "admin1"), "same-secret");
    assert.equal(openSecret(ring, b, "admin2"), "same-secret");
  });

  it("knowing one plaintext/ciphertext pair does not reveal another admin's secret (no shared keystream)", () => {
    const mine = sealSecret(ring, "A".repeat(40), "me");
    const theirs = sealSecret(ring, "B".repeat(40), "them");
    const body = (sealed: string) => Buffer.from(sealed.split(".")[4], "base64url");
    const keystreamGuess = Buffer.from(body(mine).map((byte, i) => byte ^ "A".charCodeAt(0) ^ body(theirs)[i]));
    assert.notEqual(keystreamGuess.toString("latin1"), "B".repeat(40));
  });

  it("rejects tampering and a ciphertext moved to another admin", () => {
    const sealed = sealSecret(ring, "secret", "admin1");
    const parts = sealed.split(".");
    parts[4] = Buffer.from("XXXXXX").toString("base64url");
    assert.throws(() => openSecret(ring, parts.join("."), "admin1"));
    assert.throws(() => openSecret(ring, sealed, "admin2"));
  });

  it("supports rotation: a new first key seals, the old one still opens", () => {
    const old = sealSecret(ring, "before-rotation", "admin1");
    const rotated = parseKeyRing(`${keySpec("k2")},${k1}`);
    assert.equal(openSecret(rotated, old, "admin1"), "before-rotation");
    const fresh = sealSecret(rotated, "after", "admin1");
    assert.equal(sealedKeyId(fresh), "k2");
    assert.throws(() => openSecret(ring, fresh, "admin1"), /no longer holds/);
  });

  it("refuses malformed key specs with a message naming the fix", () => {
    assert.throws(() => parseKeyRing(""), /empty/);
    assert.throws(() => parseKeyRing("k1:" + randomBytes(16).toString("base64")), /32 bytes/);
    assert.throws(() => parseKeyRing("no-colon"), /kid:base64key/);
  });
});
