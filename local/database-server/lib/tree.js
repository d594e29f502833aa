// @ts-check
"use strict";
/**
 * Paths and data-tree helpers.
 *
 * The database is one immutable targaryen `DataNode` tree: targaryen evaluates the rules on that very
 * tree (no copy per request), and its `$set` shares untouched branches, so an unchanged branch keeps
 * its object identity and listeners can skip it cheaply.
 */

const crypto = require("node:crypto");
const targaryen = require("targaryen");

/** @typedef {import("targaryen").DataNode} DataNode a targaryen DataNode (immutable) */

/** @type {DataNode} */
const NULL_NODE = targaryen.store(null);
const MIN_NAME = "[MIN_NAME]";
const MAX_NAME = "[MAX_NAME]";

/**
 * Wire and API paths ("/a/b/", "a//b", "/") to the canonical form "a/b" ("" is the root).
 * @param {unknown} path
 * @returns {string}
 */
function normalizePath(path) {
  if (path == null) return "";
  // The SDKs send strings; anything else becomes a path no rule matches, as it always did.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  return String(path).split("/").filter(Boolean).join("/");
}

/** @param {string} a @param {string} b */
function joinPath(a, b) {
  const tail = normalizePath(b);
  if (!a) return tail;
  return tail ? `${a}/${tail}` : a;
}

/**
 * True when `ancestor` is `path` itself or one of its ancestors (canonical paths).
 * @param {string} ancestor
 * @param {string} path
 */
function isPrefix(ancestor, path) {
  return ancestor === "" || path === ancestor || path.startsWith(`${ancestor}/`);
}

/**
 * Path of `path` relative to its ancestor `base` (both canonical).
 * @param {string} base
 * @param {string} path
 */
function relativePath(base, path) {
  return base === "" ? path : path.slice(base.length + 1);
}

/**
 * Child node at a relative path. Uses own properties only, so a key such as "constructor" cannot
 * resolve to something inherited from Object.prototype.
 * @param {DataNode} node
 * @param {string} path canonical
 * @returns {DataNode}
 */
function childAt(node, path) {
  if (!path) return node;
  let current = node;
  for (const key of path.split("/")) {
    if (!Object.hasOwn(current, key)) return NULL_NODE;
    current = /** @type {DataNode} */ (current[key]);
  }
  return current;
}

/** @param {DataNode} node */
function isLeaf(node) {
  return node.$isPrimitive();
}

/** @param {DataNode} node @returns {string[]} */
function childKeys(node) {
  return node.$isPrimitive() ? [] : Object.keys(node);
}

/**
 * Plain JSON value (no priorities), as `snapshot.val()` shows it.
 * @param {DataNode} node
 */
function toValue(node) {
  return node.$value();
}

// Nodes never change, so what we derive from one can be kept as long as the node lives: many
// listeners of one location then share one export, and repeated transaction checks one hash.
const exportCache = new WeakMap();
const hashCache = new WeakMap();

/**
 * Wire / export format: priorities are kept (".priority", and ".value" for prioritised leaves) so the
 * SDK caches exactly what we hold; transaction hashes cover priorities too. Callers must not mutate
 * the result (it is shared).
 * @param {DataNode} node
 */
function toExport(node) {
  const priority = node.$priority();
  if (node.$isPrimitive()) {
    const value = node.$value();
    if (value === null || priority == null) return value;
    return { ".value": value, ".priority": priority };
  }
  const cached = exportCache.get(node);
  if (cached) return cached;
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const key of Object.keys(node)) out[key] = toExport(/** @type {DataNode} */ (node[key]));
  if (priority != null) out[".priority"] = priority;
  exportCache.set(node, out);
  return out;
}

// ---- ordering (the SDK's rules: the client and the server must sort children identically) ----

const INTEGER_KEY = /^-?(0*)\d{1,10}$/;

/** Keys that are 32-bit integers sort numerically before all other keys. */
/** @param {string} key */
function keyAsInt(key) {
  if (!INTEGER_KEY.test(key)) return null;
  const n = Number(key);
  return n >= -2147483648 && n <= 2147483647 ? n : null;
}

/** Firebase key order. @param {string} a @param {string} b */
function compareKeys(a, b) {
  if (a === b) return 0;
  if (a === MIN_NAME || b === MAX_NAME) return -1;
  if (b === MIN_NAME || a === MAX_NAME) return 1;
  const ia = keyAsInt(a);
  const ib = keyAsInt(b);
  if (ia !== null && ib !== null) return ia - ib !== 0 ? ia - ib : a.length - b.length;
  if (ia !== null) return -1;
  if (ib !== null) return 1;
  return a < b ? -1 : 1;
}

const TYPE_RANK = { boolean: 1, number: 2, string: 3 };

/**
 * Rank of a value in Firebase order: null < false < true < numbers < strings < objects.
 * `value` is a DataNode or a JSON primitive from a query.
 * @param {any} value
 * @returns {{rank: number, value: any}}
 */
function sortable(value) {
  if (value && typeof value === "object" && typeof value.$isPrimitive === "function") {
    if (value.$isNull()) return { rank: 0, value: null };
    if (!value.$isPrimitive()) return { rank: 4, value: null };
    value = value.$value();
  }
  if (value === null || value === undefined) return { rank: 0, value: null };
  const rank = TYPE_RANK[/** @type {keyof TYPE_RANK} */ (typeof value)];
  return rank ? { rank, value } : { rank: 4, value: null };
}

/**
 * Compare two values (DataNodes or primitives) in Firebase order.
 * @param {unknown} a
 * @param {unknown} b
 */
function compareValues(a, b) {
  const x = sortable(a);
  const y = sortable(b);
  if (x.rank !== y.rank) return x.rank - y.rank;
  if (x.rank === 0 || x.rank === 4) return 0;
  if (x.value < y.value) return -1;
  return x.value === y.value ? 0 : 1;
}

/**
 * Children ordered by priority, then key: the order the SDK hashes them in.
 * @param {DataNode} node
 */
function keysByPriority(node) {
  /** @param {string} key */
  const priority = (key) => /** @type {DataNode} */ (node[key]).$priority() ?? null;
  return childKeys(node).sort((a, b) => compareValues(priority(a), priority(b)) || compareKeys(a, b));
}

// ---- hashing (transactions send the hash of the client's cached value; ours must be identical) ----

/**
 * 64-bit IEEE 754 hex of a number as the SDK writes it. The SDK derives the exponent with
 * floor(log(v) / LN2) instead of reading the bits, so we do the same to get the same text in every case.
 * @param {number} v
 */
function doubleHex(v) {
  const bias = 1023;
  let sign;
  let exponent = 0;
  let fraction = 0;
  if (v === 0) {
    sign = 1 / v === -Infinity ? 1 : 0;
  } else {
    sign = v < 0 ? 1 : 0;
    const abs = Math.abs(v);
    if (abs >= Math.pow(2, 1 - bias)) {
      const ln = Math.min(Math.floor(Math.log(abs) / Math.LN2), bias);
      exponent = ln + bias;
      fraction = Math.round(abs * Math.pow(2, 52 - ln) - Math.pow(2, 52));
    } else {
      fraction = Math.round(abs / Math.pow(2, 1 - bias - 52));
    }
  }
  // Lay the fields out as the SDK's bit string does: 1 sign bit, 11 exponent bits, 52 fraction bits
  // (each field truncated to its width, the way its bit-by-bit loop truncates).
  let bits = "";
  let f = fraction;
  for (let i = 0; i < 52; i += 1) {
    bits = (f % 2 ? "1" : "0") + bits;
    f = Math.floor(f / 2);
  }
  let e = exponent;
  for (let i = 0; i < 11; i += 1) {
    bits = (e % 2 ? "1" : "0") + bits;
    e = Math.floor(e / 2);
  }
  bits = (sign ? "1" : "0") + bits;
  let hex = "";
  for (let i = 0; i < 64; i += 8)
    hex += parseInt(bits.slice(i, i + 8), 2)
      .toString(16)
      .padStart(2, "0");
  return hex;
}

/** @param {string|number} priority */
function priorityText(priority) {
  return typeof priority === "number" ? `number:${doubleHex(priority)}` : `string:${priority}`;
}

/** @param {string} text */
function sha1Base64(text) {
  return crypto.createHash("sha1").update(text, "utf8").digest("base64");
}

/**
 * The SDK's node hash ("" for null).
 * @param {DataNode} node
 * @returns {string}
 */
function hashNode(node) {
  if (node.$isNull()) return "";
  const cached = hashCache.get(node);
  if (cached !== undefined) return cached;
  const hash = computeHash(node);
  hashCache.set(node, hash);
  return hash;
}

/** @param {DataNode} node */
function computeHash(node) {
  let text = "";
  const priority = node.$priority();
  if (priority != null) text += `priority:${priorityText(priority)}:`;
  if (node.$isPrimitive()) {
    const value = /** @type {string | number | boolean} */ (node.$value());
    text += `${typeof value}:${typeof value === "number" ? doubleHex(value) : value}`;
    return sha1Base64(text);
  }
  for (const key of keysByPriority(node)) {
    const childHash = hashNode(/** @type {DataNode} */ (node[key]));
    if (childHash !== "") text += `:${key}:${childHash}`;
  }
  return text === "" ? "" : sha1Base64(text);
}

module.exports = {
  NULL_NODE,
  MIN_NAME,
  MAX_NAME,
  normalizePath,
  joinPath,
  isPrefix,
  relativePath,
  childAt,
  isLeaf,
  childKeys,
  toValue,
  toExport,
  compareKeys,
  compareValues,
  keysByPriority,
  doubleHex,
  hashNode,
};
