// @ts-check
/** Loads database.rules.json (comments stripped) and evaluates operations with targaryen. */
"use strict";
const path = require("node:path");
const targaryen = require("targaryen");
const { readRulesFile } = require("../../local/database-server/lib/rules.js");

const RULES_FILE = path.resolve(__dirname, "..", "..", "database.rules.json");

/**
 * @typedef {"read" | "write" | "update" | "delete"} Operation
 * @typedef {import("./matrix.cjs").MatrixRow} MatrixRow
 * @typedef {Record<string, unknown>} RulesJson a parsed rules file (`{rules: {...}}`)
 * @typedef {{uid: string, provider?: string, token: {[claim: string]: unknown, firebase?: {sign_in_provider: string}}}} RulesAuth
 *   `auth` as the rules see it, for a signed-in user
 */

/** @returns {RulesJson} */
function loadRules() {
  return readRulesFile(RULES_FILE);
}

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * The operations of a row: read, write (set), update (patch; objects only), delete.
 * @param {MatrixRow} row
 */
function operations(row) {
  /** @type {Operation[]} */
  const ops = ["read", "write", "delete"];
  if (isObject(valueOf(row)) || row.patch) ops.splice(2, 0, "update");
  return ops;
}

/**
 * What a write of the row sets: its value, or a probe object for rows clients should only read.
 * @param {Pick<MatrixRow, "value">} row
 */
function valueOf(row) {
  return row.value === undefined ? { probe: true } : row.value;
}

/**
 * @param {RulesJson} rules
 * @param {unknown} data
 * @param {RulesAuth | null} auth
 * @param {Pick<MatrixRow, "path" | "value" | "patch">} row
 * @param {string} op an Operation
 * @returns {boolean} whether `auth` may do `op` on the row, per the given rules and data.
 */
function evaluate(rules, data, auth, row, op, now = Date.now()) {
  const database = targaryen.database(rules, data, now).as(auth);
  switch (op) {
    case "read":
      return database.read(row.path).allowed;
    case "write":
      return database.write(row.path, valueOf(row)).allowed;
    case "update":
      return database.update(row.path, /** @type {object} */ (row.patch ?? valueOf(row))).allowed;
    case "delete":
      return database.write(row.path, null).allowed;
    default:
      throw new Error(`unknown op ${op}`);
  }
}

/**
 * Every rules path (as `a/$b/c`) whose node grants client access with a non-false .read or .write.
 * @param {RulesJson} rules
 */
function grantingPaths(rules) {
  /** @type {string[]} */
  const found = [];
  /**
   * @param {unknown} node
   * @param {string[]} at
   */
  const walk = (node, at) => {
    if (!isObject(node)) return;
    for (const kind of [".read", ".write"]) {
      if (kind in node && node[kind] !== false && node[kind] !== "false") found.push(at.join("/"));
    }
    for (const [key, child] of Object.entries(node)) if (!key.startsWith(".")) walk(child, [...at, key]);
  };
  walk(rules.rules ?? rules, []);
  return [...new Set(found)];
}

const ruleKeys = (/** @type {unknown} */ node) => (isObject(node) ? Object.keys(node).filter((key) => !key.startsWith(".")) : []);

/**
 * The rules node at a template path (`a/$b/c`, keys taken literally), or undefined when there is none.
 * @param {RulesJson} rules
 * @param {string} template
 */
function ruleNodeAt(rules, template) {
  /** @type {unknown} */
  let node = rules.rules ?? rules;
  for (const segment of template.split("/").filter(Boolean)) {
    if (!isObject(node) || !(segment in node)) return undefined;
    node = node[segment];
  }
  return node;
}

/**
 * The rules path that governs a concrete database path, as the database matches it: at each level
 * the literal child if the rules name it, else the `$variable` child (which matches any key); the
 * walk stops where the rules have no deeper node. E.g. `activeBroadcasts/a/b/eventId` is governed by
 * `activeBroadcasts/$adminId/$fanUrl/$public`.
 * @param {RulesJson} rules
 * @param {string} concretePath
 */
function governingRulePath(rules, concretePath) {
  /** @type {unknown} */
  let node = rules.rules ?? rules;
  /** @type {string[]} */
  const walked = [];
  for (const segment of concretePath.split("/").filter(Boolean)) {
    const keys = ruleKeys(node);
    const next = keys.includes(segment) ? segment : keys.find((key) => key.startsWith("$"));
    if (next === undefined) break;
    walked.push(next);
    node = /** @type {Record<string, unknown>} */ (node)[next];
  }
  return walked.join("/");
}

module.exports = { loadRules, operations, valueOf, evaluate, grantingPaths, ruleNodeAt, governingRulePath, RULES_FILE };
