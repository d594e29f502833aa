/**
 * `npm run lint`: ESLint (type-aware on the TypeScript) and Prettier's check over the whole repository;
 * `npm run format`: Prettier writes, then ESLint fixes what it can. The test suite runs the same check
 * (test/lint/lint.test.js), so CI fails on any problem.
 */
"use strict";
const path = require("node:path");

const root = path.resolve(__dirname, "..");

/** Every ESLint problem and every file Prettier would change, as lines a person can act on. */
async function lintProblems({ fix = false } = {}) {
  const { ESLint } = require("eslint");
  const prettier = require("prettier");
  const problems = [];
  if (fix) await formatAll(prettier);
  const eslint = new ESLint({ cwd: root, fix });
  const results = await eslint.lintFiles(["."]);
  if (fix) await ESLint.outputFixes(results);
  for (const result of results) {
    for (const message of result.messages) {
      problems.push(
        `${path.relative(root, result.filePath)}:${message.line}:${message.column} ${message.message} (${message.ruleId ?? "parse"})`,
      );
    }
  }
  for (const file of await prettierFiles()) {
    const text = require("node:fs").readFileSync(file, "utf8");
    const options = { ...(await prettier.resolveConfig(file)), filepath: file };
    if (!(await prettier.check(text, options))) problems.push(`${path.relative(root, file)}: not formatted (npm run format)`);
  }
  return problems;
}

/** The files Prettier covers: what git knows (tracked or new), minus .prettierignore. */
async function prettierFiles() {
  const { execFileSync } = require("node:child_process");
  const prettier = require("prettier");
  const listed = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: root })
    .toString()
    .split("\n")
    .filter(Boolean);
  const files = [];
  for (const relative of listed) {
    const file = path.join(root, relative);
    if (!require("node:fs").existsSync(file)) continue;
    const info = await prettier.getFileInfo(file, { ignorePath: path.join(root, ".prettierignore") });
    if (!info.ignored && info.inferredParser) files.push(file);
  }
  return files;
}

async function formatAll(prettier) {
  const fs = require("node:fs");
  for (const file of await prettierFiles()) {
    const text = fs.readFileSync(file, "utf8");
    const formatted = await prettier.format(text, { ...(await prettier.resolveConfig(file)), filepath: file });
    if (formatted !== text) fs.writeFileSync(file, formatted);
  }
}

module.exports = { lintProblems };

if (require.main === module) {
  const fix = process.argv.includes("--fix");
  lintProblems({ fix }).then(
    (problems) => {
      for (const line of problems) console.log(line);
      console.log(problems.length ? `${problems.length} problems` : fix ? "formatted; no problems left" : "no problems");
      process.exit(problems.length ? 1 : 0);
    },
    (error) => {
      console.error(error);
      process.exit(2);
    },
  );
}
