// @ts-check
"use strict";

const crypto = require("node:crypto");

// Session ids must survive the SDK's generateToken check: it drops the two-character
// prefix, base64-decodes the rest (url-safe alphabet) and requires field 1 to be the
// API key. Real ids look the same: '1_' + base64url('1~<key>~<location>~<date>~<random>~').
// Field 1 is the owner's id: a project's API key, or an application's id (a UUID; the SDK
// in Vonage mode does not decode session ids).
/**
 * @param {string} ownerId
 * @param {string} [location]
 */
function encodeSessionId(ownerId, location) {
  const random = crypto.randomBytes(12).toString("base64url");
  const raw = `1~${ownerId}~${location || ""}~${new Date().toUTCString()}~${random}~`;
  return `1_${Buffer.from(raw, "utf8").toString("base64url")}`;
}

/** @param {unknown} sessionId */
function decodeSessionId(sessionId) {
  if (typeof sessionId !== "string" || !/^[0-9]_[A-Za-z0-9_-]+={0,2}$/.test(sessionId)) return null;
  const raw = Buffer.from(sessionId.slice(2).replace(/=+$/, ""), "base64url").toString("utf8");
  const fields = raw.split("~");
  if (fields.length < 5 || !fields[1]) return null;
  return { ownerId: fields[1], apiKey: fields[1], location: fields[2], createdAt: fields[3], random: fields[4] };
}

function newId() {
  return crypto.randomUUID();
}

module.exports = { encodeSessionId, decodeSessionId, newId };
