// @ts-check
"use strict";
/**
 * Server values ({".sv": "timestamp"} and {".sv": {"increment": n}}) are resolved here, before the
 * rules run: targaryen only knows the timestamp and throws on increment, and Firebase evaluates the
 * rules on the resolved value (newData.val() is the resulting number).
 */

const { childAt, isLeaf } = require("./tree");

/**
 * @param {unknown} value
 * @returns {value is Record<string, any>}
 */
function isPlainObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Resolve every server value inside `value` (to be written where `existing` is now).
 * @param {any} value wire data
 * @param {any} existing DataNode currently at that location
 * @param {number} now
 * @returns {any} the same object when nothing needed resolving
 */
function resolveServerValues(value, existing, now) {
  if (Array.isArray(value)) {
    // Arrays are stored as objects keyed "0", "1", ...; resolve their items the same way.
    const asObject = Object.fromEntries(value.map((item, i) => [String(i), item]));
    const resolved = resolveServerValues(asObject, existing, now);
    return resolved === asObject ? value : resolved;
  }
  if (!isPlainObject(value)) return value;
  if (Object.prototype.hasOwnProperty.call(value, ".sv")) return resolveOne(value[".sv"], existing, now);
  let out = value;
  for (const key of Object.keys(value)) {
    if (key === ".priority") continue;
    const childExisting = key === ".value" ? existing : childAt(existing, key);
    const resolved = resolveServerValues(value[key], childExisting, now);
    if (resolved !== value[key]) {
      if (out === value) out = { ...value };
      out[key] = resolved;
    }
  }
  return out;
}

/**
 * @param {unknown} sv the `.sv` payload
 * @param {import("targaryen").DataNode} existing
 * @param {number} now
 */
function resolveOne(sv, existing, now) {
  if (sv === "timestamp") return now;
  if (isPlainObject(sv) && typeof sv.increment === "number") {
    // As on Firebase: a missing or non-numeric current value counts as 0.
    const current = isLeaf(existing) ? existing.$value() : null;
    return typeof current === "number" ? current + sv.increment : sv.increment;
  }
  throw new Error(`Unsupported server value ${JSON.stringify(sv)}`);
}

module.exports = { resolveServerValues };
