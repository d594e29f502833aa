// @ts-check
/** The matrix has no gap: every path the rules open to clients has rows in the client-path table. */
"use strict";
const assert = require("node:assert/strict");
const { rows } = require("./matrix.cjs");
const { loadRules, grantingPaths, ruleNodeAt, governingRulePath } = require("./support.cjs");

describe("rules: matrix coverage", () => {
  it("every path database.rules.json opens to a client has a row in test/rules/matrix.cjs", () => {
    const tested = new Set(rows().map((row) => row.template));
    const untested = grantingPaths(loadRules()).filter((path) => !tested.has(path));
    assert.deepEqual(untested, [], `rules grant access at paths without matrix rows: ${untested.join(", ")}`);
  });

  it("every row names a role that exists and a path the rules know", () => {
    const { ROLES } = require("./matrix.cjs");
    const rules = loadRules();
    const wrong = [];
    for (const row of rows()) {
      for (const op of /** @type {import("./support.cjs").Operation[]} */ (["read", "write", "update", "delete"])) {
        for (const role of row[op] ?? []) if (!(role in ROLES)) wrong.push(`${row.path} ${op}: unknown role ${role}`);
      }
      // The template is a node of database.rules.json, and it is the node that governs the row's
      // concrete path (a `$var` segment matches any key, a named key wins over it).
      if (ruleNodeAt(rules, row.template) === undefined) wrong.push(`${row.path}: template ${row.template} is not in the rules`);
      const governing = governingRulePath(rules, row.path);
      if (governing !== row.template)
        wrong.push(`${row.path}: governed by ${governing || "the root"}, not by its template ${row.template}`);
    }
    assert.deepEqual(wrong, []);
  });
});
