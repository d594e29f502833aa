// @ts-check
"use strict";

const crypto = require("node:crypto");
const jwt = require("jsonwebtoken");
const { StandinError } = require("./util");

// Vonage applications (application id + RSA key pair), the credential new Vonage customers get,
// beside legacy OpenTok projects (API key + secret, see auth.js). The SDK switches to this
// "Vonage mode" when given a UUID and a PKCS#8 private key: every REST call then carries
// `Authorization: Bearer <RS256 JWT>` and client tokens are RS256 JWTs too. The stand-in only
// ever holds the public key.

/** @typedef {import("./types").Application} Application */
/** @typedef {import("./types").Claims} Claims */
/** @typedef {{ header: import("jsonwebtoken").JwtHeader, payload: Claims }} DecodedJwt a JWT decoded (not verified), with an object payload */

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * @param {unknown} id
 * @returns {id is string}
 */
function isApplicationId(id) {
  return typeof id === "string" && UUID_RE.test(id);
}

// Accepts a PEM (string or Buffer): SPKI "BEGIN PUBLIC KEY", PKCS#1 "BEGIN RSA PUBLIC KEY",
// or, for convenience, an unencrypted private key (the public half is derived). The KeyObject
// is built once here so token checks never re-parse the PEM.
/**
 * @param {unknown} pem
 * @returns {import("node:crypto").KeyObject}
 */
function publicKeyFrom(pem) {
  if (typeof pem !== "string" && !Buffer.isBuffer(pem)) {
    throw new StandinError(400, "publicKey must be a PEM string (public key, or a private key to derive it from)");
  }
  const text = String(pem);
  let key;
  try {
    key = /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)
      ? crypto.createPublicKey(crypto.createPrivateKey(text))
      : crypto.createPublicKey(text);
  } catch (err) {
    throw new StandinError(400, `publicKey is not a usable PEM key: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (key.asymmetricKeyType !== "rsa") {
    throw new StandinError(400, `publicKey must be an RSA key (RS256), got ${key.asymmetricKeyType}`);
  }
  return key;
}

/**
 * @param {unknown} applicationId
 * @param {unknown} pem
 * @param {import("./types").ApplicationOptions} [opts]
 * @returns {Application}
 */
function makeApplication(applicationId, pem, opts = {}) {
  if (!isApplicationId(applicationId)) {
    throw new StandinError(400, `applicationId must be a UUID, got ${JSON.stringify(applicationId)}`);
  }
  const video = opts.video === undefined || opts.video === null ? true : opts.video;
  if (typeof video !== "boolean") throw new StandinError(400, "video must be a boolean");
  return {
    kind: "application",
    id: applicationId,
    applicationId,
    video,
    publicKey: publicKeyFrom(pem),
  };
}

// Shape of the `applications` start option: {id: pem} or {id: {publicKey, video}}.
/**
 * @param {unknown} value
 * @returns {{ publicKey: unknown, video?: unknown }}
 */
function applicationEntry(value) {
  if (typeof value === "string" || Buffer.isBuffer(value)) return { publicKey: value };
  if (value && typeof value === "object") {
    const entry = /** @type {{ publicKey?: unknown, privateKey?: unknown, video?: unknown }} */ (value);
    return { publicKey: entry.publicKey !== undefined ? entry.publicKey : entry.privateKey, video: entry.video };
  }
  throw new StandinError(400, "each application must be a PEM string or {publicKey, video}");
}

// The field that names an owner in JSON answers and callbacks.
/**
 * @param {import("./types").OwnerKind} kind
 * @param {string} id
 * @returns {{ applicationId: string, projectId?: undefined } | { projectId: string, applicationId?: undefined }}
 */
function ownerFields(kind, id) {
  return kind === "application" ? { applicationId: id } : { projectId: id };
}

// A REST caller reaching another owner's archive or broadcast: between legacy projects it is
// simply unknown (404, as it always was); whenever an application is on either side, 403.
/**
 * @param {import("./types").Owner | null} owner the caller (null: the control API, which may reach anything)
 * @param {{ ownerId: string, ownerKind: import("./types").OwnerKind }} thing
 * @param {string} what
 */
function checkOwner(owner, thing, what) {
  if (!owner || thing.ownerId === owner.id) return;
  if (owner.kind === "project" && thing.ownerKind === "project") throw new StandinError(404, `${what} not found`);
  throw new StandinError(
    403,
    `The ${what.toLowerCase()} belongs to another ${thing.ownerKind === "application" ? "application" : "project"}`,
  );
}

/** @param {Application} app */
function noVideo(app) {
  return new StandinError(403, `Application ${app.id} has no Video capability (enable Video in the application's capabilities)`);
}

/**
 * @param {string} token
 * @param {Application} app
 * @param {number} clockToleranceSec
 * @param {string} what
 * @returns {Claims}
 */
function verifyRs256(token, app, clockToleranceSec, what) {
  try {
    // Pinned: the token header never chooses the algorithm (no alg=none, no HS256 signed with
    // the public key as an HMAC secret).
    return /** @type {Claims} */ (jwt.verify(token, app.publicKey, { algorithms: ["RS256"], clockTolerance: clockToleranceSec }));
  } catch (e) {
    const err = /** @type {Error | undefined} */ (e);
    if (err && err.name === "TokenExpiredError") throw new StandinError(401, `${what} has expired`);
    if (err && err.name === "NotBeforeError") throw new StandinError(401, `${what} is not valid yet`);
    throw new StandinError(401, `${what} is invalid: ${err && err.message}`);
  }
}

/**
 * @param {string} token
 * @param {string} what
 * @returns {DecodedJwt}
 */
function decodeOrFail(token, what) {
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded || !decoded.header || !decoded.payload || typeof decoded.payload !== "object") {
    throw new StandinError(401, `${what} is not a JWT`);
  }
  return /** @type {DecodedJwt} */ (decoded);
}

// REST auth (Vonage mode): `Authorization: Bearer <JWT>`, RS256 with the private key of the
// application named in `application_id` (no fallback to `iss`: Vonage JWTs are keyed by
// application_id, and the SDK sets both to the same value). Returns the application.
/**
 * @param {string | undefined} headerValue
 * @param {Map<string, Application>} applications
 * @param {number} clockToleranceSec
 */
function verifyBearerAuth(headerValue, applications, clockToleranceSec) {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(String(headerValue || ""));
  if (!m) throw new StandinError(401, 'Authorization must be "Bearer <JWT>"');
  const token = m[1];
  const what = "Bearer token";
  const decoded = decodeOrFail(token, what);
  if (decoded.header.alg !== "RS256") {
    throw new StandinError(401, `${what} must be signed with RS256 (got alg ${JSON.stringify(decoded.header.alg)})`);
  }
  const appId = decoded.payload.application_id;
  if (typeof appId !== "string" || !appId) throw new StandinError(401, `${what} has no application_id claim`);
  const app = applications.get(appId);
  if (!app) throw new StandinError(401, "Invalid credentials: unknown application in the JWT application_id claim");
  const claims = verifyRs256(token, app, clockToleranceSec, what);
  for (const [claim, type] of [
    ["exp", "number"],
    ["iat", "number"],
    ["jti", "string"],
  ]) {
    if (typeof claims[claim] !== type || claims[claim] === "") throw new StandinError(401, `${what} is missing the ${claim} claim`);
  }
  if (claims.scope === "session.connect") {
    throw new StandinError(401, "A client token cannot be used to authenticate REST calls");
  }
  if (!app.video) throw noVideo(app);
  return app;
}

// Is this JWT client token meant for an application (rather than a legacy project)?
/** @param {DecodedJwt} decoded */
function isApplicationToken(decoded) {
  return decoded.header.alg === "RS256" || (decoded.payload && decoded.payload.application_id !== undefined);
}

// Client token (Vonage mode): RS256 with the application's private key, scope
// session.connect, and an exp. Session, role and owner checks are common (see auth.js).
/**
 * @param {string} token
 * @param {DecodedJwt} decoded
 * @param {Map<string, Application>} applications
 * @param {number} clockToleranceSec
 * @returns {import("./types").VerifiedClientToken}
 */
function verifyApplicationClientToken(token, decoded, applications, clockToleranceSec) {
  const appId = decoded.payload.application_id;
  if (typeof appId !== "string" || !appId) throw new StandinError(401, "Token has no application_id claim");
  const app = applications.get(appId);
  if (!app) throw new StandinError(401, "Token is for an unknown application");
  const claims = verifyRs256(token, app, clockToleranceSec, "Token");
  if (claims.scope !== "session.connect") throw new StandinError(401, "Token scope must be session.connect");
  if (typeof claims.exp !== "number") throw new StandinError(401, "Token must have an exp claim");
  return { owner: app, claims, expireTime: claims.exp, kind: "jwt-rs256" };
}

module.exports = {
  UUID_RE,
  isApplicationId,
  makeApplication,
  applicationEntry,
  ownerFields,
  checkOwner,
  noVideo,
  verifyBearerAuth,
  isApplicationToken,
  verifyApplicationClientToken,
};
