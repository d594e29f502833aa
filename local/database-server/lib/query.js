// @ts-check
"use strict";
/**
 * Queries as the SDK sends them on the wire (`q` of a listen or a get):
 *   i   index: ".key", ".value", ".priority" or a child path ("status", "a/b"); absent = priority
 *   sp, sn, sin   start value, start key name, start inclusive (false for startAfter)
 *   ep, en, ein   end value, end key name, end inclusive (false for endBefore)
 *   l, vf         limit and the side it counts from ("l" = limitToFirst, "r" = limitToLast)
 * The filter below follows the SDK's own range and limit semantics, so the data we send for a tagged
 * query is exactly the view the client expects.
 */

const { MIN_NAME, MAX_NAME, childAt, childKeys, compareKeys, compareValues, normalizePath, toExport } = require("./tree");

/**
 * @typedef {object} ParsedQuery
 * @property {'key'|'value'|'priority'|'child'} index
 * @property {string} [indexPath]  child path for the 'child' index
 * @property {boolean} hasStart
 * @property {any} startValue
 * @property {string} startName
 * @property {boolean} startInclusive
 * @property {boolean} hasEnd
 * @property {any} endValue
 * @property {string} endName
 * @property {boolean} endInclusive
 * @property {number|null} limit
 * @property {'l'|'r'} viewFrom
 * @property {boolean} filters   true when the query drops children (range or limit)
 * @property {object} rulesQuery the `query` object the rules see (targaryen's names)
 */

/**
 * @param {Record<string, any>|undefined|null} wire
 * @returns {ParsedQuery}
 */
function parseQuery(wire) {
  const q = wire || {};
  const rawIndex = q.i === undefined ? ".priority" : String(q.i);
  /** @type {ParsedQuery['index']} */
  let index = "child";
  if (rawIndex === ".key") index = "key";
  else if (rawIndex === ".value") index = "value";
  else if (rawIndex === ".priority") index = "priority";

  const hasStart = Object.prototype.hasOwnProperty.call(q, "sp");
  const hasEnd = Object.prototype.hasOwnProperty.call(q, "ep");
  const limit = typeof q.l === "number" ? q.l : null;
  const parsed = {
    index,
    indexPath: index === "child" ? normalizePath(rawIndex) : undefined,
    hasStart,
    startValue: hasStart ? q.sp : null,
    startName: typeof q.sn === "string" ? q.sn : MIN_NAME,
    startInclusive: q.sin !== false,
    hasEnd,
    endValue: hasEnd ? q.ep : null,
    endName: typeof q.en === "string" ? q.en : MAX_NAME,
    endInclusive: q.ein !== false,
    limit,
    viewFrom: q.vf === "r" ? "r" : "l",
    filters: hasStart || hasEnd || limit !== null,
    rulesQuery: {},
  };
  parsed.rulesQuery = rulesQuery(/** @type {ParsedQuery} */ (parsed), q);
  return /** @type {ParsedQuery} */ (parsed);
}

/**
 * The `query` variable of read rules. equalTo is not on the wire: the SDK sends it as a start and an
 * end at the same value, so that is how we recognise it.
 */
/**
 * @param {ParsedQuery} p
 * @param {Record<string, unknown>} wire
 */
function rulesQuery(p, wire) {
  /** @type {Record<string, any>} */
  const out = {};
  if (p.index === "key") out.orderByKey = true;
  else if (p.index === "value") out.orderByValue = true;
  else if (p.index === "priority") out.orderByPriority = true;
  else out.orderByChild = p.indexPath;
  const primitive = (/** @type {unknown} */ v) => v === null || ["string", "number", "boolean"].includes(typeof v);
  if (p.hasStart && primitive(p.startValue)) out.startAt = p.startValue;
  if (p.hasEnd && primitive(p.endValue)) out.endAt = p.endValue;
  if (
    p.hasStart &&
    p.hasEnd &&
    p.startValue === p.endValue &&
    p.startInclusive &&
    p.endInclusive &&
    wire.sn === wire.en &&
    primitive(p.startValue)
  ) {
    out.equalTo = p.startValue;
  }
  if (p.limit !== null) {
    if (p.viewFrom === "r") out.limitToLast = p.limit;
    else out.limitToFirst = p.limit;
  }
  return out;
}

/** The value a child is ordered by under this query's index. */
/**
 * @param {ParsedQuery} q
 * @param {string} key
 * @param {import("targaryen").DataNode} node
 */
function indexValue(q, key, node) {
  switch (q.index) {
    case "key":
      return key;
    case "value":
      return node;
    case "priority":
      return node.$priority() ?? null;
    default:
      return childAt(node, q.indexPath || "");
  }
}

/**
 * Order two (value, key) posts under the query's index.
 * @param {ParsedQuery} q
 * @param {unknown} aValue
 * @param {string} aKey
 * @param {unknown} bValue
 * @param {string} bKey
 */
function comparePosts(q, aValue, aKey, bValue, bKey) {
  if (q.index === "key") return compareKeys(aKey, bKey);
  return compareValues(aValue, bValue) || compareKeys(aKey, bKey);
}

/**
 * The children a query selects, in index order.
 * @param {ParsedQuery} q
 * @param {any} node DataNode at the query location
 * @returns {Array<[string, any]>} [key, DataNode] pairs
 */
function applyQuery(q, node) {
  if (node.$isPrimitive()) return [];
  // For the key index the post is the key itself; otherwise (value, name) with MIN/MAX name defaults.
  const startKey = q.index === "key" ? String(q.startValue) : q.startName;
  const endKey = q.index === "key" ? String(q.endValue) : q.endName;
  const entries = childKeys(node).map((key) => {
    const child = node[key];
    return { key, child, value: indexValue(q, key, child) };
  });
  entries.sort((a, b) => comparePosts(q, a.value, a.key, b.value, b.key));
  let selected = entries.filter((e) => {
    if (q.hasStart) {
      const c = comparePosts(q, q.startValue, startKey, e.value, e.key);
      if (q.startInclusive ? c > 0 : c >= 0) return false;
    }
    if (q.hasEnd) {
      const c = comparePosts(q, e.value, e.key, q.endValue, endKey);
      if (q.endInclusive ? c > 0 : c >= 0) return false;
    }
    return true;
  });
  if (q.limit !== null && selected.length > q.limit) {
    selected = q.viewFrom === "r" ? selected.slice(selected.length - q.limit) : selected.slice(0, q.limit);
  }
  return selected.map((e) => [e.key, e.child]);
}

/**
 * Wire value of a query view (null when empty, like an empty node).
 * @param {Array<[string, any]>} view
 */
function viewToExport(view) {
  if (view.length === 0) return null;
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const [key, child] of view) out[key] = toExport(child);
  return out;
}

/** Views are equal when they hold the same children objects (the tree shares unchanged branches). */
/**
 * @param {Array<[string, any]>|null} a
 * @param {Array<[string, any]>|null} b
 */
function sameView(a, b) {
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) {
    if (a[i][0] !== b[i][0] || a[i][1] !== b[i][1]) return false;
  }
  return true;
}

module.exports = { parseQuery, applyQuery, viewToExport, sameView };
