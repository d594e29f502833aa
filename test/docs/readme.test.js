// @ts-check
/**
 * The documentation: README.md stays a short entry point whose first section is the two commands;
 * docs/api-reference.md is generated from the functions (tools/api-reference.cjs) and must be exactly
 * what the script generates now, so a changed schema, role or return type cannot leave it behind (fix
 * a failure with `node tools/api-reference.cjs --write`); every relative link in README.md,
 * CONTRIBUTING.md and docs/ resolves; docs/ibs-flaws.md names, for each IBS flaw, tests that exist and
 * are about that flaw; and no citation points at a document outside the repository.
 */
"use strict";
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { generate, referenceSection, REFERENCE_FILE } = require("../../tools/api-reference.cjs");

const root = path.resolve(__dirname, "..", "..");
const read = (/** @type {string} */ relative) => fs.readFileSync(path.join(root, relative), "utf8");
const docFiles = () => [
  "README.md",
  "CONTRIBUTING.md",
  "functions/src/README.md",
  ...fs
    .readdirSync(path.join(root, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to dashes. */
const slug = (/** @type {string} */ heading) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");

/** The anchors a Markdown file offers: its headings' slugs and explicit `<a id="...">` anchors. */
/** @param {string} text */
function anchorsOf(text) {
  const anchors = new Set();
  const counts = new Map();
  for (const match of text.matchAll(/^#{1,6} (.+)$/gm)) {
    const base = slug(match[1]);
    const seen = counts.get(base) ?? 0;
    anchors.add(seen ? `${base}-${seen}` : base);
    counts.set(base, seen + 1);
  }
  for (const match of text.matchAll(/<a id="([^"]+)"><\/a>/g)) anchors.add(match[1]);
  return anchors;
}

describe("README and docs", function () {
  this.timeout(120_000);
  const readme = read("README.md");

  it("README keeps the two commands first", () => {
    const firstSection = readme.indexOf("\n## ");
    assert.equal(readme.slice(firstSection + 1, readme.indexOf("\n", firstSection + 1)), "## The two commands");
  });

  it("README stays an entry point (at most 200 lines; the details live in docs/)", () => {
    const lines = readme.split("\n").length;
    assert.ok(lines <= 200, `README.md has ${lines} lines`);
  });

  it("docs/api-reference.md matches what tools/api-reference.cjs generates from the zod schemas and return types", () => {
    const current = referenceSection(fs.readFileSync(REFERENCE_FILE, "utf8"));
    assert.ok(current, "docs/api-reference.md has no API reference markers");
    const generated = generate();
    if (current !== generated) {
      assert.fail("docs/api-reference.md is out of date: run `node tools/api-reference.cjs --write`");
    }
  });

  it("the reference lists every callable, each with caller, input and output fields, and errors", () => {
    const { CALLABLE_SPEC } = require(path.join(root, "functions", "lib", "platform", "callable.js"));
    const backend = require(path.join(root, "functions", "lib", "index.js"));
    const callables = Object.keys(backend).filter((name) => backend[name]?.[CALLABLE_SPEC]);
    assert.ok(callables.length >= 30, `only ${callables.length} callables found`);
    const section = referenceSection(fs.readFileSync(REFERENCE_FILE, "utf8")) ?? "";
    for (const name of callables) {
      const entry = section.split(`### \`${name}\``)[1]?.split("\n### ")[0] ?? "";
      for (const field of ["\n- caller: ", "\n- input: ", "\n- output: ", "\n- errors: "])
        assert.ok(entry.includes(field), `${name}: no ${field.trim()}`);
      const output = entry.slice(entry.indexOf("\n- output: "), entry.indexOf("\n- errors: "));
      assert.ok(!/`(any|unknown|never)`/.test(output), `${name}: output type not derived`);
      // One field a line: no line carries a whole object type.
      assert.ok(!/\{ \w+\??: /.test(entry), `${name}: a field line holds an inline object type`);
    }
  });

  it("every relative link in README.md, CONTRIBUTING.md and docs/ points at a file (and heading) that exists", () => {
    const broken = [];
    for (const file of docFiles()) {
      const text = read(file).replace(/```[\s\S]*?```/g, "");
      for (const match of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = match[1];
        if (/^[a-z]+:/.test(target)) continue;
        const [relative, anchor] = target.split("#");
        const resolved = relative ? path.join(path.dirname(path.join(root, file)), relative) : path.join(root, file);
        if (!fs.existsSync(resolved)) broken.push(`${file}: ${target} (no such file)`);
        else if (anchor && resolved.endsWith(".md") && !anchorsOf(fs.readFileSync(resolved, "utf8")).has(anchor))
          broken.push(`${file}: ${target} (no such heading)`);
      }
    }
    assert.deepEqual(broken, []);
  });

  it("docs/ibs-flaws.md lists the 27 IBS flaws, each with tests that exist and name that flaw", () => {
    const text = read("docs/ibs-flaws.md");
    const ids = [...text.matchAll(/<a id="(\d+b?)"><\/a>/g)].map((match) => match[1]);
    const expected = [...Array.from({ length: 26 }, (_, i) => String(i + 1))];
    expected.splice(6, 0, "6b");
    assert.deepEqual(ids, expected);
    const entries = text.split(/<a id="/).slice(1);
    for (const entry of entries) {
      const id = entry.slice(0, entry.indexOf('"'));
      const tests = [...(entry.split("Tests:")[1] ?? "").matchAll(/`((?:functions\/src|test)\/[\w/.-]+\.(?:ts|js))`/g)].map(
        (match) => match[1],
      );
      assert.ok(tests.length, `flaw ${id}: no test named`);
      for (const test of tests) {
        assert.ok(fs.existsSync(path.join(root, test)), `flaw ${id}: ${test} does not exist`);
        // The test names the flaw (as "IBS flaw 5", "IBS flaws 7, 8", "IBS flaws 6 and 6b") or links its entry.
        const source = read(test);
        const names = [...source.matchAll(/IBS flaws? ((?:\d+b?(?:, | and |,)?)+)|ibs-flaws\.md#(\d+b?)/g)].flatMap((match) =>
          match[2] ? [match[2]] : match[1].split(/, | and |,/).filter(Boolean),
        );
        assert.ok(names.includes(id), `flaw ${id}: ${test} does not name it`);
      }
    }
  });

  it("IBS flaw 26: the params table of docs/deploy.md has every param of config.ts, with its kind and default", () => {
    /** @type {Record<string, string>} */
    const KINDS = { String: "string", Int: "int", Boolean: "bool", Secret: "secret" };
    /** @type {Record<string, {kind: string, default: string}>} */
    const inCode = {};
    for (const match of read("functions/src/platform/config.ts").matchAll(
      /define(String|Int|Boolean|Secret)\("(\w+)"(?:,\s*\{([^}]*)\})?/g,
    )) {
      const fallback = /default:\s*([^,\n]+)/.exec(match[3] ?? "")?.[1].trim();
      // The table's words for a default: `empty` for "", the value itself (in backticks for strings).
      const shown =
        fallback === undefined ? "" : fallback === '""' ? "empty" : /^"/.test(fallback) ? `\`${JSON.parse(fallback)}\`` : fallback;
      inCode[match[2]] = { kind: KINDS[match[1]], default: match[1] === "Secret" ? "(secret)" : shown };
    }
    assert.ok(Object.keys(inCode).length >= 10, "config.ts: params not found");
    /** @type {Record<string, {kind: string, default: string}>} */
    const documented = {};
    const deploy = read("docs/deploy.md");
    for (const match of deploy.matchAll(/^\| `([A-Z0-9_]+)` \| (\w+) \|([^|]*)\|/gm)) {
      documented[match[1]] = { kind: match[2], default: match[2] === "secret" ? "(secret)" : match[3].trim() };
    }
    assert.deepEqual(documented, inCode);
  });

  it("citations point into the repository (docs/...), not at documents outside it", () => {
    const stale = [];
    const walk = (/** @type {string} */ dir) => {
      for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
        const relative = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (!["node_modules", "lib", "dist", ".git", ".local-stack", "test-artifacts", "screenshots"].includes(entry.name))
            walk(relative);
        } else if (/\.(ts|js|cjs|mjs|md)$/.test(entry.name) && !relative.endsWith("readme.test.js")) {
          const text = fs.readFileSync(path.join(root, relative), "utf8");
          for (const match of text.matchAll(/\b(?:SPEC|reference) §\s*\d+|§\d+(?:\.\d+)?/g)) stale.push(`${relative}: ${match[0]}`);
        }
      }
    };
    for (const dir of ["functions/src", "client", "local", "rules", "test", "tools", "bench", "web/src", "docs"]) {
      if (fs.existsSync(path.join(root, dir))) walk(dir);
    }
    for (const file of ["README.md", "CONTRIBUTING.md"]) {
      for (const match of read(file).matchAll(/\b(?:SPEC|reference) §\s*\d+|§\d+(?:\.\d+)?/g)) stale.push(`${file}: ${match[0]}`);
    }
    assert.deepEqual(stale, []);
  });
});
