"use strict";

const http = require("node:http");
const OpenTok = require("opentok");
const { startVonageStandin } = require("..");

const KEY = "12345678";
const SECRET = "a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0"; // 40 chars, like real secrets
const KEY2 = "87654321";
const SECRET2 = "ffeeddccbbaa99887766554433221100ffeeddcc";

function start(extra = {}) {
  return startVonageStandin({ port: 0, host: "127.0.0.1", projects: { [KEY]: SECRET, [KEY2]: SECRET2 }, ...extra });
}

// Calls a node-style SDK method and resolves with its result(s): one value, or an array when
// the SDK passes several (listArchives gives items and count).
function call(target, method, ...args) {
  return new Promise((resolve, reject) => {
    target[method](...args, (err, ...results) => {
      if (err) reject(err);
      else resolve(results.length > 1 ? results : results[0]);
    });
  });
}

function sdk(v, key = KEY, secret = SECRET, env = {}) {
  const ot = new OpenTok(key, secret, { apiUrl: v.url, timeout: 2000, ...env });
  const c = (m, ...a) => call(ot, m, ...a);
  return {
    ot,
    createSession: (opts = { mediaMode: "routed" }) => c("createSession", opts),
    routed: async (opts = {}) => (await c("createSession", { mediaMode: "routed", ...opts })).sessionId,
    startArchive: (sid, opts = {}) => c("startArchive", sid, opts),
    stopArchive: (id) => c("stopArchive", id),
    getArchive: (id) => c("getArchive", id),
    listArchives: (opts = {}) => c("listArchives", opts),
    deleteArchive: (id) => c("deleteArchive", id),
    startBroadcast: (sid, opts) => c("startBroadcast", sid, opts),
    stopBroadcast: (id) => c("stopBroadcast", id),
    getBroadcast: (id) => c("getBroadcast", id),
    listBroadcasts: (opts = {}) => c("listBroadcasts", opts),
    signal: (sid, cid, payload) => c("signal", sid, cid, payload),
    forceDisconnect: (sid, cid) => c("forceDisconnect", sid, cid),
    listStreams: (sid) => c("listStreams", sid),
    setStreamClassLists: (sid, list) => c("setStreamClassLists", sid, list),
    setArchiveLayout: (id, type, ss, sst) => c("setArchiveLayout", id, type, ss, sst),
    setBroadcastLayout: (id, type, ss, sst) => c("setBroadcastLayout", id, type, ss, sst),
    addArchiveStream: (id, streamId, opts = {}) => c("addArchiveStream", id, streamId, opts),
    forceMuteStream: (sid, streamId) => c("forceMuteStream", sid, streamId),
    forceMuteAll: (sid, opts = {}) => c("forceMuteAll", sid, opts),
    token: (sid, opts, t1) => ot.generateToken(sid, opts, t1),
  };
}

// Raw REST call with a chosen X-OPENTOK-AUTH (or none), to assert on status codes and bodies
// that the SDK hides behind its error classes.
async function raw(v, method, path, { auth, body, headers = {} } = {}) {
  const h = { ...headers };
  if (auth) h["X-OPENTOK-AUTH"] = auth;
  let payload;
  if (body !== undefined) {
    payload = typeof body === "string" ? body : JSON.stringify(body);
    if (!h["Content-Type"]) h["Content-Type"] = "application/json";
  }
  const res = await fetch(v.url + path, { method, headers: h, body: payload });
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, text, json };
}

// A tiny HTTP server standing in for the backend's callback endpoint.
async function startReceiver({ status = 200 } = {}) {
  const received = [];
  let respond = typeof status === "function" ? status : () => status;
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let json;
      try {
        json = JSON.parse(body);
      } catch {
        json = null;
      }
      const entry = { method: req.method, path: req.url, headers: req.headers, body, json };
      received.push(entry);
      res.writeHead(respond(entry), { "Content-Type": "text/plain" });
      res.end("ok");
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${server.address().port}/vonage/callback`,
    received,
    setStatus(s) {
      respond = typeof s === "function" ? s : () => s;
    },
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(fn, { timeout = 3000, interval = 10 } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > end) throw new Error("waitFor: condition not met in time");
    await sleep(interval);
  }
}

// Resolves with the promise's value, or rejects after ms: what a caller must do itself,
// because the SDK does not enforce its `timeout` option.
function deadline(promise, ms) {
  let t;
  return Promise.race([
    promise.finally(() => clearTimeout(t)),
    new Promise((_, reject) => {
      t = setTimeout(() => reject(Object.assign(new Error(`timed out after ${ms} ms`), { code: "ETIMEDOUT" })), ms);
    }),
  ]);
}

module.exports = {
  KEY,
  SECRET,
  KEY2,
  SECRET2,
  start,
  sdk,
  call,
  raw,
  startReceiver,
  sleep,
  waitFor,
  deadline,
  OpenTok,
};
