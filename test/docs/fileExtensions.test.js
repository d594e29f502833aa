// @ts-check
/**
 * CONTRIBUTING.md's file-name rule: the extension, or for `.js` the nearest package.json's `"type"`,
 * says the module system. Every `.js` file of the sources (build output and installed packages aside)
 * has a nearest package.json that declares `"type"` as "commonjs" or "module".
 */
"use strict";
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..", "..");
/** Directories that hold no sources of ours: installed packages, build output, run-time data. */
const SKIPPED_NAMES = new Set(["node_modules", ".git", "dist", ".local-stack", "test-artifacts"]);
const SKIPPED_PATHS = [/^functions\/lib(\.build-[^/]*|\.old-[^/]*)?$/];

/** @param {string} dir @returns {string[]} the `.js` files under dir, relative to the root */
function jsFiles(dir) {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (SKIPPED_NAMES.has(entry.name) || SKIPPED_PATHS.some((pattern) => pattern.test(relative))) return [];
      return jsFiles(relative);
    }
    return entry.isFile() && entry.name.endsWith(".js") ? [relative] : [];
  });
}

/** @param {string} file @returns {{ manifest: string, type: unknown }} the nearest package.json and its "type" */
function nearestType(file) {
  for (let dir = path.dirname(path.join(root, file)); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest)) {
      return {
        manifest: path.relative(root, manifest),
        type: /** @type {{ type?: unknown }} */ (JSON.parse(fs.readFileSync(manifest, "utf8"))).type,
      };
    }
    if (dir === root) throw new Error(`${file}: no package.json up to the root`);
  }
}

describe("docs: CONTRIBUTING's file-name rule", () => {
  it("every .js file's nearest package.json declares its module system", () => {
    const files = jsFiles("");
    assert.ok(files.length > 50, `found the sources' .js files (${files.length})`);
    const undeclared = files
      .map((file) => ({ file, ...nearestType(file) }))
      .filter(({ type }) => type !== "commonjs" && type !== "module")
      .map(({ file, manifest, type }) => `${file}: ${manifest} declares type ${JSON.stringify(type)}`);
    assert.deepEqual(undeclared, [], 'rename to .cjs/.mjs, or declare "type" in the nearest package.json');
  });
});
