// @ts-check
/**
 * `npm test`: every suite in one mocha run, so the output ends with mocha's summary.
 * Unit tests of the functions (compiled to functions/lib), the local database server, the Vonage
 * stand-in, the rules, the local tools, the integration tests through the full local stack, and the
 * browser suite (the web app in Chromium).
 */
"use strict";
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const root = path.resolve(__dirname, "..");
const mocha = path.join(root, "node_modules", "mocha", "bin", "mocha.js");
const specs = [
  "functions/lib/**/*.test.js",
  "local/database-server/test/*.test.js",
  "local/vonage-standin/test/*.test.js",
  "test/rules/*.test.js",
  "test/docs/*.test.js",
  // The typed client installed in a fresh app, type-checked under bundler and nodenext resolution.
  "test/client/*.test.js",
  // The web app's pure logic (TypeScript run as it is by Node).
  "test/web/*.test.js",
  "test/lint/*.test.js",
  "test/local/*.test.js",
  "test/integration/*.test.js",
  // A whole show in Chromium (installed from Debian's packages when missing), on the same stack.
  "test/browser/*.test.js",
];
const args = [
  mocha,
  "--require",
  "test/support/hooks.cjs",
  "--timeout",
  "60000",
  "--reporter",
  process.env.MOCHA_REPORTER || "spec",
  ...specs,
  ...process.argv.slice(2),
];
const result = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit", env: process.env });
if (result.signal) console.error(`\nmocha was stopped by ${result.signal} before it finished`);
process.exit(result.status ?? 1);
