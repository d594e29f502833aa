// @ts-check
/**
 * The type check inside `npm run lint` can fail: every JavaScript file is checked strictly, also a new
 * one that does not start with `// @ts-check` (the same settings as tsconfig.checkjs.json).
 */
"use strict";
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { typeErrors } = require("../../tools/lint.cjs");

describe("lint: the type check of the JavaScript", function () {
  this.timeout(120_000);
  /** @type {string} */
  let dir;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "checkjs-"));
    const settings = JSON.parse(
      fs
        .readFileSync(path.join(__dirname, "..", "..", "tsconfig.checkjs.json"), "utf8")
        .replace(/^\s*\/\/.*$/gm, "")
        .replace(/,(\s*[}\]])/g, "$1"),
    );
    const compilerOptions = { ...settings.compilerOptions, types: [], typeRoots: [], rootDirs: [] };
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, include: ["*.js"] }));
    // An implicit any parameter and a wrong type: both errors under strict.
    fs.writeFileSync(
      path.join(dir, "checked.js"),
      '// @ts-check\nfunction twice(n) {\n  return n * 2;\n}\n/** @type {number} */\nconst x = "one";\nmodule.exports = { twice, x };\n',
    );
    fs.writeFileSync(path.join(dir, "unchecked.js"), '/** @type {number} */\nconst y = "one";\nmodule.exports = { y };\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reports the errors of every file, with // @ts-check or without", () => {
    const errors = typeErrors(path.join(dir, "tsconfig.json"));
    assert.ok(
      errors.some((line) => /\/checked\.js:2:\d+ .*implicitly has an 'any' type\. \(TS7006\)/.test(line)),
      errors.join("\n"),
    );
    assert.ok(
      errors.some((line) => /\/checked\.js:6:\d+ .*not assignable to type 'number'\. \(TS2322\)/.test(line)),
      errors.join("\n"),
    );
    assert.ok(
      errors.some((line) => /\/unchecked\.js:2:\d+ .*not assignable to type 'number'\. \(TS2322\)/.test(line)),
      errors.join("\n"),
    );
  });
});
