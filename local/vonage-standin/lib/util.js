// @ts-check
"use strict";

// Small shared helpers: errors that carry an HTTP status, body reading, JSON replies.

class StandinError extends Error {
  /**
   * @param {number} status the HTTP status it answers with
   * @param {string} message
   * @param {Record<string, unknown>} [extra] more fields to carry
   */
  constructor(status, message, extra) {
    super(message);
    this.name = "StandinError";
    this.status = status;
    if (extra) Object.assign(this, extra);
  }
}

const MAX_BODY = 1024 * 1024;

/**
 * @param {import("node:http").IncomingMessage} req
 * @returns {Promise<string>}
 */
function readBody(req) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    req.on("data", (/** @type {Buffer} */ c) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new StandinError(413, "Request body too large"));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

// Parses a request body by its content type. The SDK sends JSON everywhere except
// /session/create, which is form-urlencoded; accept either so curl users are not punished.
/**
 * @param {string} text
 * @param {string | undefined} contentType
 * @returns {import("./types").Body}
 */
function parseBody(text, contentType) {
  if (!text) return {};
  const type = String(contentType || "")
    .split(";")[0]
    .trim()
    .toLowerCase();
  if (type === "application/x-www-form-urlencoded") {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    const value = JSON.parse(text);
    if (value === null || typeof value !== "object") throw new Error("not an object");
    return value;
  } catch {
    if (type === "application/json" || type === "") {
      throw new StandinError(400, "Invalid JSON in request body");
    }
    return Object.fromEntries(new URLSearchParams(text));
  }
}

/**
 * @param {import("node:http").ServerResponse} res
 * @param {number} status
 * @param {unknown} value the JSON body (none with 204 or undefined)
 * @param {import("node:http").OutgoingHttpHeaders} [headers]
 */
function sendJson(res, status, value, headers) {
  if (res.headersSent || res.destroyed) return;
  if (status === 204 || value === undefined) {
    res.writeHead(status, { ...headers });
    res.end();
    return;
  }
  const body = JSON.stringify(value);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

/**
 * @param {import("node:http").ServerResponse} res
 * @param {unknown} err a StandinError (its status), or anything thrown (500)
 */
function sendError(res, err) {
  const e = /** @type {{ status?: unknown, message?: unknown } | null | undefined} */ (err);
  const status = e && Number.isInteger(e.status) ? /** @type {number} */ (e.status) : 500;
  const message = e && e.message ? e.message : "Internal error";
  sendJson(res, status, { code: status, message });
}

/** @param {string | undefined} address */
function isLoopback(address) {
  if (!address) return false;
  return (
    address === "127.0.0.1" ||
    address === "::1" ||
    address === "::ffff:127.0.0.1" ||
    address.startsWith("127.") ||
    address.startsWith("::ffff:127.")
  );
}

// JSON-safe deep copy so state() never leaks live objects that tests could mutate.
/**
 * @param {unknown} value
 * @returns {any} the copy, as JSON.parse gives it
 */
function snapshot(value) {
  return JSON.parse(JSON.stringify(value));
}

/**
 * @param {unknown} v
 * @returns {v is Record<string, any>}
 */
function isPlainObject(v) {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

module.exports = {
  StandinError,
  readBody,
  parseBody,
  sendJson,
  sendError,
  isLoopback,
  snapshot,
  isPlainObject,
};
