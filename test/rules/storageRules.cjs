// @ts-check
/**
 * A small evaluator for storage.rules, enough for the constructs the file uses: nested `match` blocks
 * with `{var}` and `{var=**}` segments, `allow <ops>: if <expr>;`, and expressions over
 * `request.auth`, `request.resource.size`, `request.resource.contentType.matches(...)` and path
 * variables. The storage emulator cannot run offline here; this evaluates the real file's text, so a
 * change to a rule changes the verdicts. Any construct it does not know makes it throw, never allow.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const FILE = path.resolve(__dirname, "..", "..", "storage.rules");
/** @type {Record<string, string[]>} */
const OPS = { read: ["get", "list"], write: ["create", "update", "delete"] };

/**
 * @typedef {{ops: string[], condition: string}} Allow an `allow <ops>: if <condition>;`
 * @typedef {{pattern: string[], allows: Allow[], children: Block[]}} Block a `match` block
 * @typedef {Record<string, string>} Vars the path variables bound so far
 */

/**
 * @param {string} text
 * @returns {Block}
 */
function parse(text) {
  const source = text.replace(/\/\/[^\n]*/g, "");
  let at = 0;
  /** @type {Block} */
  const root = { pattern: [], allows: [], children: [] };
  const stack = [root];
  const tokenRe = /\s*(match\s+(\S+)\s*\{|allow\s+([a-z,\s]+):\s*if\s+([\s\S]*?);|\}|service\s+[^{]+\{|rules_version\s*=\s*'[^']*';)/y;
  while (at < source.length) {
    tokenRe.lastIndex = at;
    const m = tokenRe.exec(source);
    if (!m) {
      if (/^\s*$/.test(source.slice(at))) break;
      throw new Error(`storage.rules: cannot parse near ${JSON.stringify(source.slice(at, at + 40))}`);
    }
    at = tokenRe.lastIndex;
    const token = m[1];
    if (token.startsWith("match")) {
      const block = { pattern: m[2].split("/").filter(Boolean), allows: [], children: [] };
      stack[stack.length - 1].children.push(block);
      stack.push(block);
    } else if (token.startsWith("allow")) {
      const ops = m[3]
        .split(",")
        .map((op) => op.trim())
        .flatMap((op) => OPS[op] ?? [op]);
      stack[stack.length - 1].allows.push({ ops, condition: m[4].trim() });
    } else if (token === "}") {
      stack.pop();
    } else if (token.startsWith("service")) {
      stack.push({ pattern: [], allows: [], children: stack[stack.length - 1].children });
    }
  }
  return root;
}

/**
 * Matches `segments` against a block pattern; returns the bound variables and the rest, or null.
 * @param {string[]} pattern
 * @param {string[]} segments
 */
function matchSegments(pattern, segments) {
  /** @type {Vars} */
  const vars = {};
  for (let i = 0; i < pattern.length; i++) {
    const part = pattern[i];
    const variable = /^\{(\w+)(=\*\*)?\}$/.exec(part);
    if (variable?.[2]) {
      vars[variable[1]] = segments.slice(i).join("/");
      return { vars, rest: [] };
    }
    if (i >= segments.length) return null;
    if (variable) vars[variable[1]] = segments[i];
    else if (part !== segments[i]) return null;
  }
  return { vars, rest: segments.slice(pattern.length) };
}

/**
 * @param {string} condition
 * @param {Record<string, unknown>} context
 */
function evaluateCondition(condition, context) {
  if (/[;`]|=>|function|\bthis\b|\bconstructor\b|__proto__|\[/.test(condition)) throw new Error(`unsupported condition: ${condition}`);
  const expression = condition.replace(/\bnull\b/g, "null");
  const names = Object.keys(context);

  // The rule conditions are this repository's own storage.rules, filtered above.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return Boolean(new Function(...names, `return (${expression});`)(...names.map((name) => context[name])));
}

/**
 * @param {Block} block
 * @param {string[]} segments
 * @param {Vars} vars
 * @param {Array<{allow: Allow, scope: Vars}>} found
 */
function collect(block, segments, vars, found) {
  const matched = matchSegments(block.pattern, segments);
  if (!matched) return;
  const scope = { ...vars, ...matched.vars };
  if (matched.rest.length === 0) for (const allow of block.allows) found.push({ allow, scope });
  for (const child of block.children) collect(child, matched.rest, scope, found);
}

/** @param {string | null | undefined} value */
function storageString(value) {
  if (value === undefined || value === null) return value;
  const boxed = /** @type {String & {matches?: (regex: string) => boolean}} */ (new String(value));
  boxed.matches = (/** @type {string} */ regex) => new RegExp(`^(?:${regex})$`).test(String(value));
  return boxed;
}

/**
 * @param {{op: 'get'|'list'|'create'|'update'|'delete', path: string, auth: {uid: string, token?: object}|null, resource?: {size: number, contentType: string}}} request
 */
function allowed(request, text = fs.readFileSync(FILE, "utf8")) {
  const root = parse(text);
  const segments = ["b", "default-bucket", "o", ...request.path.split("/").filter(Boolean)];
  /** @type {Array<{allow: Allow, scope: Vars}>} */
  const found = [];
  for (const block of root.children) collect(block, segments, {}, found);
  return found.some(({ allow, scope }) => {
    if (!allow.ops.includes(request.op)) return false;
    const auth = request.auth ? { uid: request.auth.uid, token: request.auth.token ?? {} } : null;
    const resource = request.resource
      ? { size: request.resource.size, contentType: storageString(request.resource.contentType) }
      : undefined;
    // Only values the rules call methods on are boxed: `==` between two boxed strings compares identity.
    const context = { request: { auth, resource }, ...scope };
    return evaluateCondition(allow.condition, context);
  });
}

module.exports = { allowed, parse, FILE };
