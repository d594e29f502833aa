// @ts-check
/**
 * Root hooks for the whole mocha run: close what the suites opened (the shared local stack, the unit
 * tests' database server) so mocha exits on its own.
 */
"use strict";

exports.mochaHooks = {
  async afterAll() {
    const cleanups = globalThis.__ibsCleanups ?? [];
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        console.error(`cleanup failed: ${/** @type {Error} */ (error).message}`);
      }
    }
  },
};
