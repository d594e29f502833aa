// @ts-check
/**
 * The full role × path × operation matrix, evaluated without any server (targaryen). Each case says
 * who asks, what, where, and whether the rules must allow it.
 */
"use strict";
const assert = require("node:assert/strict");
const { ROLES, rows, baseData } = require("./matrix.cjs");
const { loadRules, operations, evaluate } = require("./support.cjs");

describe("rules: the role × path × operation matrix (targaryen)", () => {
  const rules = loadRules();
  const now = Date.now();
  const data = baseData(now);

  for (const row of rows(now)) {
    describe(`${row.path}${row.note ? ` (${row.note})` : ""}`, () => {
      for (const op of operations(row)) {
        const allowed = new Set(row[op] ?? []);
        it(`${op}: ${allowed.size ? [...allowed].join(", ") : "nobody"}`, () => {
          const wrong = [];
          for (const [role, auth] of Object.entries(ROLES)) {
            const expected = allowed.has(role);
            if (evaluate(rules, data, auth, row, op, now) !== expected) wrong.push(`${role} ${expected ? "refused" : "allowed"}`);
          }
          assert.deepEqual(wrong, [], `${op} ${row.path}: ${wrong.join("; ")}`);
        });
      }
    });
  }
});
