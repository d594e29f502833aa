// @ts-check
"use strict";
/**
 * One SDK connection: the Realtime Database wire protocol (version 5) over a WebSocket.
 *
 * Envelopes: {t: 'c', d: control} and {t: 'd', d: {r, a, b}} for requests, {t: 'd', d: {r, b: {s, d}}}
 * for responses and {t: 'd', d: {a, b}} for pushes. A long message travels as a frame count followed by
 * that many text frames. Each connection carries its own auth: rules are evaluated with it on every
 * request (gap 2), never with state shared between connections.
 */

const crypto = require("node:crypto");
const { identify } = require("./auth");
const { parseQuery, applyQuery, viewToExport, sameView } = require("./query");
const { childAt, isPrefix, normalizePath, relativePath, toExport, joinPath } = require("./tree");

const MAX_FRAME = 16384; // the Java client's default limit; the JS SDKs accept any size
const PERMISSION_DENIED = { s: "permission_denied", d: "Permission denied" };

/** Wire action -> stats key. */
const ACTION_KEYS = {
  q: "q",
  l: "q",
  n: "n",
  p: "p",
  m: "m",
  g: "g",
  o: "o",
  om: "om",
  oc: "oc",
  auth: "auth",
  gauth: "auth",
  unauth: "auth",
};
const STAT_KEYS = ["q", "n", "p", "m", "g", "o", "om", "oc", "auth", "other"];

function emptyCounters() {
  /** @type {Record<string, number>} */
  const counters = {};
  for (const key of STAT_KEYS) counters[key] = 0;
  counters.pushed = 0;
  // Bytes of data in writes (p) and merges (m), as JSON: what a client sent the database to store.
  counters.writtenBytes = 0;
  return counters;
}

/**
 * @typedef {object} Listen
 * @property {string} path
 * @property {number|undefined} tag      set for filtered queries: their pushes carry it
 * @property {object|undefined} wireQuery
 * @property {import('./query').ParsedQuery|null} query  null for a plain (unfiltered) listen
 * @property {object|undefined} rulesQuery
 * @property {Array<[string, any]>|null} lastView
 */

/**
 * @typedef {Record<string, any>} WireBody the `b` of a request as the SDK sent it (parsed JSON)
 * @typedef {number|undefined} RequestId the `r` of a request (absent on fire-and-forget requests)
 */

class Connection {
  /**
   * @param {import('./database-server').DatabaseServer} server
   * @param {import('ws')} ws
   * @param {import('node:http').IncomingMessage} [request]
   */
  constructor(server, ws, request) {
    this.server = server;
    this.ws = ws;
    this.sessionId = crypto.randomBytes(8).toString("hex");
    /** @type {import('./auth').Identity} */
    this.identity = { owner: false, bypassRules: false, auth: null, expires: null };
    /** @type {Map<string, Listen>} */
    this.listens = new Map();
    /** @type {Array<{kind: 'set', path: string, value: any} | {kind: 'merge', path: string, patch: Record<string, any>}>} */
    this.onDisconnectOps = [];
    this.counters = emptyCounters();
    this.openedSinceReset = true;
    this.closed = false;
    /** @type {{remaining: number, parts: string[]}|null} */
    this.pendingFrames = null;

    ws.on("message", (data) => this.receiveFrame(String(data)));
    ws.on("error", () => {}); // a broken socket is followed by 'close', handled there
    ws.on("close", () => {
      this.closed = true;
      this.server.connectionClosed(this);
    });

    const host = (request && request.headers.host) || `${server.host}:${server.port}`;
    this.sendRaw({ t: "c", d: { t: "h", d: { ts: Date.now(), v: "5", h: host, s: this.sessionId } } });
  }

  /** 'admin' for firebase-admin's owner credential, 'client' otherwise (stats). */
  get kind() {
    return this.identity.owner ? "admin" : "client";
  }

  // ---- framing ----

  /** @param {string} text one WebSocket text frame */
  receiveFrame(text) {
    if (this.pendingFrames) {
      this.pendingFrames.parts.push(text);
      this.pendingFrames.remaining -= 1;
      if (this.pendingFrames.remaining > 0) return;
      text = this.pendingFrames.parts.join("");
      this.pendingFrames = null;
    } else if (text.length <= 6 && /^\d+$/.test(text)) {
      // A frame count; "0" is the SDK's keep-alive.
      const count = Number(text);
      if (count > 0) this.pendingFrames = { remaining: count, parts: [] };
      return;
    }
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return; // not ours to answer: the SDK never sends broken JSON
    }
    this.handleMessage(message);
  }

  /** @param {object} message */
  sendRaw(message) {
    this.sendText(JSON.stringify(message));
  }

  /** @param {string} text one serialized message */
  sendText(text) {
    if (this.closed || this.ws.readyState !== 1) return;
    if (text.length <= MAX_FRAME) {
      this.ws.send(text);
      return;
    }
    const count = Math.ceil(text.length / MAX_FRAME);
    this.ws.send(String(count));
    for (let i = 0; i < text.length; i += MAX_FRAME) this.ws.send(text.slice(i, i + MAX_FRAME));
  }

  /** @param {RequestId} requestId @param {{s: string, d: unknown}} body */
  respond(requestId, body) {
    if (requestId === undefined) return;
    this.sendRaw({ t: "d", d: { r: requestId, b: body } });
  }

  /** @param {string} action @param {object} body */
  push(action, body) {
    this.counters.pushed += 1;
    this.sendRaw({ t: "d", d: { a: action, b: body } });
  }

  /**
   * A data push whose payload is already serialized: when many connections listen to the same data,
   * it is serialized once per change instead of once per connection.
   * @param {string} path @param {string} dataJson @param {number} [tag]
   */
  pushData(path, dataJson, tag) {
    this.counters.pushed += 1;
    const tagPart = tag === undefined ? "" : `,"t":${JSON.stringify(tag)}`;
    this.sendText(`{"t":"d","d":{"a":"d","b":{"p":${JSON.stringify(path)},"d":${dataJson}${tagPart}}}}`);
  }

  // ---- requests ----

  /** @param {any} message a parsed envelope (anything a client sent) */
  handleMessage(message) {
    if (!message || typeof message !== "object") return;
    if (message.t === "c") {
      // Ping from a connection being upgraded: answer pong.
      if (message.d && message.d.t === "p") this.sendRaw({ t: "c", d: { t: "o", d: {} } });
      return;
    }
    if (message.t !== "d" || !message.d) return;
    const { r, a, b } = message.d;
    const body = b || {};
    this.counters[ACTION_KEYS[/** @type {keyof ACTION_KEYS} */ (a)] || "other"] += 1;
    if (a === "p" || a === "m") this.counters.writtenBytes += Buffer.byteLength(JSON.stringify(body.d === undefined ? null : body.d));
    try {
      switch (a) {
        case "q":
        case "l":
          return this.listen(r, body);
        case "n":
          return this.unlisten(r, body);
        case "p":
          return this.respond(r, this.server.set(this.identity, body.p, body.d, { hash: body.h }));
        case "m":
          return this.respond(r, this.server.update(this.identity, body.p, body.d));
        case "g":
          return this.get(r, body);
        case "o":
        case "om":
        case "oc":
          return this.onDisconnect(r, a, body);
        case "auth":
        case "gauth":
          return this.authenticate(r, body);
        case "unauth":
          this.identity = { owner: false, bypassRules: false, auth: null, expires: null };
          return this.respond(r, { s: "ok", d: "" });
        default:
          // Stats ('s'), App Check tokens and anything newer: acknowledge so the SDK never waits.
          return this.respond(r, { s: "ok", d: "" });
      }
    } catch (error) {
      return this.respond(r, { s: "error", d: /** @type {Error} */ (error).message });
    }
  }

  /** @param {RequestId} requestId @param {WireBody} body */
  authenticate(requestId, body) {
    try {
      this.identity = identify(body);
    } catch {
      return this.respond(requestId, { s: "invalid_token", d: "Could not parse auth token." });
    }
    const { identity } = this;
    return this.respond(requestId, {
      s: "ok",
      d: identity.bypassRules ? { auth: null, admin: true, expires: null } : { auth: identity.auth, expires: identity.expires },
    });
  }

  /** @param {string} path @param {number|null|undefined} tag */
  static listenKey(path, tag) {
    return tag === undefined || tag === null ? `${path}|default` : `${path}|${tag}`;
  }

  /** @param {RequestId} requestId @param {WireBody} body */
  listen(requestId, body) {
    const path = normalizePath(body.p);
    const tagged = body.t !== undefined && body.t !== null;
    // Only tagged listens are filtered (the SDK sends q and t together); the rules see any query sent.
    const parsed = body.q ? parseQuery(body.q) : null;
    const rulesQuery = parsed ? parsed.rulesQuery : undefined;
    if (!this.server.canRead(this.identity, path, rulesQuery)) return this.respond(requestId, PERMISSION_DENIED);
    /** @type {Listen} */
    const listen = {
      path,
      tag: tagged ? body.t : undefined,
      wireQuery: body.q,
      query: tagged && parsed && parsed.filters ? parsed : null,
      rulesQuery,
      lastView: null,
    };
    this.listens.set(Connection.listenKey(path, listen.tag), listen);
    this.sendInitial(listen);
    /** @type {Record<string, unknown>} */
    const answer = {};
    if (parsed && !this.server.indexDeclared(path, parsed)) answer.w = ["no_index"];
    return this.respond(requestId, { s: "ok", d: answer });
  }

  /** @param {Listen} listen */
  sendInitial(listen) {
    const node = childAt(this.server.root, listen.path);
    if (listen.query) {
      listen.lastView = applyQuery(listen.query, node);
      this.push("d", { p: listen.path, d: viewToExport(listen.lastView), t: listen.tag });
    } else {
      this.push("d", { p: listen.path, d: toExport(node) });
    }
  }

  /** @param {RequestId} requestId @param {WireBody} body */
  unlisten(requestId, body) {
    const path = normalizePath(body.p);
    const tagged = body.t !== undefined && body.t !== null;
    this.listens.delete(Connection.listenKey(path, tagged ? body.t : undefined));
    return this.respond(requestId, { s: "ok", d: "" });
  }

  /** @param {RequestId} requestId @param {WireBody} body */
  get(requestId, body) {
    const path = normalizePath(body.p);
    const hasQuery = body.q && Object.keys(body.q).length > 0;
    const parsed = hasQuery ? parseQuery(body.q) : null;
    if (!this.server.canRead(this.identity, path, parsed ? parsed.rulesQuery : undefined)) {
      return this.respond(requestId, PERMISSION_DENIED);
    }
    const node = childAt(this.server.root, path);
    const data = parsed && parsed.filters ? viewToExport(applyQuery(parsed, node)) : toExport(node);
    return this.respond(requestId, { s: "ok", d: data });
  }

  /**
   * onDisconnect ops live on the server with this connection. As Firebase documents it, the rules are
   * checked when an op is registered (a denied op is answered permission_denied) and again, with this
   * connection's auth at that moment, when it runs.
   * @param {RequestId} requestId
   * @param {"o"|"om"|"oc"} action
   * @param {WireBody} body
   */
  onDisconnect(requestId, action, body) {
    const path = normalizePath(body.p);
    if (action === "oc") {
      this.forgetOnDisconnect(path);
      return this.respond(requestId, { s: "ok", d: "" });
    }
    const check =
      action === "o"
        ? this.server.set(this.identity, path, body.d, { dryRun: true })
        : this.server.update(this.identity, path, body.d, { dryRun: true });
    if (check.s !== "ok") return this.respond(requestId, check);
    if (action === "o") {
      this.forgetOnDisconnect(path);
      this.onDisconnectOps.push({ kind: "set", path, value: body.d });
    } else {
      const patch = body.d && typeof body.d === "object" ? body.d : {};
      for (const key of Object.keys(patch)) this.forgetOnDisconnect(joinPath(path, key));
      this.onDisconnectOps.push({ kind: "merge", path, patch });
    }
    return this.respond(requestId, { s: "ok", d: "" });
  }

  /** Drop queued ops at `path` and below (a later op or a cancel replaces them, as on Firebase). */
  /** @param {string} path canonical */
  forgetOnDisconnect(path) {
    this.onDisconnectOps = this.onDisconnectOps.filter((op) => {
      if (op.kind === "set") return !isPrefix(path, op.path);
      for (const key of Object.keys(op.patch)) {
        if (isPrefix(path, joinPath(op.path, key))) delete op.patch[key];
      }
      return Object.keys(op.patch).length > 0;
    });
  }

  /** Run the queued onDisconnect ops (called once the socket is closed). */
  runOnDisconnect() {
    const ops = this.onDisconnectOps;
    this.onDisconnectOps = [];
    for (const op of ops) {
      if (op.kind === "set") this.server.set(this.identity, op.path, op.value, {});
      else this.server.update(this.identity, op.path, op.patch, {});
    }
  }

  // ---- pushes ----

  /**
   * Push what changed to each listen that covers a changed path.
   * @param {any} oldRoot
   * @param {any} newRoot
   * @param {string[]} changed canonical paths written by one operation
   * @param {Map<string, any>} shared per-change memo shared by all connections (views, serialized data)
   */
  dataChanged(oldRoot, newRoot, changed, shared) {
    const serialized = (/** @type {string} */ path) => {
      const key = `node|${path}`;
      if (!shared.has(key)) shared.set(key, JSON.stringify(toExport(childAt(newRoot, path))));
      return shared.get(key);
    };
    for (const [key, listen] of this.listens) {
      const relevant = changed.filter((c) => isPrefix(c, listen.path) || isPrefix(listen.path, c));
      if (relevant.length === 0) continue;
      const node = childAt(newRoot, listen.path);
      if (node === childAt(oldRoot, listen.path)) continue;
      // Rules may depend on data: a listen that may no longer read is revoked, as Firebase does.
      if (!this.server.canRead(this.identity, listen.path, listen.rulesQuery)) {
        this.revoke(key, listen);
        continue;
      }
      if (listen.query) {
        const memoKey = `query|${listen.path}|${JSON.stringify(listen.wireQuery)}`;
        let memo = shared.get(memoKey);
        if (!memo) {
          memo = { view: applyQuery(listen.query, node), json: null };
          shared.set(memoKey, memo);
        }
        if (sameView(memo.view, listen.lastView)) continue;
        listen.lastView = memo.view;
        if (memo.json === null) memo.json = JSON.stringify(viewToExport(memo.view));
        this.pushData(listen.path, memo.json, listen.tag);
      } else if (relevant.some((c) => isPrefix(c, listen.path))) {
        this.pushData(listen.path, serialized(listen.path));
      } else if (relevant.length === 1) {
        this.pushData(relevant[0], serialized(relevant[0]));
      } else {
        /** @type {Record<string, unknown>} */
        const merge = {};
        for (const c of relevant) merge[relativePath(listen.path, c)] = toExport(childAt(newRoot, c));
        this.push("m", { p: listen.path, d: merge });
      }
    }
  }

  /** Re-check every listen (after new rules). */
  recheckListens() {
    for (const [key, listen] of this.listens) {
      if (!this.server.canRead(this.identity, listen.path, listen.rulesQuery)) this.revoke(key, listen);
    }
  }

  /** @param {string} key @param {Listen} listen */
  revoke(key, listen) {
    this.listens.delete(key);
    // The SDK finds the listen by path and by its query object, wrapped in an array.
    const body = listen.tag === undefined ? { p: listen.path } : { p: listen.path, q: [listen.wireQuery] };
    this.push("c", body);
  }

  close() {
    this.ws.terminate();
  }
}

module.exports = { Connection, STAT_KEYS, emptyCounters };
