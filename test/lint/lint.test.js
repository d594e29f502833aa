// @ts-check
/**
 * The whole repository is lint-clean (ESLint, type-aware on the TypeScript) and formatted (Prettier):
 * the same check as `npm run lint`, run by `npm test` so CI fails on a problem.
 */
"use strict";
const assert = require("node:assert/strict");
const { lintProblems } = require("../../tools/lint.cjs");

describe("lint and format", function () {
  this.timeout(300_000);

  it("ESLint and Prettier report no problem anywhere in the repository", async () => {
    const problems = await lintProblems();
    assert.deepEqual(problems, [], `${problems.length} problems; run npm run format, then npm run lint`);
  });
});
