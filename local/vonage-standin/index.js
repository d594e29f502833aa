// @ts-check
"use strict";

// Vonage Video API stand-in: a local HTTP server that answers the REST calls the `opentok`
// SDK makes, simulates clients in sessions and sends Vonage-style callbacks, so show
// developers can work (and tests can run) without the real platform. See README.md.

const http = require("node:http");
const { Model } = require("./lib/model");
const { CallbackDispatcher } = require("./lib/callbacks");
const { FaultTable, faultBody } = require("./lib/faults");
const { buildRestRouter, notImplemented } = require("./lib/rest");
const { buildControlRouter } = require("./lib/control");
const { authenticateRest } = require("./lib/auth");
const { applicationEntry } = require("./lib/applications");
const { handleBrowserCors } = require("./lib/browser");
const { StandinError, readBody, parseBody, sendJson, sendError, isLoopback, snapshot, isPlainObject } = require("./lib/util");

/** @typedef {import("./lib/types").Options} Options */
/** @typedef {import("node:http").IncomingMessage} IncomingMessage */
/** @typedef {import("node:http").ServerResponse} ServerResponse */

/** @type {Options} */
const DEFAULTS = {
  callbackUrl: null,
  archiveCallbackUrl: null, // falls back to callbackUrl (the real platform configures these separately)
  broadcastCallbackUrl: null,
  callbackSigningSecret: null,
  callbackTimeoutMs: 5000,
  callbackRetries: 0, // the platform retries with backoff; 0 keeps tests deterministic
  callbackRetryDelayMs: 200,
  archiveReadyMs: 100, // delay between "stopped" and "available"/"uploaded"
  archiveFinalStatus: "available", // or 'uploaded' (as with an S3/Azure upload target: no url)
  broadcastLiveMs: 50, // delay before broadcast outputs go from "connecting" to "live"
  requireClientForArchive: false, // true: starting an archive with nobody connected is a 404
  requireClientForBroadcast: false, // true: starting a broadcast with nobody connected is a 400
  emptySessionStopMs: 60000, // archives/broadcasts stop this long after the last client leaves (-1: never)
  adoptUnknownSessions: false, // true: accept well-formed session ids of known projects not created here
  clockToleranceSec: 5, // leeway for JWT exp checks
  publicUrl: null, // base for archive/HLS URLs when reached through another address
  logRequests: false,
};

const MAX_LOGGED_REQUESTS = 500;

const TS_NULL_PACKET = (() => {
  // MPEG-TS null packet (PID 0x1FFF): syntactically valid, carries no media.
  const p = Buffer.alloc(188, 0xff);
  p[0] = 0x47;
  p[1] = 0x1f;
  p[2] = 0xff;
  p[3] = 0x10;
  return p;
})();
const TINY_MP4 = Buffer.from("00000018667479706973736f6d0000020069736f6d6d703431", "hex"); // an ftyp box
const EMPTY_ZIP = Buffer.from("504b0506000000000000000000000000000000000000", "hex"); // end-of-central-directory

/**
 * The options among a start input's fields.
 * @param {object | undefined} input
 * @returns {Partial<Options>}
 */
function pickOptions(input) {
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const [k, v] of Object.entries(input || {})) {
    if (!Object.prototype.hasOwnProperty.call(DEFAULTS, k)) continue;
    out[k] = v;
  }
  return out;
}

/**
 * Checks and normalizes options in place.
 * @param {Record<string, any>} o
 * @returns {Options}
 */
function validateOptions(o) {
  const nonNeg = ["callbackTimeoutMs", "callbackRetries", "callbackRetryDelayMs", "archiveReadyMs", "broadcastLiveMs", "clockToleranceSec"];
  for (const k of nonNeg) {
    if (!(Number.isFinite(Number(o[k])) && Number(o[k]) >= 0)) throw new StandinError(400, `${k} must be a number >= 0`);
    o[k] = Number(o[k]);
  }
  if (!Number.isFinite(Number(o.emptySessionStopMs))) throw new StandinError(400, "emptySessionStopMs must be a number");
  o.emptySessionStopMs = Number(o.emptySessionStopMs);
  if (!["available", "uploaded"].includes(o.archiveFinalStatus))
    throw new StandinError(400, 'archiveFinalStatus must be "available" or "uploaded"');
  for (const k of ["callbackUrl", "archiveCallbackUrl", "broadcastCallbackUrl", "publicUrl"]) {
    if (o[k] === undefined || o[k] === "") o[k] = null;
    if (o[k] !== null) {
      try {
        new URL(o[k]);
      } catch {
        throw new StandinError(400, `${k} must be an absolute URL`);
      }
      if (k === "publicUrl") o[k] = String(o[k]).replace(/\/+$/, "");
    }
  }
  if (o.callbackSigningSecret === "" || o.callbackSigningSecret === undefined) o.callbackSigningSecret = null;
  if (o.callbackSigningSecret !== null && typeof o.callbackSigningSecret !== "string")
    throw new StandinError(400, "callbackSigningSecret must be a string");
  return /** @type {Options} */ (o);
}

/** @typedef {Error & { code?: string, port?: number }} ListenError */

/**
 * @param {import("node:http").Server} server
 * @param {number} port
 * @param {string} host
 * @returns {Promise<void>}
 */
function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    const onError = (/** @type {ListenError} */ err) => {
      server.removeListener("listening", onListening);
      if (err && err.code === "EADDRINUSE") {
        /** @type {ListenError} */
        const e = new Error(`Port ${port} on ${host} is already in use: stop the other process or choose another port`);
        e.code = "EADDRINUSE";
        e.port = port;
        reject(e);
      } else if (err && err.code === "EACCES") {
        /** @type {ListenError} */
        const e = new Error(`Not allowed to listen on port ${port} on ${host}`);
        e.code = "EACCES";
        e.port = port;
        reject(e);
      } else reject(err);
    };
    const onListening = () => {
      server.removeListener("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(port, host);
  });
}

/** @param {import("./lib/types").StartInput} [input] */
async function startVonageStandin(input = {}) {
  const host = input.host || "127.0.0.1";
  const port = input.port === undefined ? 0 : Number(input.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid port ${input.port}`);

  const options = validateOptions({
    ...DEFAULTS,
    ...pickOptions(input),
    callbackUrl: input.callbackUrl || null,
    callbackSigningSecret: input.callbackSigningSecret || input.signingSecret || null,
  });

  const callbacks = new CallbackDispatcher(() => options);
  const model = new Model(options, callbacks);
  for (const [apiKey, secret] of Object.entries(input.projects || {})) model.addProject(apiKey, secret);
  for (const [appId, value] of Object.entries(input.applications || {})) {
    const { publicKey, video } = applicationEntry(value);
    model.addApplication(appId, publicKey, { video });
  }
  const faults = new FaultTable();
  const restRouter = buildRestRouter(model);
  /** @type {import("./lib/types").RequestLogEntry[]} */
  let requests = [];
  let closed = false;
  /** @type {Set<{ resolve: () => void, timer?: import("./lib/types").Timer }>} */
  const delays = new Set(); // pending injected delays, released on close

  /** @param {import("./lib/types").RequestLogEntry} entry */
  function logRequest(entry) {
    requests.push(entry);
    if (requests.length > MAX_LOGGED_REQUESTS) requests = requests.slice(-MAX_LOGGED_REQUESTS);
  }

  /** @param {import("./lib/types").RequestLogEntry} entry */
  function printRequest(entry) {
    if (options.logRequests && !entry.path.startsWith("/_control")) {
      process.stdout.write(
        `[vonage-standin] ${entry.method} ${entry.path} -> ${entry.status}${entry.fault ? ` (fault ${entry.fault})` : ""} ${entry.ms} ms\n`,
      );
    }
  }

  /**
   * @param {number} ms
   * @returns {Promise<void>}
   */
  function sleep(ms) {
    return new Promise((resolve) => {
      /** @type {{ resolve: () => void, timer?: import("./lib/types").Timer }} */
      const d = { resolve };
      d.timer = setTimeout(() => {
        delays.delete(d);
        resolve();
      }, ms);
      delays.add(d);
    });
  }

  /**
   * @param {IncomingMessage} req
   * @param {ServerResponse} res
   * @param {string} pathname
   */
  function handleMedia(req, res, pathname) {
    let m = /^\/_media\/hls\/([^/]+)\/index\.m3u8$/.exec(pathname);
    if (m) {
      const body = model.hlsPlaylist(m[1]);
      res.writeHead(200, {
        "Content-Type": "application/vnd.apple.mpegurl",
        "Content-Length": Buffer.byteLength(body),
        "Cache-Control": "no-cache",
      });
      res.end(req.method === "HEAD" ? undefined : body);
      return;
    }
    m = /^\/_media\/hls\/([^/]+)\/segment\d+\.ts$/.exec(pathname);
    if (m) {
      if (!model.hasBroadcast(m[1])) throw new StandinError(404, "Broadcast not found");
      const body = Buffer.concat([TS_NULL_PACKET, TS_NULL_PACKET, TS_NULL_PACKET]);
      res.writeHead(200, { "Content-Type": "video/mp2t", "Content-Length": body.length });
      res.end(req.method === "HEAD" ? undefined : body);
      return;
    }
    m = /^\/_media\/archives\/([^/]+)\/archive\.(mp4|zip)$/.exec(pathname);
    if (m) {
      model.archiveFile(m[1]);
      const body = m[2] === "zip" ? EMPTY_ZIP : TINY_MP4;
      res.writeHead(200, { "Content-Type": m[2] === "zip" ? "application/zip" : "video/mp4", "Content-Length": body.length });
      res.end(req.method === "HEAD" ? undefined : body);
      return;
    }
    throw new StandinError(404, "Not found");
  }

  /**
   * @param {IncomingMessage} req
   * @param {ServerResponse} res
   * @param {URL} url
   */
  async function handleRest(req, res, url) {
    const { pathname } = url;
    // Ignore everything about the SDK's junk "headers: [object Object]" header.
    // X-OPENTOK-AUTH (legacy project) or Authorization: Bearer (Vonage application).
    const owner = authenticateRest(req.headers, model, options.clockToleranceSec);
    const match = restRouter.match(req.method, pathname);
    const projectPath = /^\/v2\/project\/([^/]+)(\/|$)/.exec(pathname);
    if (projectPath) {
      let keyInPath = projectPath[1];
      try {
        keyInPath = decodeURIComponent(keyInPath);
      } catch {
        /* keep raw */
      }
      if (keyInPath !== owner.id) {
        throw new StandinError(
          403,
          owner.kind === "application"
            ? "The application id in the path does not match the authenticated application"
            : "The API key in the path does not match the authenticated project",
        );
      }
    }
    if (!match) {
      if (projectPath) throw notImplemented(pathname);
      throw new StandinError(404, `No such endpoint: ${req.method} ${pathname}`);
    }
    if (match.methodNotAllowed) {
      sendJson(res, 405, { code: 405, message: `Method ${req.method} not allowed` }, { Allow: match.allow.join(", ") });
      return;
    }
    const text = ["POST", "PUT", "PATCH", "DELETE"].includes(/** @type {string} */ (req.method)) ? await readBody(req) : "";
    const body = parseBody(text, req.headers["content-type"]);
    const query = Object.fromEntries(url.searchParams);
    const result = await match.handler({ owner, params: match.params, query, body });
    sendJson(res, result.status, result.body);
  }

  /** @type {import("./lib/router").Router<import("./lib/types").ControlContext>} */
  let controlRouter; // assigned below, once the handle it calls through exists

  /**
   * @param {IncomingMessage} req
   * @param {ServerResponse} res
   * @param {URL} url
   */
  async function handleControl(req, res, url) {
    if (!isLoopback(req.socket.remoteAddress)) throw new StandinError(403, "The control API only answers loopback clients");
    const match = controlRouter.match(req.method, url.pathname);
    if (!match) throw new StandinError(404, `No such control endpoint: ${req.method} ${url.pathname}`);
    if (match.methodNotAllowed) {
      sendJson(res, 405, { code: 405, message: `Method ${req.method} not allowed` }, { Allow: match.allow.join(", ") });
      return;
    }
    const text = ["POST", "PUT", "PATCH", "DELETE"].includes(/** @type {string} */ (req.method)) ? await readBody(req) : "";
    const body = text ? parseBody(text, "application/json") : undefined;
    const query = Object.fromEntries(url.searchParams);
    const result = await match.handler({ params: match.params, query, body });
    sendJson(res, result.status, result.body);
  }

  /**
   * @param {IncomingMessage} req
   * @param {ServerResponse} res
   */
  async function handle(req, res) {
    const started = Date.now();
    const url = new URL(/** @type {string} */ (req.url), "http://standin.local");
    /** @type {import("./lib/types").RequestLogEntry} */
    const entry = { at: started, method: req.method, path: url.pathname, query: url.search || undefined, status: null };
    res.on("finish", () => {
      entry.status = res.statusCode;
      entry.ms = Date.now() - started;
      printRequest(entry);
    });
    try {
      if (handleBrowserCors(req, res, url.pathname)) return;
      if (url.pathname.startsWith("/_control/") || url.pathname === "/_control") {
        await handleControl(req, res, url);
        return;
      }
      logRequest(entry);
      const fault = faults.take(req.method, url.pathname);
      if (fault) {
        entry.fault = fault.id;
        if (fault.delayMs > 0) await sleep(fault.delayMs);
        if (closed) return;
        if (fault.reset) {
          entry.status = "reset";
          req.socket.destroy();
          return;
        }
        if (fault.status !== null) {
          const fb = faultBody(fault);
          if (typeof fb === "string") {
            res.writeHead(fault.status, { "Content-Type": "text/plain", "Content-Length": Buffer.byteLength(fb), ...fault.headers });
            res.end(fb);
          } else sendJson(res, fault.status, fb, fault.headers || undefined);
          return;
        }
      }
      if (url.pathname.startsWith("/_media/")) handleMedia(req, res, url.pathname);
      else await handleRest(req, res, url);
    } catch (err) {
      if (!(err instanceof StandinError)) {
        const failure = /** @type {{ stack?: string } | null | undefined} */ (err);
        process.stderr.write(`[vonage-standin] internal error on ${req.method} ${url.pathname}: ${failure && failure.stack}\n`);
      }
      sendError(res, err);
    }
  }

  const server = http.createServer((req, res) => {
    void handle(req, res);
  });
  await listen(server, port, host);
  const actualPort = /** @type {import("node:net").AddressInfo} */ (server.address()).port;
  const urlHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  const baseUrl = `http://${urlHost}:${actualPort}`;
  model.baseUrl = options.publicUrl || baseUrl;

  const api = {
    url: baseUrl,
    port: actualPort,
    host,

    /**
     * @param {unknown} apiKey
     * @param {unknown} secret
     */
    addProject(apiKey, secret) {
      return model.addProject(apiKey, secret);
    },
    // A Vonage application: its id (a UUID) and public key PEM (or the private key, whose
    // public half is used); {video: false} models an application without the Video capability.
    /**
     * @param {unknown} applicationId
     * @param {unknown} publicKey
     * @param {import("./lib/types").ApplicationOptions} [opts]
     */
    addApplication(applicationId, publicKey, opts) {
      return model.addApplication(applicationId, publicKey, opts || {});
    },

    // Plain JSON snapshot of everything, for assertions. Secrets and keys are not included.
    /** @returns {import("./lib/types").StandinState} */
    state() {
      return {
        url: baseUrl,
        options: snapshot({ ...options, callbackSigningSecret: options.callbackSigningSecret ? "(set)" : null }),
        projects: [...model.projects.keys()],
        applications: model.applicationList(),
        ...model.state(),
        callbacks: snapshot(callbacks.list()),
        callbacksHeld: callbacks.held,
        faults: faults.list(),
        requests: snapshot(requests),
      };
    },

    // Clears runtime state (sessions, clients, archives, broadcasts, signals, callbacks,
    // faults, request log). Projects, applications, callback settings and options are kept.
    reset() {
      model.clear();
      callbacks.reset();
      faults.clear();
      requests = [];
    },

    // Fields present are changed; pass null to clear one (e.g. {signingSecret: null}).
    // With `owner` (an application id or project API key), that owner's own callback URL and
    // signature secret, as each Vonage application has (its callbacks use them, the rest the
    // global ones); {owner, url: null, signingSecret: null} removes them.
    /** @param {import("./lib/types").Body} [cfg] */
    setCallback(cfg = {}) {
      if (!isPlainObject(cfg)) throw new StandinError(400, "callback settings must be an object");
      if ("owner" in cfg) return callbacks.setOwner(cfg);
      const next = { ...options };
      if ("url" in cfg) next.callbackUrl = cfg.url;
      if ("archiveUrl" in cfg) next.archiveCallbackUrl = cfg.archiveUrl;
      if ("broadcastUrl" in cfg) next.broadcastCallbackUrl = cfg.broadcastUrl;
      if ("signingSecret" in cfg) next.callbackSigningSecret = cfg.signingSecret;
      Object.assign(options, validateOptions(next));
      return {
        url: options.callbackUrl,
        archiveUrl: options.archiveCallbackUrl,
        broadcastUrl: options.broadcastCallbackUrl,
        signed: Boolean(options.callbackSigningSecret),
      };
    },

    /**
     * @param {import("./lib/types").Body} [partial]
     * @returns {any} the options now (a snapshot)
     */
    setOptions(partial = {}) {
      const unknown = Object.keys(partial).filter((k) => !Object.prototype.hasOwnProperty.call(DEFAULTS, k));
      if (unknown.length) throw new StandinError(400, `Unknown option(s): ${unknown.join(", ")}`);
      Object.assign(options, validateOptions({ ...options, ...partial }));
      return api.state().options;
    },

    /** @param {import("./lib/types").FaultSpec} [spec] */
    injectFault(spec) {
      return faults.add(spec || {});
    },
    clearFaults() {
      faults.clear();
    },

    // Creates a session without the SDK (for curl users and quick scripts), for a project
    // ({apiKey}) or an application ({applicationId}).
    /** @param {{ apiKey?: string | number, applicationId?: string | number, mediaMode?: string, archiveMode?: string, location?: string, e2ee?: unknown }} [opts] */
    createSession({ apiKey, applicationId, mediaMode = "routed", archiveMode = "manual", location, e2ee } = {}) {
      /** @type {import("./lib/types").Owner | undefined} */
      let owner;
      if (applicationId !== undefined && applicationId !== null) {
        owner = model.applications.get(String(applicationId));
        if (!owner) throw new StandinError(404, `Unknown application ${applicationId}`);
      } else {
        owner = model.projects.get(String(apiKey));
        if (!owner) throw new StandinError(404, `Unknown project ${apiKey}`);
      }
      const [s] = model.createSession(owner, {
        archiveMode,
        "p2p.preference": mediaMode === "relayed" ? "enabled" : "disabled",
        location,
        e2ee,
      });
      return owner.kind === "application"
        ? { sessionId: s.session_id, applicationId: owner.id }
        : { sessionId: s.session_id, projectId: s.project_id };
    },

    // One session's connections and streams (404 when unknown), without the rest of the state.
    /** @param {string} sessionId */
    sessionState(sessionId) {
      return model.sessionState(sessionId);
    },

    // Simulated clients. connectClient(sessionId, {token}) verifies a client token like the
    // platform would; connectClient(sessionId, {data, role}) skips tokens.
    /**
     * @param {string} sessionId
     * @param {import("./lib/types").ConnectOptions} [opts]
     */
    connectClient(sessionId, opts) {
      return model.connectClient(sessionId, opts || {});
    },
    // A simulated client's view: still connected?, and the signals sent to it (from `after` on).
    /**
     * @param {string} connectionId
     * @param {{ after?: number }} [opts]
     */
    clientEvents(connectionId, opts) {
      return model.clientEvents(connectionId, opts || {});
    },
    /**
     * @param {string} connectionId
     * @param {import("./lib/types").ReasonOptions} [opts]
     */
    disconnectClient(connectionId, opts) {
      return model.disconnectClient(connectionId, opts || {});
    },
    // The client's own leave: a no-op for a connection the platform already ended.
    /**
     * @param {string} connectionId
     * @param {import("./lib/types").ReasonOptions} [opts]
     */
    leaveClient(connectionId, opts) {
      return model.leaveClient(connectionId, opts || {});
    },
    /**
     * @param {string} connectionId
     * @param {import("./lib/types").StreamOptions} [opts]
     */
    createStream(connectionId, opts) {
      return model.createStream(connectionId, opts || {});
    },
    /**
     * @param {string} streamId
     * @param {import("./lib/types").ReasonOptions} [opts]
     */
    destroyStream(streamId, opts) {
      return model.destroyStream(streamId, opts || {});
    },
    /**
     * @param {string} archiveId
     * @param {string} status
     * @param {string} [reason]
     */
    setArchiveStatus(archiveId, status, reason) {
      return model.forceArchiveStatus(archiveId, status, reason);
    },
    /**
     * @param {string} broadcastId
     * @param {string} status
     */
    setBroadcastStatus(broadcastId, status) {
      return model.forceBroadcastStatus(broadcastId, status);
    },
    /** @param {string} sessionId */
    notifyRotation(sessionId) {
      return model.notifyRotation(sessionId);
    },
    /**
     * @param {string} sessionId
     * @param {import("./lib/types").RotationOptions} [opts]
     */
    rotateSession(sessionId, opts) {
      return model.rotateSession(sessionId, opts || {});
    },

    // Callback controls.
    /** @returns {import("./lib/types").CallbackSnapshot[]} */
    callbacks() {
      return snapshot(callbacks.list());
    },
    holdCallbacks() {
      callbacks.hold();
    },
    /** @param {import("./lib/types").ReleaseOptions} [opts] */
    releaseCallbacks(opts) {
      return callbacks.release(opts || {});
    },
    /**
     * @param {number | string} seqOrId
     * @param {import("./lib/types").RedeliverOptions} [opts]
     * @returns {Promise<import("./lib/types").CallbackSnapshot>} the new record, as callbacks() lists it
     */
    redeliverCallback(seqOrId, opts) {
      return callbacks.redeliver(seqOrId, opts || {}).then((r) => snapshot(callbacks.list().find((x) => x.seq === r.seq)));
    },
    /**
     * @param {Array<number | string>} seqs
     * @param {import("./lib/types").RedeliverOptions} [opts]
     * @returns {Promise<import("./lib/types").CallbackSnapshot[]>}
     */
    deliverCallbacks(seqs, opts) {
      return callbacks.deliverList(seqs, opts || {}).then((rs) => rs.map((r) => snapshot(callbacks.list().find((x) => x.seq === r.seq))));
    },
    /**
     * @param {import("./lib/types").SendSpec} [spec]
     * @returns {Promise<import("./lib/types").CallbackSnapshot>}
     */
    sendCallback(spec) {
      return callbacks.send(spec || {}).then((r) => snapshot(callbacks.list().find((x) => x.seq === r.seq)));
    },
    callbacksIdle() {
      return callbacks.idle();
    },

    async close() {
      if (closed) return;
      closed = true;
      callbacks.close();
      model.clear();
      for (const d of delays) {
        clearTimeout(d.timer);
        d.resolve();
      }
      delays.clear();
      await new Promise((/** @type {(value?: unknown) => void} */ resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  controlRouter = buildControlRouter(api);
  return api;
}

module.exports = { startVonageStandin, StandinError, DEFAULTS };
