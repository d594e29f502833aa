// @ts-check
"use strict";

const crypto = require("node:crypto");
const http = require("node:http");
const https = require("node:https");
const jwt = require("jsonwebtoken");
const { StandinError } = require("./util");

// Callback deliveries (session monitoring, archive and broadcast status). Every callback is
// recorded with each delivery attempt so tests can assert on what the backend answered.
// Deliveries go out one at a time, in emission order, so tests are deterministic; holding,
// reordering, dropping and duplicating are explicit controls rather than accidents.

/** @typedef {import("./types").CallbackRecord} CallbackRecord */
/** @typedef {import("./types").DeliveryOptions} DeliveryOptions */

// No keep-alive: a callback receiver closed by a test must not keep a pooled socket alive.
/** @type {Record<string, import("node:http").Agent>} */
const agents = { "http:": new http.Agent({ keepAlive: false }), "https:": new https.Agent({ keepAlive: false }) };

// projectId names a legacy project (claim api_key), applicationId a Vonage application
// (claim application_id).
/**
 * @param {string} body
 * @param {string} signingSecret
 * @param {string | null} [projectId]
 * @param {string | null} [applicationId]
 */
function signCallback(body, signingSecret, projectId, applicationId) {
  const iat = Math.floor(Date.now() / 1000);
  /** @type {Record<string, string | number>} */
  const claims = {
    iss: "Vonage",
    iat,
    exp: iat + 300,
    jti: crypto.randomUUID(),
    payload_hash: crypto.createHash("sha256").update(body, "utf8").digest("hex"),
  };
  if (projectId) claims.api_key = String(projectId);
  if (applicationId) claims.application_id = String(applicationId);
  return jwt.sign(claims, signingSecret, { algorithm: "HS256" });
}

/**
 * @param {string} url
 * @param {string} body
 * @param {Record<string, string>} headers
 * @param {number} timeoutMs
 * @param {Set<import("node:http").ClientRequest>} activeRequests where the request stays until it settles
 * @returns {Promise<import("./types").PostResult>}
 */
function post(url, body, headers, timeoutMs, activeRequests) {
  return new Promise((resolve) => {
    let target;
    try {
      target = new URL(url);
    } catch {
      resolve({ status: null, error: `invalid callback URL ${url}` });
      return;
    }
    const lib = target.protocol === "https:" ? https : http;
    const started = Date.now();
    const req = lib.request(target, {
      method: "POST",
      agent: agents[target.protocol],
      headers: {
        "Content-Type": "application/json",
        "Content-Length": Buffer.byteLength(body),
        "User-Agent": "Vonage-Video-Standin/1.0",
        ...headers,
      },
      timeout: timeoutMs,
    });
    activeRequests.add(req);
    const done = (/** @type {import("./types").PostResult} */ result) => {
      activeRequests.delete(req);
      resolve({ ...result, ms: Date.now() - started });
    };
    req.on("response", (res) => {
      const status = /** @type {number} */ (res.statusCode); // always set on a client's response
      /** @type {Buffer[]} */
      const chunks = [];
      res.on("data", (/** @type {Buffer} */ c) => {
        if (chunks.length < 64) chunks.push(c);
      });
      res.on("end", () => done({ status, response: Buffer.concat(chunks).toString("utf8").slice(0, 2000) }));
      res.on("error", (e) => done({ status, error: e.message }));
    });
    req.on("timeout", () => req.destroy(new Error(`callback timed out after ${timeoutMs} ms`)));
    req.on("error", (e) => done({ status: null, error: e.message }));
    req.end(body);
  });
}

class CallbackDispatcher {
  /** @param {() => import("./types").Options} getOptions */
  constructor(getOptions) {
    this.getOptions = getOptions; // live options: url, archiveUrl, broadcastUrl, signingSecret, timeouts
    /** @type {CallbackRecord[]} */
    this.records = [];
    this.seq = 0;
    this.held = false;
    /** @type {CallbackRecord[]} */
    this.heldQueue = [];
    /** @type {Promise<unknown>} */
    this.chain = Promise.resolve();
    /** @type {Set<import("node:http").ClientRequest>} */
    this.activeRequests = new Set();
    this.closed = false;
    /** @type {Set<import("./types").Timer>} */
    this.retryTimers = new Set();
    this.generation = 0; // bumped by reset(): queued deliveries from before a reset are dropped
    /** @type {Map<string, import("./types").OwnerCallback>} */
    this.owners = new Map(); // application id / project key -> {url, signingSecret} of that owner
  }

  // One owner's callback URL and signature secret (kept across reset(), like the global settings).
  /** @param {import("./types").OwnerCallbackInput} input */
  setOwner({ owner, url, signingSecret }) {
    if (typeof owner !== "string" || !owner) throw new StandinError(400, "owner must be an application id or project API key");
    for (const [name, value] of [
      ["url", url],
      ["signingSecret", signingSecret],
    ]) {
      if (value !== undefined && value !== null && (typeof value !== "string" || !value)) {
        throw new StandinError(400, `${name} must be a non-empty string or null`);
      }
    }
    if (url) {
      try {
        new URL(url);
      } catch {
        throw new StandinError(400, `url is not a URL: ${url}`);
      }
    }
    const next = { ...(this.owners.get(owner) || {}) };
    if (url !== undefined) next.url = url || null;
    if (signingSecret !== undefined) next.signingSecret = signingSecret || null;
    if (next.url || next.signingSecret) this.owners.set(owner, next);
    else this.owners.delete(owner);
    return { owner, url: next.url || null, signed: Boolean(next.signingSecret) };
  }

  /**
   * @param {CallbackRecord} record
   * @returns {import("./types").OwnerCallback}
   */
  ownerOf(record) {
    return this.owners.get(record.applicationId || record.projectId || "") || {};
  }

  /** @param {import("./types").CallbackKind} kind */
  urlFor(kind) {
    const o = this.getOptions();
    if (kind === "archive") return o.archiveCallbackUrl || o.callbackUrl || null;
    if (kind === "broadcast") return o.broadcastCallbackUrl || o.callbackUrl || null;
    return o.callbackUrl || null;
  }

  /**
   * @param {import("./types").CallbackKind} kind
   * @param {unknown} payload an object, or a body as sent (a string)
   * @param {Partial<CallbackRecord>} [extra]
   * @returns {CallbackRecord}
   */
  newRecord(kind, payload, extra) {
    const body = typeof payload === "string" ? payload : JSON.stringify(payload);
    /** @type {any} */
    let parsed = payload;
    if (typeof payload === "string") {
      try {
        parsed = JSON.parse(payload);
      } catch {
        parsed = null;
      }
    }
    /** @type {CallbackRecord} */
    const record = {
      seq: ++this.seq,
      id: crypto.randomUUID(),
      kind,
      event: parsed && typeof parsed === "object" ? parsed.event || null : null,
      status: parsed && typeof parsed === "object" && kind !== "session" ? parsed.status || null : null,
      sessionId: parsed && typeof parsed === "object" ? parsed.sessionId || null : null,
      projectId: parsed && typeof parsed === "object" ? String(parsed.projectId || parsed.partnerId || "") || null : null,
      applicationId: parsed && typeof parsed === "object" ? String(parsed.applicationId || "") || null : null,
      createdAt: Date.now(),
      payload: parsed,
      body,
      state: "queued",
      deliveries: [],
      ...extra,
    };
    this.records.push(record);
    return record;
  }

  // Called by the model for every event. Returns the record (delivery happens asynchronously,
  // as with the real platform: the REST response does not wait for the callback).
  /**
   * @param {import("./types").CallbackKind} kind
   * @param {Record<string, unknown>} payload
   */
  emit(kind, payload) {
    const record = this.newRecord(kind, payload);
    if (this.held) {
      record.state = "held";
      this.heldQueue.push(record);
    } else {
      // eslint-disable-next-line @typescript-eslint/no-floating-promises -- the queue settles every delivery itself
      this.enqueue(record);
    }
    return record;
  }

  /**
   * @param {CallbackRecord} record
   * @param {DeliveryOptions} [opts]
   * @returns {Promise<CallbackRecord>}
   */
  enqueue(record, opts = {}) {
    record.state = "queued";
    const gen = this.generation;
    const run = this.chain
      .then(() => (gen === this.generation ? this.deliver(record, opts) : Object.assign(record, { state: "cancelled" })))
      // Never let a delivery problem become an unhandled rejection in the host process.
      .catch((e) => Object.assign(record, { state: "error", note: String(e && e.message) }));
    this.chain = run;
    return run;
  }

  /**
   * @param {CallbackRecord} record
   * @param {DeliveryOptions} opts
   * @returns {Promise<CallbackRecord>}
   */
  async deliver(record, opts) {
    if (this.closed) {
      record.state = "cancelled";
      return record;
    }
    const o = this.getOptions();
    const own = this.ownerOf(record);
    const url = opts.url || own.url || this.urlFor(record.kind);
    if (!url) {
      record.state = "skipped";
      record.note = "no callback URL configured";
      return record;
    }
    const retries = Math.max(0, Number(o.callbackRetries) || 0);
    for (let attempt = 0; attempt <= retries; attempt += 1) {
      if (this.closed) break;
      /** @type {Record<string, string>} */
      const headers = {};
      let authorization = null;
      if (opts.reuseAuthorization) {
        authorization = opts.reuseAuthorization;
      } else if (opts.unsigned !== true) {
        const secret = opts.signingSecret || own.signingSecret || o.callbackSigningSecret;
        if (secret) authorization = `Bearer ${signCallback(record.body, secret, record.projectId, record.applicationId)}`;
      }
      if (authorization) headers.Authorization = authorization;
      record.authorization = authorization;
      record.url = url;
      const result = await post(url, record.body, headers, o.callbackTimeoutMs, this.activeRequests);
      record.deliveries.push({ at: Date.now(), attempt: attempt + 1, url, ...result });
      const ok = result.status !== null && result.status >= 200 && result.status < 300;
      record.lastStatus = result.status;
      if (ok) {
        record.state = "delivered";
        return record;
      }
      record.state = "failed";
      if (attempt < retries && !this.closed) {
        await new Promise((/** @type {(value?: unknown) => void} */ r) => {
          const t = setTimeout(() => {
            this.retryTimers.delete(t);
            r();
          }, o.callbackRetryDelayMs);
          this.retryTimers.add(t);
        });
      }
    }
    return record;
  }

  /** @param {number | string} seqOrId */
  find(seqOrId) {
    const r = this.records.find((x) => x.seq === Number(seqOrId) || x.id === seqOrId);
    if (!r) throw new StandinError(404, `No callback with seq/id ${seqOrId}`);
    return r;
  }

  hold() {
    this.held = true;
  }

  // Delivers held callbacks, then resumes normal delivery. order: 'fifo' | 'lifo' | [seq...]
  // (listed ones first, in that order; the rest afterwards in fifo). drop: [seq...] are never
  // sent, to simulate lost callbacks.
  /**
   * @param {import("./types").ReleaseOptions} [opts]
   * @returns {Promise<number[]>} the seqs, in the order they were handled
   */
  release({ order = "fifo", drop = [] } = {}) {
    const queue = this.heldQueue;
    this.heldQueue = [];
    this.held = false;
    const dropSet = new Set(drop.map(Number));
    /** @type {CallbackRecord[]} */
    let ordered;
    if (order === "lifo") ordered = queue.slice().reverse();
    else if (Array.isArray(order)) {
      const wanted = order.map(Number);
      const first = wanted.map((s) => queue.find((r) => r.seq === s)).filter((r) => r !== undefined);
      ordered = first.concat(queue.filter((r) => !wanted.includes(r.seq)));
    } else ordered = queue;
    /** @type {Promise<CallbackRecord>[]} */
    const runs = [];
    for (const r of ordered) {
      if (dropSet.has(r.seq)) {
        r.state = "dropped";
        continue;
      }
      runs.push(this.enqueue(r));
    }
    return Promise.all(runs).then(() => ordered.map((r) => r.seq));
  }

  // Sends a previously recorded callback again as a new record (a duplicate, as a retrying
  // platform would). sameToken reuses the exact Authorization header (a replay).
  /**
   * @param {number | string} seqOrId
   * @param {import("./types").RedeliverOptions} [opts]
   * @returns {Promise<CallbackRecord>}
   */
  redeliver(seqOrId, { sameToken = false } = {}) {
    const original = this.find(seqOrId);
    const copy = this.newRecord(original.kind, original.body, { duplicateOf: original.seq });
    /** @type {DeliveryOptions} */
    const opts = {};
    if (sameToken) {
      if (!original.authorization) throw new StandinError(409, `Callback ${original.seq} was never sent signed`);
      opts.reuseAuthorization = original.authorization;
    }
    if (this.held) {
      copy.state = "held";
      this.heldQueue.push(copy);
      return Promise.resolve(copy);
    }
    return this.enqueue(copy, opts);
  }

  /**
   * @param {Array<number | string>} seqs
   * @param {import("./types").RedeliverOptions} opts
   */
  async deliverList(seqs, opts) {
    /** @type {CallbackRecord[]} */
    const out = [];
    for (const s of seqs) out.push(await this.redeliver(s, opts));
    return out;
  }

  // Sends an arbitrary payload (e.g. a forged or malformed callback). signingSecret overrides
  // the configured one (sign with a wrong secret); unsigned: true sends no Authorization.
  /** @param {import("./types").SendSpec} [spec] */
  send({ kind = "session", payload, signingSecret, unsigned, url } = {}) {
    if (payload === undefined) throw new StandinError(400, "payload is required");
    const record = this.newRecord(kind, payload, { custom: true });
    return this.enqueue(record, { signingSecret, unsigned, url });
  }

  async idle() {
    // Loop because a delivery may enqueue more work (or a test may emit while we wait).
    let last;
    do {
      last = this.chain;
      await last;
    } while (last !== this.chain);
  }

  reset() {
    this.generation += 1;
    this.records = [];
    this.heldQueue = [];
    this.held = false;
  }

  close() {
    this.closed = true;
    for (const t of this.retryTimers) clearTimeout(t);
    this.retryTimers.clear();
    for (const req of this.activeRequests) req.destroy(new Error("stand-in closed"));
    for (const r of this.heldQueue) r.state = "cancelled";
    this.heldQueue = [];
  }

  list() {
    return this.records.map((r) => ({
      seq: r.seq,
      id: r.id,
      kind: r.kind,
      event: r.event,
      status: r.status,
      sessionId: r.sessionId,
      projectId: r.projectId,
      applicationId: r.applicationId,
      createdAt: r.createdAt,
      state: r.state,
      url: r.url || null,
      signed: Boolean(r.authorization),
      duplicateOf: r.duplicateOf || null,
      custom: Boolean(r.custom),
      note: r.note || null,
      lastStatus: r.lastStatus === undefined ? null : r.lastStatus,
      deliveries: r.deliveries,
      payload: r.payload,
      body: r.body,
    }));
  }
}

module.exports = { CallbackDispatcher, signCallback };
