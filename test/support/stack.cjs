// @ts-check
/**
 * One local stack shared by every integration suite of a test run (the emulators take ~15 s to start),
 * on ports shifted by 1000 so tests can run beside `npm start`. Closed by the root hooks.
 */
"use strict";
const { startStack } = require("../../local/stack.cjs");
const { ensureDemoSuperAdmin } = require("../../local/seed.cjs");

/** @typedef {Awaited<ReturnType<typeof startStack>> & {superAdmin: Awaited<ReturnType<typeof ensureDemoSuperAdmin>>, logLines: string[]}} SharedStack */

/** @type {Promise<SharedStack> | undefined} */
let stackPromise;
/** Every line the emulators printed (bounded), for tests that check what reaches the logs. */
/** @type {string[]} */
const logLines = [];
const LOG_LINES_MAX = 50_000;

/** @returns {Promise<SharedStack>} */
function sharedStack() {
  stackPromise ??= (async () => {
    const stack = await startStack({
      portBase: Number(process.env.TEST_PORT_BASE ?? 1000),
      // A short broadcast drain so lifecycle tests see the delayed stop without waiting 30 s.
      // Seat confirmation off: these suites' fans never connect to Vonage, and on a loaded machine a
      // batch of joins outlasts SEAT_CONFIRM_SECONDS (seatConnections.test.js runs its own stack with it on).
      // A 2-minute seat offer hold: the browser suite's offered fan takes the seat after a newcomer's
      // join, which can outlast the default 30 s on a loaded machine.
      functionsEnv: { BROADCAST_DRAIN_SECONDS: "2", SEAT_CONFIRMATION: "false", SEAT_OFFER_HOLD_SECONDS: "120" },
      log: (line) => {
        logLines.push(line);
        if (logLines.length > LOG_LINES_MAX) logLines.shift();
        if (process.env.STACK_LOG) console.log(`    [emulators] ${line}`);
      },
    });
    (globalThis.__ibsCleanups ??= []).push(() => stack.stop());
    return Object.assign(stack, { superAdmin: await ensureDemoSuperAdmin(stack.ports), logLines });
  })();
  return stackPromise;
}

module.exports = { sharedStack };
