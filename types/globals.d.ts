// Globals the JavaScript of the tests shares across suites of one mocha run.

/** Cleanups the root hooks (test/support/hooks.cjs) run after the whole run, in reverse order. */
// eslint-disable-next-line no-var -- a global declaration needs `var`
declare var __ibsCleanups: Array<() => unknown> | undefined;
