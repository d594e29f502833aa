/** The matrix has no gap: every path the rules open to clients has rows in the client-path table. */
"use strict";
const assert = require("node:assert/strict");
const { rows } = require("./matrix.cjs");
const { loadRules, grantingPaths } = require("./support.cjs");

describe("rules: matrix coverage", () => {
  it("every path database.rules.json opens to a client has a row in test/rules/matrix.cjs", () => {
    const tested = new Set(rows().map((row) => row.template));
    const untested = grantingPaths(loadRules()).filter((path) => !tested.has(path));
    assert.deepEqual(untested, [], `rules grant access at paths without matrix rows: ${untested.join(", ")}`);
  });

  it("every row names a role that exists and a path the rules know", () => {
    const { ROLES } = require("./matrix.cjs");
    for (const row of rows()) {
      for (const op of ["read", "write", "update", "delete"]) {
        for (const role of row[op] ?? []) assert.ok(role in ROLES, `${row.path} ${op}: unknown role ${role}`);
      }
    }
  });
});
