// @ts-check
/**
 * `npm run test:stress`: the hardening suites at full size (500 concurrent fan joins while the limit
 * is lowered, every fault, every malformed payload), in-process against the test database server and
 * the Vonage stand-in, with the platform faults (a 10,000-callback storm, a SOAK_MINUTES soak, default 15);
 * and the seat cap through the web SDK on the local stack, 1,000 fans on 100 seats.
 * Prints the figures docs/reliability.md and docs/reliability-faults.md quote.
 */
"use strict";
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const root = path.resolve(__dirname, "..");
const mocha = path.join(root, "node_modules", "mocha", "bin", "mocha.js");
const specs = [
  "functions/lib/tests/badInput.test.js",
  "functions/lib/tests/hardening/*.test.js",
  "functions/lib/events/functions/changeStatus.vonageFaults.test.js",
  // The seat cap through the real web SDK and the functions emulator at the size (SEATS_FANS).
  "test/integration/seats.test.js",
];
const env = {
  ...process.env,
  STRESS_FANS: process.env.STRESS_FANS || "500",
  // The platform faults at full size: a storm of 10,000 callbacks, a 15-minute soak.
  STORM_CALLBACKS: process.env.STORM_CALLBACKS || "10000",
  SOAK_MINUTES: process.env.SOAK_MINUTES || "15",
  SEATS_FANS: process.env.SEATS_FANS || "1000",
  HARDENING_FIGURES: "1",
};
const args = [
  mocha,
  "--require",
  "test/support/hooks.cjs",
  "--timeout",
  "120000",
  "--reporter",
  process.env.MOCHA_REPORTER || "spec",
  ...specs,
  ...process.argv.slice(2),
];
const result = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit", env });
process.exit(result.status ?? 1);
