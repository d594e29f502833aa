// @ts-check
"use strict";

const { StandinError, isPlainObject } = require("./util");

// Fault injection: the next `count` REST (or media) requests matching method/path answer with
// `status` and/or are held for `delayMs`, or have their socket dropped (`reset`).
// count 0 means "until cleared".

/** @typedef {import("./types").Fault} Fault */
/** @typedef {import("./types").FaultSpec} FaultSpec */

const REGEX_HINT = /[\^$*+?()[\]{}|\\]/;

/**
 * @param {FaultSpec} spec
 * @returns {import("./types").PathMatcher | null}
 */
function compilePath(spec) {
  if (spec.pathRegex !== undefined) return new RegExp(spec.pathRegex);
  if (spec.path instanceof RegExp) return spec.path;
  if (typeof spec.path === "string" && spec.path) {
    // A string with regex metacharacters is taken as a regex ("^/v2/.*/archive$");
    // anything else is a plain substring ("/session/create").
    if (REGEX_HINT.test(spec.path)) {
      try {
        return new RegExp(spec.path);
      } catch {
        /* fall through to substring */
      }
    }
    const needle = spec.path;
    return { test: (/** @type {string} */ p) => p.includes(needle), toString: () => needle };
  }
  return null;
}

class FaultTable {
  constructor() {
    /** @type {Fault[]} */
    this.faults = [];
    this.nextId = 1;
  }

  /** @param {FaultSpec} spec */
  add(spec) {
    if (!isPlainObject(spec) && !(spec && typeof spec === "object")) throw new StandinError(400, "fault must be an object");
    const status = spec.status === undefined || spec.status === null ? null : Number(spec.status);
    if (status !== null && !(Number.isInteger(status) && status >= 100 && status <= 599)) {
      throw new StandinError(400, "fault status must be an HTTP status code");
    }
    const delayMs = spec.delayMs === undefined ? 0 : Number(spec.delayMs);
    if (!(delayMs >= 0)) throw new StandinError(400, "fault delayMs must be >= 0");
    const count = spec.count === undefined ? 1 : Number(spec.count);
    if (!(Number.isInteger(count) && count >= 0)) throw new StandinError(400, "fault count must be an integer >= 0 (0 = until cleared)");
    if (status === null && delayMs === 0 && !spec.reset) {
      throw new StandinError(400, "fault needs at least one of status, delayMs or reset");
    }
    let matcher;
    try {
      matcher = compilePath(spec);
    } catch (e) {
      throw new StandinError(400, `invalid pathRegex: ${/** @type {Error} */ (e).message}`);
    }
    /** @type {Fault} */
    const fault = {
      id: this.nextId++,
      method: spec.method ? String(spec.method).toUpperCase() : null,
      path: spec.pathRegex !== undefined ? String(spec.pathRegex) : spec.path ? String(spec.path) : null,
      matcher,
      status,
      body: spec.body,
      headers: isPlainObject(spec.headers) ? spec.headers : null,
      delayMs,
      reset: Boolean(spec.reset),
      remaining: count === 0 ? Infinity : count,
      hits: 0,
    };
    this.faults.push(fault);
    return this.describe(fault);
  }

  // Returns the first matching fault and consumes one use of it.
  /**
   * @param {string | undefined} method
   * @param {string} pathname
   */
  take(method, pathname) {
    const f = this.faults.find((x) => (!x.method || x.method === method) && (!x.matcher || x.matcher.test(pathname)));
    if (!f) return null;
    f.hits += 1;
    f.remaining -= 1;
    if (f.remaining <= 0) this.faults = this.faults.filter((x) => x !== f);
    return f;
  }

  clear() {
    this.faults = [];
  }

  /**
   * @param {Fault} f
   * @returns {import("./types").FaultSnapshot}
   */
  describe(f) {
    return {
      id: f.id,
      method: f.method,
      path: f.path,
      status: f.status,
      delayMs: f.delayMs,
      reset: f.reset,
      remaining: f.remaining === Infinity ? "until cleared" : f.remaining,
      hits: f.hits,
    };
  }

  list() {
    return this.faults.map((f) => this.describe(f));
  }
}

// Default error bodies look like the real API's ({code, message}).
/**
 * @param {Fault} fault
 * @returns {unknown}
 */
function faultBody(fault) {
  if (fault.body !== undefined) return fault.body;
  /** @type {Record<number, string>} */
  const messages = {
    400: "Bad request (injected fault)",
    429: "Too many requests (injected fault)",
    500: "Internal server error (injected fault)",
    502: "Bad gateway (injected fault)",
    503: "Service unavailable (injected fault)",
  };
  return { code: fault.status, message: messages[Number(fault.status)] || `Injected fault ${fault.status}` };
}

module.exports = { FaultTable, faultBody };
