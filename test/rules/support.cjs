/** Loads database.rules.json (comments stripped) and evaluates operations with targaryen. */
"use strict";
const path = require("node:path");
const targaryen = require("targaryen");
const { readRulesFile } = require("../../local/database-server/lib/rules.js");

const RULES_FILE = path.resolve(__dirname, "..", "..", "database.rules.json");

function loadRules() {
  return readRulesFile(RULES_FILE);
}

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

/** The operations of a row: read, write (set), update (patch; objects only), delete. */
function operations(row) {
  const ops = ["read", "write", "delete"];
  if (isObject(valueOf(row)) || row.patch) ops.splice(2, 0, "update");
  return ops;
}

/** What a write of the row sets: its value, or a probe object for rows clients should only read. */
function valueOf(row) {
  return row.value === undefined ? { probe: true } : row.value;
}

/** @returns {boolean} whether `auth` may do `op` on the row, per the given rules and data. */
function evaluate(rules, data, auth, row, op, now = Date.now()) {
  const database = targaryen.database(rules, data, now).as(auth);
  switch (op) {
    case "read":
      return database.read(row.path).allowed;
    case "write":
      return database.write(row.path, valueOf(row)).allowed;
    case "update":
      return database.update(row.path, row.patch ?? valueOf(row)).allowed;
    case "delete":
      return database.write(row.path, null).allowed;
    default:
      throw new Error(`unknown op ${op}`);
  }
}

/** Every rules path (as `a/$b/c`) whose node grants client access with a non-false .read or .write. */
function grantingPaths(rules) {
  const found = [];
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

const ruleKeys = (node) => (isObject(node) ? Object.keys(node).filter((key) => !key.startsWith(".")) : []);

/** The rules node at a template path (`a/$b/c`, keys taken literally), or undefined when there is none. */
function ruleNodeAt(rules, template) {
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
 */
function governingRulePath(rules, concretePath) {
  let node = rules.rules ?? rules;
  const walked = [];
  for (const segment of concretePath.split("/").filter(Boolean)) {
    const keys = ruleKeys(node);
    const next = keys.includes(segment) ? segment : keys.find((key) => key.startsWith("$"));
    if (next === undefined) break;
    walked.push(next);
    node = node[next];
  }
  return walked.join("/");
}

module.exports = { loadRules, operations, valueOf, evaluate, grantingPaths, ruleNodeAt, governingRulePath, RULES_FILE };
