// @ts-check
"use strict";

// Browser pages on this machine (the web app on the Hosting emulator) drive simulated clients through
// the control API and play the HLS placeholder with a real player: both need CORS. Only loopback
// origins are answered; the control API itself still refuses clients that are not on loopback.

const LOOPBACK_ORIGIN = /^https?:\/\/(127(?:\.\d{1,3}){3}|localhost|\[::1\])(?::\d{1,5})?$/;

/** @param {string} pathname */
function browserPath(pathname) {
  return pathname === "/_control" || pathname.startsWith("/_control/") || pathname.startsWith("/_media/");
}

/**
 * Adds the CORS answer headers for a loopback page; true when the origin is one.
 * @param {import("node:http").IncomingMessage} req
 * @param {import("node:http").ServerResponse} res
 */
function allowLoopbackOrigin(req, res) {
  const origin = req.headers.origin;
  res.setHeader("Vary", "Origin");
  if (typeof origin !== "string" || !LOOPBACK_ORIGIN.test(origin)) return false;
  res.setHeader("Access-Control-Allow-Origin", origin);
  return true;
}

/**
 * CORS for /_control and /_media: answers a preflight (true: the request is done) and adds the
 * headers to the real answer otherwise.
 * @param {import("node:http").IncomingMessage} req
 * @param {import("node:http").ServerResponse} res
 * @param {string} pathname
 */
function handleBrowserCors(req, res, pathname) {
  if (!browserPath(pathname)) return false;
  const allowed = allowLoopbackOrigin(req, res);
  if (req.method !== "OPTIONS" || !req.headers["access-control-request-method"]) return false;
  if (allowed) {
    res.setHeader("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, DELETE");
    res.setHeader("Access-Control-Allow-Headers", "content-type");
    res.setHeader("Access-Control-Max-Age", "600");
  }
  res.writeHead(allowed ? 204 : 403);
  res.end();
  return true;
}

module.exports = { handleBrowserCors, LOOPBACK_ORIGIN };
