// @ts-check
"use strict";

const http = require("node:http");
// The SDK has no types: its instances, answers and error classes are `any` here.
const OpenTok = /** @type {any} */ (require("opentok"));
const { startVonageStandin } = require("..");

/** @typedef {import("../lib/types").VonageStandin} VonageStandin */
/** @typedef {any} Json a JSON answer (state(), a callback, a REST body) or an SDK error, as the tests read them */

const KEY = "12345678";
const SECRET = "a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0"; // 40 chars, like real secrets
const KEY2 = "87654321";
const SECRET2 = "ffeeddccbbaa99887766554433221100ffeeddcc";

/** @param {import("../lib/types").StartInput} [extra] */
function start(extra = {}) {
  return startVonageStandin({ port: 0, host: "127.0.0.1", projects: { [KEY]: SECRET, [KEY2]: SECRET2 }, ...extra });
}

// Calls a node-style SDK method and resolves with its result(s): one value, or an array when
// the SDK passes several (listArchives gives items and count).
/**
 * @param {any} target the SDK (or any object with node-style methods)
 * @param {string} method
 * @param {...unknown} args
 * @returns {Promise<any>}
 */
function call(target, method, ...args) {
  return new Promise((resolve, reject) => {
    target[method](...args, (/** @type {unknown} */ err, /** @type {unknown[]} */ ...results) => {
      if (err) reject(err);
      else resolve(results.length > 1 ? results : results[0]);
    });
  });
}

/**
 * The SDK, pointed at the stand-in, with its node-style methods as promises (their answers typed `any`,
 * as the SDK has no types).
 * @param {{ url: string }} v
 * @param {string} [key]
 * @param {string} [secret]
 * @param {Record<string, unknown>} [env] more SDK options
 */
function sdk(v, key = KEY, secret = SECRET, env = {}) {
  const ot = new OpenTok(key, secret, { apiUrl: v.url, timeout: 2000, ...env });
  /** @typedef {any} Arg an argument, passed to the SDK as given */
  const c = (/** @type {string} */ m, /** @type {Arg[]} */ ...a) => call(ot, m, ...a);
  return {
    ot,
    createSession: (/** @type {Arg} */ opts = { mediaMode: "routed" }) => c("createSession", opts),
    routed: async (/** @type {Record<string, unknown>} */ opts = {}) =>
      (await c("createSession", { mediaMode: "routed", ...opts })).sessionId,
    startArchive: (/** @type {Arg} */ sid, /** @type {Arg} */ opts = {}) => c("startArchive", sid, opts),
    stopArchive: (/** @type {Arg} */ id) => c("stopArchive", id),
    getArchive: (/** @type {Arg} */ id) => c("getArchive", id),
    listArchives: (/** @type {Arg} */ opts = {}) => c("listArchives", opts),
    deleteArchive: (/** @type {Arg} */ id) => c("deleteArchive", id),
    startBroadcast: (/** @type {Arg} */ sid, /** @type {Arg} */ opts) => c("startBroadcast", sid, opts),
    stopBroadcast: (/** @type {Arg} */ id) => c("stopBroadcast", id),
    getBroadcast: (/** @type {Arg} */ id) => c("getBroadcast", id),
    listBroadcasts: (/** @type {Arg} */ opts = {}) => c("listBroadcasts", opts),
    signal: (/** @type {Arg} */ sid, /** @type {Arg} */ cid, /** @type {Arg} */ payload) => c("signal", sid, cid, payload),
    forceDisconnect: (/** @type {Arg} */ sid, /** @type {Arg} */ cid) => c("forceDisconnect", sid, cid),
    listStreams: (/** @type {Arg} */ sid) => c("listStreams", sid),
    setStreamClassLists: (/** @type {Arg} */ sid, /** @type {Arg} */ list) => c("setStreamClassLists", sid, list),
    /**
     * @param {string} id
     * @param {string} type
     * @param {string} [ss] the stylesheet (custom)
     * @param {string} [sst] the screenshare type
     */
    setArchiveLayout: (id, type, ss, sst) => c("setArchiveLayout", id, type, ss, sst),
    /**
     * @param {string} id
     * @param {string} type
     * @param {string} [ss] the stylesheet (custom)
     * @param {string} [sst] the screenshare type
     */
    setBroadcastLayout: (id, type, ss, sst) => c("setBroadcastLayout", id, type, ss, sst),
    addArchiveStream: (/** @type {Arg} */ id, /** @type {Arg} */ streamId, /** @type {Arg} */ opts = {}) =>
      c("addArchiveStream", id, streamId, opts),
    forceMuteStream: (/** @type {Arg} */ sid, /** @type {Arg} */ streamId) => c("forceMuteStream", sid, streamId),
    forceMuteAll: (/** @type {Arg} */ sid, /** @type {Arg} */ opts = {}) => c("forceMuteAll", sid, opts),
    /**
     * @param {string} sid
     * @param {Record<string, unknown>} [opts]
     * @param {boolean} [t1] a legacy T1 token rather than a JWT
     * @returns {string}
     */
    token: (sid, opts, t1) => ot.generateToken(sid, opts, t1),
  };
}

// Raw REST call with a chosen X-OPENTOK-AUTH (or none), to assert on status codes and bodies
// that the SDK hides behind its error classes.
/**
 * @param {{ url: string }} v
 * @param {string} method
 * @param {string} path
 * @param {{ auth?: string, body?: unknown, headers?: Record<string, string> }} [opts]
 * @returns {Promise<{ status: number, headers: Headers, text: string, json: any }>}
 */
async function raw(v, method, path, { auth, body, headers = {} } = {}) {
  /** @type {Record<string, string>} */
  const h = { ...headers };
  if (auth) h["X-OPENTOK-AUTH"] = auth;
  /** @type {string | undefined} */
  let payload;
  if (body !== undefined) {
    payload = typeof body === "string" ? body : JSON.stringify(body);
    if (!h["Content-Type"]) h["Content-Type"] = "application/json";
  }
  const res = await fetch(v.url + path, { method, headers: h, body: payload });
  const text = await res.text();
  /** @type {any} */
  let json;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, text, json };
}

// A tiny HTTP server standing in for the backend's callback endpoint.
/** @typedef {{ method: string, path: string, headers: Record<string, any>, body: string, json: any }} Received one request the receiver got */
/** @typedef {number | ((entry: Received) => number)} Answer a status, or what picks it per request */

/** @param {{ status?: Answer }} [opts] */
async function startReceiver({ status = 200 } = {}) {
  /** @type {Received[]} */
  const received = [];
  /** @type {(entry: Received) => number} */
  let respond = typeof status === "function" ? status : () => status;
  const server = http.createServer((req, res) => {
    /** @type {Buffer[]} */
    const chunks = [];
    req.on("data", (/** @type {Buffer} */ c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      /** @type {any} */
      let json;
      try {
        json = JSON.parse(body);
      } catch {
        json = null;
      }
      /** @type {Received} */
      const entry = { method: /** @type {string} */ (req.method), path: /** @type {string} */ (req.url), headers: req.headers, body, json };
      received.push(entry);
      res.writeHead(respond(entry), { "Content-Type": "text/plain" });
      res.end("ok");
    });
  });
  await new Promise((/** @type {(value?: unknown) => void} */ r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${/** @type {import("node:net").AddressInfo} */ (server.address()).port}/vonage/callback`,
    received,
    /** @param {Answer} s */
    setStatus(s) {
      respond = typeof s === "function" ? s : () => s;
    },
    close: () =>
      new Promise((/** @type {(value?: unknown) => void} */ r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** @typedef {ReturnType<typeof sdk>} Sdk the SDK wrapper `sdk()` makes */
/** @typedef {Awaited<ReturnType<typeof startReceiver>>} Receiver a callback receiver */
/** @typedef {(method: string, path: string, body?: unknown) => ReturnType<typeof raw>} RawCall a raw() bound to a stand-in */

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls fn until it answers something truthy, and resolves with that.
 * @template T
 * @param {() => T | Promise<T>} fn
 * @param {{ timeout?: number, interval?: number }} [opts]
 * @returns {Promise<NonNullable<T>>}
 */
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
/**
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @returns {Promise<T>}
 */
function deadline(promise, ms) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
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
