// @ts-check
"use strict";
/**
 * A Realtime Database server for local use and tests, without Java.
 *
 * firebase-server 1.1.0 hosts the WebSocket endpoint (we subclass it and hand it our HTTP server), but
 * its message handler is replaced by ours (see Connection): the original one shares one auth between
 * all connections, ignores queries, gets and onDisconnect, rejects the admin credential, cannot resolve
 * increments, and hashes numeric keys in a different order than the SDK (transactions on such nodes
 * would never converge). The data lives in one immutable targaryen tree, so the rules are evaluated
 * on the real data without copying it.
 */

const http = require("node:http");
const path = require("node:path");
const fs = require("node:fs");
const targaryen = require("targaryen");
const FirebaseServer = require("firebase-server");
const { Connection, STAT_KEYS, emptyCounters } = require("./connection");
const { LOCKED_RULES, readRulesFile, compileRules, hasIndex } = require("./rules");
const { resolveServerValues } = require("./server-values");
const { NULL_NODE, normalizePath, joinPath, childAt, hashNode, toExport, toValue } = require("./tree");
/** @typedef {import("targaryen").DataNode} DataNode */

const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
const DEFAULT_RULES_FILE = path.join(REPO_ROOT, "database.rules.json");
const OK = Object.freeze({ s: "ok", d: "" });
const PERMISSION_DENIED = Object.freeze({ s: "permission_denied", d: "Permission denied" });

/**
 * firebase-server with our connection handler. Its constructor wires `this.handleConnection` to the
 * WebSocket server, so overriding the method is enough.
 */
class WireServer extends FirebaseServer {
  /**
   * @param {http.Server} httpServer
   * @param {(ws: import("ws"), request?: http.IncomingMessage) => void} onConnection
   */
  constructor(httpServer, onConnection) {
    super({ server: httpServer }, "localhost", null);
    this.onConnection = onConnection;
  }

  /** @param {import("ws")} ws @param {http.IncomingMessage} [request] */
  handleConnection(ws, request) {
    this.onConnection(ws, request);
  }
}

/**
 * @typedef {object} DatabaseServerOptions
 * @property {number} [port]      0 (default) picks a free port
 * @property {string} [host]      default 127.0.0.1
 * @property {object} [rules]     rules object ({rules: {...}} or the inner object)
 * @property {string} [rulesFile] default <repo>/database.rules.json; comments allowed
 * @property {any} [data]         initial data
 * @property {string} [persistFile] keep the data in this JSON file: loaded at start when it exists
 *                                (unless `data` is given), saved shortly after each change and on close
 * @property {boolean} [quiet]    no notice when the default rules file is missing
 */

/** How long after a change the data is saved, at most (writes in a burst are saved once). */
const SAVE_DELAY_MS = 200;

class DatabaseServer {
  /** @param {DatabaseServerOptions} [options] */
  constructor(options = {}) {
    this.requestedPort = options.port === undefined ? 0 : Number(options.port);
    this.host = options.host || "127.0.0.1";
    /** @type {number} */
    this.port = 0;
    this.root = NULL_NODE;
    /** @type {Set<Connection>} */
    this.connections = new Set();
    this.closing = false;
    this.rulesSource = "";
    this.closedCounters = { admin: emptyCounters(), client: emptyCounters() };
    this.closedOpened = { admin: 0, client: 0 };
    // Both are set by setRules() below, on every path.
    /** @type {{rules: object}} */
    this.rulesDefinition = LOCKED_RULES;
    /** @type {import("targaryen").Ruleset} */
    this.ruleset = compileRules(LOCKED_RULES).ruleset;

    if (options.rules) {
      this.setRules(options.rules);
      this.rulesSource = "options.rules";
    } else {
      const file = options.rulesFile || DEFAULT_RULES_FILE;
      if (!options.rulesFile && !fs.existsSync(file)) {
        // Locked mode, as a new Firebase database starts: only the admin gets through.
        this.setRules(LOCKED_RULES);
        this.rulesSource = "locked (no database.rules.json)";
        if (!options.quiet) process.emitWarning(`${file} not found: using locked rules`, "DatabaseServer");
      } else {
        this.setRules(readRulesFile(file));
        this.rulesSource = file;
      }
    }
    /** @type {string|null} */
    this.persistFile = options.persistFile ? path.resolve(options.persistFile) : null;
    this.saveTimer = null;
    /** What the last load or save did, for status displays. */
    this.persistence = this.persistFile ? { file: this.persistFile, loaded: false, savedAt: 0, saves: 0 } : null;
    if (options.data !== undefined) this.root = targaryen.store(options.data);
    else if (this.persistFile && fs.existsSync(this.persistFile)) {
      let data;
      try {
        data = JSON.parse(fs.readFileSync(this.persistFile, "utf8"));
      } catch (error) {
        throw new Error(`Realtime Database server: cannot read ${this.persistFile}: ${/** @type {Error} */ (error).message}`, {
          cause: error,
        });
      }
      this.root = targaryen.store(data);
      if (this.persistence) this.persistence.loaded = true;
    }

    /**
     * Contention a test asked for (`contend`): transaction attempts at or below `path` that answer
     * "datastale", as when another writer wins each race.
     * @type {{ path: string, attempts: number }[]}
     */
    this.contention = [];
    this.httpServer = http.createServer((req, res) => this.handleHttp(req, res));
    /** @type {WireServer|null} */
    this.wire = null;
  }

  /** @returns {Promise<this>} */
  start() {
    return new Promise((resolve, reject) => {
      const onError = (/** @type {NodeJS.ErrnoException} */ error) => {
        const where = `${this.host}:${this.requestedPort}`;
        if (error.code === "EADDRINUSE") {
          reject(new Error(`Realtime Database server: port ${this.requestedPort} is already in use (${where})`));
        } else if (error.code === "EACCES") {
          reject(new Error(`Realtime Database server: no permission to listen on port ${this.requestedPort} (${where})`));
        } else {
          reject(new Error(`Realtime Database server: cannot listen on ${where}: ${error.message}`));
        }
      };
      this.httpServer.once("error", onError);
      this.httpServer.listen(this.requestedPort, this.host, () => {
        this.httpServer.off("error", onError);
        const address = /** @type {import('node:net').AddressInfo} */ (this.httpServer.address());
        this.port = address.port;
        this.wire = new WireServer(this.httpServer, (ws, request) => this.accept(ws, request));
        resolve(this);
      });
    });
  }

  get url() {
    return `http://${this.host}:${this.port}`;
  }

  /** Value for FIREBASE_DATABASE_EMULATOR_HOST. */
  get emulatorHost() {
    return `${this.host}:${this.port}`;
  }

  /** @param {import("ws")} ws @param {http.IncomingMessage} [request] */
  accept(ws, request) {
    if (this.closing) {
      ws.terminate();
      return;
    }
    this.connections.add(new Connection(this, ws, request));
  }

  /** @param {Connection} connection */
  connectionClosed(connection) {
    if (!this.connections.delete(connection)) return;
    this.foldCounters(connection);
    if (!this.closing) connection.runOnDisconnect();
  }

  // ---- rules ----

  /** @param {object} rules `{rules: {...}}` or the inner object */
  setRules(rules) {
    const compiled = compileRules(rules);
    this.rulesDefinition = compiled.definition;
    this.ruleset = compiled.ruleset;
    this.rulesSource = "setRules()";
    if (this.connections) for (const connection of this.connections) connection.recheckListens();
  }

  /**
   * A targaryen database on the current data, with this request's own auth (never a shared one).
   * @param {import('./auth').Identity} identity
   */
  database(identity) {
    const db = targaryen.database(this.ruleset, this.root);
    return identity.auth ? db.as(identity.auth) : db;
  }

  /**
   * @param {import('./auth').Identity} identity
   * @param {string} path canonical
   * @param {object} [rulesQuery]
   */
  canRead(identity, path, rulesQuery) {
    if (identity.bypassRules) return true;
    try {
      return this.database(identity).read(path, { now: Date.now(), query: rulesQuery }).allowed;
    } catch {
      return false;
    }
  }

  /**
   * Is the index of this query declared with .indexOn (key and priority need none)?
   * @param {string} path
   * @param {import("./query").ParsedQuery} query
   */
  indexDeclared(path, query) {
    if (!query.filters || query.index === "key" || query.index === "priority") return true;
    return hasIndex(this.rulesDefinition, path, query.index === "value" ? ".value" : query.indexPath || "");
  }

  // ---- writes ----

  /**
   * Set (wire `p`). With `hash` this is a transaction attempt: it fails with "datastale" unless the
   * client's cached value is still current. With `dryRun` only the rules are checked.
   * @param {import('./auth').Identity} identity
   * @param {unknown} rawPath
   * @param {any} value
   * @param {{hash?: string, dryRun?: boolean}} [options]
   * @returns {{s: string, d: any}}
   */
  set(identity, rawPath, value, options = {}) {
    let target = normalizePath(rawPath);
    const now = Date.now();
    if (target === ".priority" || target.endsWith("/.priority")) {
      // setPriority(): rewrite the node with its new priority.
      target = target.slice(0, -".priority".length).replace(/\/$/, "");
      value = withPriority(childAt(this.root, target), value);
    }
    const current = childAt(this.root, target);
    if (options.hash !== undefined && options.hash !== null && (hashNode(current) !== options.hash || this.contended(target))) {
      return { s: "datastale", d: "Transaction hash does not match" };
    }
    let newRoot;
    try {
      const resolved = resolveServerValues(value, current, now);
      if (identity.bypassRules) {
        newRoot = this.root.$set(target, resolved, undefined, now);
      } else {
        const result = this.database(identity).write(target, resolved, undefined, now);
        if (!result.allowed) return PERMISSION_DENIED;
        newRoot = result.newDatabase.root;
      }
    } catch (error) {
      return { s: "invalid_data", d: /** @type {Error} */ (error).message };
    }
    if (!options.dryRun) this.commit(newRoot, [target]);
    return OK;
  }

  /**
   * Multi-path update (wire `m`): all paths are checked against the data with every change applied,
   * and either all are written or none.
   * @param {import('./auth').Identity} identity
   * @param {unknown} rawPath
   * @param {Record<string, any>} patch
   * @param {{dryRun?: boolean}} [options]
   */
  update(identity, rawPath, patch, options = {}) {
    const base = normalizePath(rawPath);
    if (!patch || typeof patch !== "object" || Array.isArray(patch)) {
      return { s: "invalid_data", d: "update() needs an object" };
    }
    const now = Date.now();
    /** @type {Record<string, any>} */
    const resolved = {};
    const changed = [];
    let newRoot;
    try {
      for (const key of Object.keys(patch)) {
        const relative = normalizePath(key);
        const full = joinPath(base, relative);
        resolved[relative] = resolveServerValues(patch[key], childAt(this.root, full), now);
        changed.push(full);
      }
      if (changed.length === 0) return OK;
      if (identity.bypassRules) {
        newRoot = this.root.$merge(base, resolved, now);
      } else {
        const result = this.database(identity).update(base, resolved, now);
        if (!result.allowed) return PERMISSION_DENIED;
        newRoot = result.newDatabase.root;
      }
    } catch (error) {
      return { s: "invalid_data", d: /** @type {Error} */ (error).message };
    }
    if (!options.dryRun) this.commit(newRoot, changed);
    return OK;
  }

  /**
   * Make `newRoot` current and push the change to every listener, synchronously: data pushes go out
   * before the writer's acknowledgement, and a transaction that loses a race has already been sent
   * the value it must retry on.
   * @param {DataNode} newRoot
   * @param {string[]} changed canonical paths
   */
  commit(newRoot, changed) {
    const oldRoot = this.root;
    if (newRoot === oldRoot) return;
    this.root = newRoot;
    const shared = new Map();
    for (const connection of this.connections) connection.dataChanged(oldRoot, newRoot, changed, shared);
    if (this.persistFile && !this.saveTimer && !this.closing) {
      this.saveTimer = setTimeout(() => this.save(), SAVE_DELAY_MS);
      this.saveTimer.unref();
    }
  }

  // ---- persistence ----

  /**
   * Writes the whole database (priorities kept) to `persistFile`, atomically: a crash mid-write
   * leaves the previous file. Called shortly after changes and on close.
   */
  save() {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    if (!this.persistFile) return;
    fs.mkdirSync(path.dirname(this.persistFile), { recursive: true });
    const temporary = `${this.persistFile}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(toExport(this.root)));
    fs.renameSync(temporary, this.persistFile);
    if (this.persistence) {
      this.persistence.savedAt = Date.now();
      this.persistence.saves += 1;
    }
  }

  // ---- direct access (admin view) ----

  /**
   * @param {string} [at]
   * @returns {any} plain JSON, typed as loosely as the SDK's `snapshot.val()`
   */
  getData(at = "/") {
    return toValue(childAt(this.root, normalizePath(at)));
  }

  /**
   * Write as the admin (no rules); listeners are notified.
   * @param {string} at
   * @param {unknown} value
   */
  setData(at, value) {
    const result = this.set({ owner: true, bypassRules: true, auth: null, expires: null }, at, value);
    if (result.s !== "ok") throw new Error(`setData(${at}) failed: ${result.d}`);
  }

  /**
   * The next `attempts` transaction attempts at `path` or below lose, as if another writer changed the
   * node first each time: the server answers "datastale" and the client retries (the Firebase SDKs
   * give up with "maxretry" after 25 attempts). Cleared by reset().
   * @param {string} at @param {number} attempts
   */
  contend(at, attempts) {
    this.contention.push({ path: normalizePath(at), attempts });
  }

  /** Transactions win again. */
  endContention() {
    this.contention = [];
  }

  /** Whether a transaction attempt at `target` loses to asked-for contention (and counts it). @param {string} target */
  contended(target) {
    const entry = this.contention.find((c) => c.attempts > 0 && (target === c.path || target.startsWith(`${c.path}/`) || c.path === ""));
    if (!entry) return false;
    entry.attempts--;
    return true;
  }

  /** Replace the whole database; listeners are notified. @param {unknown} [data] */
  reset(data = null) {
    this.endContention();
    this.commit(targaryen.store(data === undefined ? null : data), [""]);
  }

  // ---- stats ----

  /** Requests received per wire action, per connection kind, since the last resetStats(). */
  stats() {
    const byKind = {
      admin: { ...this.closedCounters.admin },
      client: { ...this.closedCounters.client },
    };
    const open = { admin: 0, client: 0 };
    const opened = { ...this.closedOpened };
    for (const connection of this.connections) {
      const kind = connection.kind;
      open[kind] += 1;
      if (connection.openedSinceReset) opened[kind] += 1;
      addCounters(byKind[kind], connection.counters);
    }
    const all = emptyCounters();
    addCounters(all, byKind.admin);
    addCounters(all, byKind.client);
    for (const counters of [byKind.admin, byKind.client, all]) {
      counters.total = STAT_KEYS.filter((k) => k !== "other").reduce((sum, k) => sum + counters[k], 0);
    }
    return { admin: byKind.admin, client: byKind.client, all, connections: { open, opened } };
  }

  resetStats() {
    this.closedCounters = { admin: emptyCounters(), client: emptyCounters() };
    this.closedOpened = { admin: 0, client: 0 };
    for (const connection of this.connections) {
      connection.counters = emptyCounters();
      connection.openedSinceReset = false;
    }
  }

  /** @param {Connection} connection */
  foldCounters(connection) {
    addCounters(this.closedCounters[connection.kind], connection.counters);
    if (connection.openedSinceReset) this.closedOpened[connection.kind] += 1;
  }

  // ---- HTTP: GET /path.json (admin view, for debug dumps) ----

  /** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
  handleHttp(req, res) {
    const url = new URL(req.url || "/", "http://localhost");
    if ((req.method === "GET" || req.method === "HEAD") && url.pathname.endsWith(".json")) {
      let target;
      try {
        target = normalizePath(decodeURIComponent(url.pathname.slice(0, -".json".length)));
      } catch {
        res.writeHead(400, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: "bad path" }));
        return;
      }
      const node = childAt(this.root, target);
      const value = url.searchParams.get("format") === "export" ? toExport(node) : toValue(node);
      const body = url.searchParams.get("print") === "pretty" ? JSON.stringify(value, null, 2) : JSON.stringify(value);
      res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
      res.end(req.method === "HEAD" ? undefined : body);
      return;
    }
    res.writeHead(req.method === "GET" ? 404 : 405, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: "only GET /path.json is served here; use the SDKs to write" }));
  }

  // ---- shutdown ----

  /** Close every connection (onDisconnect ops do not run) and stop listening. */
  async close() {
    if (this.closing) return;
    this.closing = true;
    if (this.persistFile) this.save();
    for (const connection of this.connections) connection.close();
    if (this.wire) {
      await this.wire.close();
      // firebase-server keeps an internal (offline) firebase app of its own; free it.
      // @ts-expect-error `app` is private in firebase-server's declarations; nothing else frees it.
      await this.wire.app.delete().catch(() => {});
    }
    await new Promise((resolve) => {
      if (!this.httpServer.listening) return resolve(undefined);
      this.httpServer.close(() => resolve(undefined));
      this.httpServer.closeAllConnections();
    });
  }
}

/** @param {Record<string, number>} target @param {Record<string, number>} source */
function addCounters(target, source) {
  for (const key of Object.keys(source)) target[key] = (target[key] || 0) + source[key];
}

/**
 * The node's current content with a new priority (export format).
 * @param {DataNode} node
 * @param {unknown} priority
 */
function withPriority(node, priority) {
  const exported = toExport(node);
  if (exported === null) return null;
  if (exported && typeof exported === "object" && !(".value" in exported)) return { ...exported, ".priority": priority };
  const value = exported && typeof exported === "object" ? exported[".value"] : exported;
  return { ".value": value, ".priority": priority };
}

/**
 * Start a server; resolves once it listens.
 * @param {DatabaseServerOptions} [options]
 */
async function startDatabaseServer(options = {}) {
  const server = new DatabaseServer(options);
  return server.start();
}

module.exports = { DatabaseServer, startDatabaseServer, DEFAULT_RULES_FILE };
