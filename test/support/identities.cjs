// @ts-check
/**
 * Signs a web-SDK client in as anyone, for tests: the Auth emulator accepts unsigned custom tokens
 * (firebase-admin makes the same ones when FIREBASE_AUTH_EMULATOR_HOST is set), so a test can give a
 * user the claims a login function would, without depending on that function.
 */
"use strict";

const AUDIENCE = "https://identitytoolkit.googleapis.com/google.identity.identitytoolkit.v1.IdentityToolkit";

/**
 * @param {string} uid
 * @param {Record<string, unknown>} [claims] custom claims
 */
function unsignedCustomToken(uid, claims = {}) {
  const now = Math.floor(Date.now() / 1000);
  const encode = (/** @type {object} */ value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const payload = { aud: AUDIENCE, iat: now, exp: now + 3600, iss: "test@local", sub: "test@local", uid, claims };
  return `${encode({ alg: "none", typ: "JWT" })}.${encode(payload)}.`;
}

/**
 * @template {{signInWithCustomToken(token: string): Promise<unknown>}} Client
 * @param {Client} client
 * @param {string} uid
 * @param {Record<string, unknown>} [claims]
 * @returns {Promise<Client>}
 */
async function signInAs(client, uid, claims = {}) {
  await client.signInWithCustomToken(unsignedCustomToken(uid, claims));
  return client;
}

module.exports = { unsignedCustomToken, signInAs };
