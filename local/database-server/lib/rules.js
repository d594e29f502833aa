// @ts-check
"use strict";
/**
 * Rules: loaded from a JSON file that may contain comments (as database.rules.json may), or given as
 * an object; compiled once with targaryen and reused for every request.
 */

const fs = require("node:fs");
const targaryen = require("targaryen");
const stripJsonComments = require("strip-json-comments");
const { normalizePath } = require("./tree");

/** What a new Firebase database gets in locked mode: only admins get through. */
const LOCKED_RULES = { rules: { ".read": false, ".write": false } };

/**
 * Accepts `{rules: {...}}` or the inner object.
 * @param {object} rules
 * @returns {{rules: object}}
 */
function wrapRules(rules) {
  if (!rules || typeof rules !== "object" || Array.isArray(rules)) throw new Error("Rules must be an object");
  const keys = Object.keys(rules);
  return keys.length === 1 && keys[0] === "rules" ? /** @type {{rules: object}} */ (rules) : { rules };
}

/** @param {string} file */
function readRulesFile(file) {
  let text;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`Cannot read the rules file ${file}: ${/** @type {Error} */ (error).message}`, { cause: error });
  }
  try {
    return JSON.parse(stripJsonComments(text));
  } catch (error) {
    throw new Error(`The rules file ${file} is not valid JSON: ${/** @type {Error} */ (error).message}`, { cause: error });
  }
}

/**
 * @param {object} rules
 * @returns {{definition: {rules: object}, ruleset: import("targaryen").Ruleset}}
 */
function compileRules(rules) {
  const definition = wrapRules(rules);
  try {
    return { definition, ruleset: targaryen.ruleset(definition) };
  } catch (error) {
    throw new Error(`Invalid database rules: ${/** @type {Error} */ (error).message}`, { cause: error });
  }
}

/**
 * Does the rules tree declare `.indexOn` for this index at this location? Used only to send the
 * same "no_index" warning as Firebase (the SDK then logs its "Using an unspecified index" hint).
 * @param {{rules: object}} definition
 * @param {string} path canonical
 * @param {string} index ".value" or a child path
 */
function hasIndex(definition, path, index) {
  let node = /** @type {any} */ (definition.rules);
  for (const key of path ? path.split("/") : []) {
    if (!node || typeof node !== "object") return false;
    if (Object.prototype.hasOwnProperty.call(node, key)) node = node[key];
    else {
      const wildcard = Object.keys(node).find((k) => k.startsWith("$"));
      if (!wildcard) return false;
      node = node[wildcard];
    }
  }
  if (!node || typeof node !== "object") return false;
  const declared = node[".indexOn"];
  const list = Array.isArray(declared) ? declared : declared === undefined ? [] : [declared];
  return list.some((entry) => normalizePath(entry) === normalizePath(index) || entry === index);
}

module.exports = { LOCKED_RULES, wrapRules, readRulesFile, compileRules, hasIndex };
