// @ts-check
"use strict";

// Helpers for Vonage applications (application id + RSA key pair): key pairs, the SDK in
// Vonage mode, REST and client JWTs signed the way the SDK signs them, and forged variants.

const crypto = require("node:crypto");
const jwt = require("jsonwebtoken");
const { KEY, SECRET, KEY2, SECRET2 } = require("./helpers");
const { startVonageStandin } = require("..");

// 2048-bit keys take a moment to generate: make each pair once per test process.
/** @type {Map<string, { privatePem: string, publicPem: string, pkcs1PublicPem: string }>} */
const pairs = new Map();
/** @param {string} name */
function keyPair(name) {
  if (!pairs.has(name)) {
    const { publicKey, privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
    pairs.set(name, {
      privatePem: privateKey.export({ type: "pkcs8", format: "pem" }), // what the SDK needs
      publicPem: publicKey.export({ type: "spki", format: "pem" }),
      pkcs1PublicPem: publicKey.export({ type: "pkcs1", format: "pem" }),
    });
  }
  return /** @type {{ privatePem: string, publicPem: string, pkcs1PublicPem: string }} */ (pairs.get(name));
}

const APP = "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d";
const APP2 = "a1b2c3d4-e5f6-4788-99aa-bbccddeeff00";
const APP_NOVIDEO = "c0ffee00-1234-4abc-8def-0123456789ab";
const APP_UNKNOWN = "deadbeef-0000-4000-8000-000000000000";

/** @param {import("../lib/types").StartInput} [extra] */
function startWithApps(extra = {}) {
  return startVonageStandin({
    port: 0,
    host: "127.0.0.1",
    projects: { [KEY]: SECRET, [KEY2]: SECRET2 },
    applications: {
      [APP]: { publicKey: keyPair("app").publicPem },
      [APP2]: keyPair("app2").privatePem, // a private key works too; the stand-in keeps the public half
      [APP_NOVIDEO]: { publicKey: keyPair("novideo").pkcs1PublicPem, video: false },
    },
    ...extra,
  });
}

const now = () => Math.floor(Date.now() / 1000);

/** @param {unknown} obj */
function b64(obj) {
  return Buffer.from(JSON.stringify(obj)).toString("base64url");
}

// A REST JWT as opentok 2.23.2 signs it in Vonage mode (lib/generateJwt.js).
/**
 * @param {string} appId
 * @param {Record<string, unknown>} [extra]
 */
function restClaims(appId, extra = {}) {
  const iat = now();
  return {
    iss: appId,
    ist: "project",
    iat,
    exp: iat + 300,
    application_id: appId,
    jti: crypto.randomUUID(),
    ...extra,
  };
}

/**
 * @param {object} claims
 * @param {string} privatePem
 */
function signRs256(claims, privatePem) {
  return jwt.sign(claims, privatePem, { algorithm: "RS256", header: { typ: "JWT", alg: "RS256" } });
}

/** @param {string} token */
function bearer(token) {
  return { Authorization: `Bearer ${token}` };
}

/**
 * @param {string} appId
 * @param {string} privatePem
 * @param {Record<string, unknown>} [extra]
 */
function restToken(appId, privatePem, extra) {
  return signRs256(restClaims(appId, extra), privatePem);
}

// A client token as the SDK's Vonage-mode generateToken makes it (@vonage/jwt tokenGenerate).
/**
 * @param {string} appId
 * @param {string} sessionId
 * @param {Record<string, unknown>} [extra]
 */
function clientClaims(appId, sessionId, extra = {}) {
  const iat = now();
  return {
    scope: "session.connect",
    session_id: sessionId,
    role: "publisher",
    initial_layout_class_list: "",
    sub: "video",
    acl: { paths: { "/session/**": {} } },
    jti: crypto.randomUUID(),
    iat,
    exp: iat + 86400,
    application_id: appId,
    ...extra,
  };
}

// Hand-made HS256 (e.g. keyed with the application's public key PEM: key confusion).
/**
 * @param {unknown} claims
 * @param {string} secret
 */
function hs256(claims, secret) {
  const head = `${b64({ alg: "HS256", typ: "JWT" })}.${b64(claims)}`;
  return `${head}.${crypto.createHmac("sha256", secret).update(head).digest("base64url")}`;
}

/** @param {unknown} claims */
function algNone(claims) {
  return `${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.`;
}

// Replaces the payload of a signed JWT, keeping its header and signature.
/**
 * @param {string} token
 * @param {(claims: Record<string, any>) => Record<string, any> | void} edit changes the claims in place, or returns new ones
 */
function tamper(token, edit) {
  const [h, p, s] = token.split(".");
  const claims = JSON.parse(Buffer.from(p, "base64url").toString("utf8"));
  return `${h}.${b64(edit(claims) || claims)}.${s}`;
}

/** @param {string} sessionId */
function decodeSessionOwner(sessionId) {
  const raw = Buffer.from(sessionId.slice(2), "base64url").toString("utf8");
  return raw.split("~");
}

module.exports = {
  APP,
  APP2,
  APP_NOVIDEO,
  APP_UNKNOWN,
  keyPair,
  startWithApps,
  now,
  restClaims,
  restToken,
  signRs256,
  bearer,
  clientClaims,
  hs256,
  algNone,
  tamper,
  decodeSessionOwner,
};
