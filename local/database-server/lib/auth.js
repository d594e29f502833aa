// @ts-check
"use strict";
/**
 * Credentials the SDKs send in `auth` / `gauth` requests.
 *
 * - "owner": what firebase-admin sends when FIREBASE_DATABASE_EMULATOR_HOST is set. As on the real
 *   emulator it bypasses the rules, unless the admin app asked for `databaseAuthVariableOverride`
 *   (sent as `authvar`, or `noauth` for null): then the rules run with that auth.
 * - A JWT: decoded, not verified, like the emulator does (the Auth emulator and `mockUserToken` issue
 *   unsigned `alg: none` tokens). Expiry is not checked either: mockUserToken's default `iat` is 0, so
 *   its `exp` lies in 1970.
 */

const OWNER = "owner";

/**
 * @typedef {object} Identity
 * @property {boolean} owner      authenticated with the admin credential
 * @property {boolean} bypassRules
 * @property {object|null} auth   the `auth` variable of the rules
 * @property {number|null} expires
 */

/** @param {string} segment base64url JSON */
function decodeSegment(segment) {
  const json = Buffer.from(segment.replace(/-/g, "+").replace(/_/g, "/"), "base64").toString("utf8");
  const value = JSON.parse(json);
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new Error("not an object");
  return value;
}

/**
 * The rules' `auth` for a set of ID-token claims.
 * @param {Record<string, any>} claims
 */
function authFromClaims(claims) {
  const uid = claims.sub || claims.user_id || claims.uid;
  if (typeof uid !== "string" || !uid) throw new Error("token has no sub / user_id");
  const provider =
    claims.firebase && typeof claims.firebase === "object" ? claims.firebase.sign_in_provider || "custom" : claims.provider_id || "custom";
  return { uid, provider, token: claims };
}

/**
 * @param {{cred?: unknown, authvar?: unknown, noauth?: unknown}} body
 * @returns {Identity}
 * @throws when the credential is not usable
 */
function identify(body) {
  const cred = body && body.cred;
  if (cred === OWNER) {
    if (body.noauth) return { owner: true, bypassRules: false, auth: null, expires: null };
    if (body.authvar && typeof body.authvar === "object") {
      return { owner: true, bypassRules: false, auth: /** @type {object} */ (body.authvar), expires: null };
    }
    return { owner: true, bypassRules: true, auth: null, expires: null };
  }
  if (typeof cred !== "string") throw new Error("missing credential");
  const parts = cred.split(".");
  if (parts.length < 2) throw new Error("not a JWT");
  decodeSegment(parts[0]);
  const claims = decodeSegment(parts[1]);
  // Legacy Firebase custom tokens carry the auth payload in `d`.
  const auth = claims.d && typeof claims.d === "object" && !claims.sub && !claims.user_id ? claims.d : authFromClaims(claims);
  return { owner: false, bypassRules: false, auth, expires: typeof claims.exp === "number" ? claims.exp : null };
}

module.exports = { identify, authFromClaims, OWNER };
