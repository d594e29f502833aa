// @ts-check
/**
 * `npm run lint`: ESLint (type-aware on the TypeScript and the JavaScript), the type check of the
 * JavaScript (tsconfig.checkjs.json: every file that starts with `// @ts-check`, strict) and Prettier's
 * check over the whole repository;
 * `npm run format`: Prettier writes, then ESLint fixes what it can. The test suite runs the same check
 * (test/lint/lint.test.js), so CI fails on any problem.
 */
"use strict";
const path = require("node:path");

const root = path.resolve(__dirname, "..");

/**
 * Every ESLint problem, type error and file Prettier would change, as lines a person can act on.
 * @param {{fix?: boolean}} [options]
 */
async function lintProblems({ fix = false } = {}) {
  const { ESLint } = require("eslint");
  const prettier = require("prettier");
  /** @type {string[]} */
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
  problems.push(...typeErrors());
  for (const file of await prettierFiles()) {
    const text = require("node:fs").readFileSync(file, "utf8");
    const options = { ...(await prettier.resolveConfig(file)), filepath: file };
    if (!(await prettier.check(text, options))) problems.push(`${path.relative(root, file)}: not formatted (npm run format)`);
  }
  return problems;
}

/**
 * The type errors of the JavaScript, as tsc reports them (the TypeScript sources are type-checked by
 * their own builds and by ESLint's type-aware rules).
 */
function typeErrors(project = path.join(root, "tsconfig.checkjs.json")) {
  const ts = require("typescript");
  const config = ts.readConfigFile(project, (file) => ts.sys.readFile(file));
  if (config.error) return [ts.flattenDiagnosticMessageText(config.error.messageText, "\n")];
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, path.dirname(project), undefined, project);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, projectReferences: parsed.projectReferences });
  return [...parsed.errors, ...ts.getPreEmitDiagnostics(program)].map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
    if (!diagnostic.file || diagnostic.start === undefined) return `${message} (TS${diagnostic.code})`;
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${path.relative(root, diagnostic.file.fileName)}:${line + 1}:${character + 1} ${message} (TS${diagnostic.code})`;
  });
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

/** @param {typeof import("prettier")} prettier */
async function formatAll(prettier) {
  const fs = require("node:fs");
  for (const file of await prettierFiles()) {
    const text = fs.readFileSync(file, "utf8");
    const formatted = await prettier.format(text, { ...(await prettier.resolveConfig(file)), filepath: file });
    if (formatted !== text) fs.writeFileSync(file, formatted);
  }
}

module.exports = { lintProblems, typeErrors };

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
