/**
 * The README's API reference is generated from the functions (tools/api-reference.cjs): it must be
 * exactly what the script generates now, so a changed schema, role or return type cannot leave the
 * documentation behind. Fix a failure with `node tools/api-reference.cjs --write`.
 */
"use strict";
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { generate, readmeSection } = require("../../tools/api-reference.cjs");

const root = path.resolve(__dirname, "..", "..");

describe("README", function () {
  this.timeout(120_000);
  const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");

  it("keeps the two commands first", () => {
    const firstSection = readme.indexOf("\n## ");
    assert.equal(readme.slice(firstSection + 1, readme.indexOf("\n", firstSection + 1)), "## The two commands");
  });

  it("API reference matches what tools/api-reference.cjs generates from the zod schemas and return types", () => {
    const current = readmeSection(readme);
    assert.ok(current, "README.md has no API reference markers");
    const generated = generate();
    if (current !== generated) {
      assert.fail("README.md's API reference is out of date: run `node tools/api-reference.cjs --write`");
    }
  });

  it("the reference lists every callable, each with caller, input, output and errors", () => {
    const { CALLABLE_SPEC } = require(path.join(root, "functions", "lib", "platform", "callable.js"));
    const backend = require(path.join(root, "functions", "lib", "index.js"));
    const callables = Object.keys(backend).filter((name) => backend[name]?.[CALLABLE_SPEC]);
    assert.ok(callables.length >= 30, `only ${callables.length} callables found`);
    const section = readmeSection(readme) ?? "";
    for (const name of callables) {
      const entry = section.split(`#### \`${name}\``)[1]?.split("####")[0] ?? "";
      for (const field of ["caller:", "input: `", "output: `", "errors: "]) assert.ok(entry.includes(field), `${name}: no ${field}`);
      assert.ok(!/output: `(any|unknown|never)`/.test(entry), `${name}: output type not derived`);
    }
  });
});
