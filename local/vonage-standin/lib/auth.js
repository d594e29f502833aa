// @ts-check
"use strict";

const crypto = require("node:crypto");
const querystring = require("node:querystring");
const jwt = require("jsonwebtoken");
const { StandinError } = require("./util");
const { verifyBearerAuth, isApplicationToken, verifyApplicationClientToken } = require("./applications");

/** @typedef {import("./types").Project} Project */
/** @typedef {import("./types").Owners} Owners */
/** @typedef {import("./types").Claims} Claims */
/** @typedef {import("./types").VerifiedClientToken} VerifiedClientToken */

// A pre-built KeyObject makes jsonwebtoken skip its "is this string a PEM?" probe,
// which costs ~0.4 ms per call with a plain string secret.
/**
 * @param {unknown} apiKey
 * @param {unknown} secret
 * @returns {Project}
 */
function makeProject(apiKey, secret) {
  if (typeof apiKey !== "string" && typeof apiKey !== "number") {
    throw new StandinError(400, "apiKey must be a string");
  }
  if (typeof secret !== "string" || secret.length === 0) {
    throw new StandinError(400, "secret must be a non-empty string");
  }
  return {
    kind: "project",
    id: String(apiKey),
    apiKey: String(apiKey),
    secret,
    key: crypto.createSecretKey(Buffer.from(secret, "utf8")),
  };
}

/**
 * @param {string} token
 * @param {Project} project
 * @param {number} clockToleranceSec
 * @param {string} what the token, as the error messages name it
 * @returns {Claims}
 */
function verifyWithProject(token, project, clockToleranceSec, what) {
  try {
    // Pin the algorithm: never let the token's header choose it (alg=none / key confusion).
    return /** @type {Claims} */ (jwt.verify(token, project.key, { algorithms: ["HS256"], clockTolerance: clockToleranceSec }));
  } catch (e) {
    const err = /** @type {Error | undefined} */ (e);
    if (err && err.name === "TokenExpiredError") throw new StandinError(401, `${what} has expired`);
    if (err && err.name === "NotBeforeError") throw new StandinError(401, `${what} is not valid yet`);
    throw new StandinError(401, `${what} is invalid: ${err && err.message}`);
  }
}

// REST auth (OpenTok mode): X-OPENTOK-AUTH is an HS256 JWT signed with the project secret,
// claims iss = API key, ist = 'project', iat, exp. Returns the authenticated project.
/**
 * @param {string | string[] | undefined} headerValue
 * @param {Map<string, Project>} projects
 * @param {number} clockToleranceSec
 */
function verifyRestAuth(headerValue, projects, clockToleranceSec) {
  if (!headerValue) throw new StandinError(401, "Missing X-OPENTOK-AUTH header");
  const token = String(headerValue).trim();
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded || !decoded.payload || typeof decoded.payload !== "object") {
    throw new StandinError(401, "X-OPENTOK-AUTH is not a JWT");
  }
  const iss = decoded.payload.iss;
  const project = iss === undefined || iss === null ? null : projects.get(String(iss));
  if (!project) throw new StandinError(401, "Invalid credentials: unknown API key in the JWT iss claim");
  const claims = verifyWithProject(token, project, clockToleranceSec, "X-OPENTOK-AUTH token");
  if (claims.ist !== "project") throw new StandinError(401, 'X-OPENTOK-AUTH token must have ist = "project"');
  if (typeof claims.exp !== "number") throw new StandinError(401, "X-OPENTOK-AUTH token must have an exp claim");
  // A client token is signed with the same secret and also has ist=project; it must not
  // authorize server calls (a leaked client token would otherwise control the project).
  if (claims.scope === "session.connect") {
    throw new StandinError(401, "A client token cannot be used to authenticate REST calls");
  }
  return project;
}

// Picks the scheme by header: X-OPENTOK-AUTH (legacy project; takes precedence, exactly as
// before) or Authorization: Bearer (Vonage application). Returns the authenticated owner,
// a project or an application (both have .kind and .id).
/**
 * @param {import("node:http").IncomingHttpHeaders} headers
 * @param {Owners} owners
 * @param {number} clockToleranceSec
 * @returns {import("./types").Owner}
 */
function authenticateRest(headers, owners, clockToleranceSec) {
  if (headers["x-opentok-auth"]) return verifyRestAuth(headers["x-opentok-auth"], owners.projects, clockToleranceSec);
  if (headers.authorization) return verifyBearerAuth(headers.authorization, owners.applications, clockToleranceSec);
  throw new StandinError(401, "Missing X-OPENTOK-AUTH header (OpenTok project) or Authorization: Bearer <JWT> (Vonage application)");
}

/**
 * @param {unknown} a
 * @param {unknown} b
 */
function timingSafeEqualHex(a, b) {
  const ba = Buffer.from(String(a), "utf8");
  const bb = Buffer.from(String(b), "utf8");
  return ba.length === bb.length && crypto.timingSafeEqual(ba, bb);
}

// Legacy T1 token: 'T1==' + base64('partner_id=KEY&sig=HEX:DATA') where sig is the hex
// HMAC-SHA1 of DATA (a query string) with the API secret.
/**
 * @param {string} token
 * @param {Map<string, Project>} projects
 * @returns {VerifiedClientToken}
 */
function decodeT1(token, projects) {
  const decoded = Buffer.from(token.slice(4), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) throw new StandinError(401, "Malformed T1 token");
  const head = querystring.parse(decoded.slice(0, colon));
  const dataString = decoded.slice(colon + 1);
  const project = projects.get(String(head.partner_id));
  if (!project) throw new StandinError(401, "Token is for an unknown API key");
  const expected = crypto.createHmac("sha1", project.secret).update(dataString).digest("hex");
  if (!timingSafeEqualHex(expected, head.sig)) throw new StandinError(401, "Token signature is invalid");
  const data = querystring.parse(dataString);
  const expireTime = Number(data.expire_time);
  if (Number.isFinite(expireTime) && expireTime < Math.floor(Date.now() / 1000)) {
    throw new StandinError(401, "Token has expired");
  }
  return { owner: project, claims: data, expireTime: Number.isFinite(expireTime) ? expireTime : null, kind: "t1" };
}

/**
 * @param {string} token
 * @param {Owners} owners
 * @param {number} clockToleranceSec
 * @returns {VerifiedClientToken}
 */
function decodeJwtClientToken(token, owners, clockToleranceSec) {
  const decoded = /** @type {import("./applications").DecodedJwt | null} */ (jwt.decode(token, { complete: true }));
  if (!decoded || !decoded.header || !decoded.payload || typeof decoded.payload !== "object") {
    throw new StandinError(401, "Token is neither a JWT nor a T1 token");
  }
  if (isApplicationToken(decoded)) {
    return verifyApplicationClientToken(token, decoded, owners.applications, clockToleranceSec);
  }
  const { projects } = owners;
  const project = projects.get(String(decoded.payload.iss));
  if (!project) throw new StandinError(401, "Token is for an unknown API key");
  const claims = verifyWithProject(token, project, clockToleranceSec, "Token");
  if (claims.scope !== undefined && claims.scope !== "session.connect") {
    throw new StandinError(401, "Token scope must be session.connect");
  }
  const expireTime = typeof claims.exp === "number" ? claims.exp : Number(claims.expire_time) || null;
  return { owner: project, claims, expireTime, kind: "jwt" };
}

const ROLES = ["publisher", "publisheronly", "subscriber", "moderator"];

// Verifies a client token as a Vonage client SDK would present it on connect, and checks
// it was minted for this session. owners = {projects, applications} (Maps by id). Returns the
// connection attributes it grants and who signed it (ownerKind, ownerId); the caller checks
// that this is the session's owner.
/**
 * @param {unknown} token
 * @param {string} sessionId
 * @param {Owners} owners
 * @param {number} clockToleranceSec
 * @returns {import("./types").ClientAttributes & { ownerKind: import("./types").OwnerKind, ownerId: string }}
 */
function verifyClientToken(token, sessionId, owners, clockToleranceSec) {
  if (typeof token !== "string" || token.length === 0) throw new StandinError(400, "token must be a string");
  const result = token.startsWith("T1==") ? decodeT1(token, owners.projects) : decodeJwtClientToken(token, owners, clockToleranceSec);
  const { claims } = result;
  if (claims.session_id !== sessionId) {
    throw new StandinError(403, "Token was generated for a different session");
  }
  const role = claims.role || "publisher";
  if (!ROLES.includes(role)) throw new StandinError(401, `Token has an invalid role: ${role}`);
  return {
    ownerKind: result.owner.kind,
    ownerId: result.owner.id,
    role,
    data: typeof claims.connection_data === "string" ? claims.connection_data : "",
    initialLayoutClassList: claims.initial_layout_class_list ? String(claims.initial_layout_class_list).split(" ").filter(Boolean) : [],
    expireTime: result.expireTime,
    tokenKind: result.kind,
  };
}

module.exports = {
  makeProject,
  verifyRestAuth,
  authenticateRest,
  verifyClientToken,
  ROLES,
};
