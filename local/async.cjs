// @ts-check
/**
 * Small async helpers shared by the demo, the benchmarks and the integration tests.
 */
"use strict";

/**
 * Runs `fn` over `items` with at most `limit` calls in flight; results in input order. The functions
 * emulator runs one worker process per request, so callers bound how many run at once.
 * @template T, R
 * @param {T[]} items @param {number} limit @param {(item: T, index: number) => Promise<R>} fn
 * @returns {Promise<R[]>}
 */
async function inParallel(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  });
  await Promise.all(lanes);
  return results;
}

/**
 * Polls `read` until `ok` accepts its value; throws, naming `what` and the last value, at the deadline.
 * @template T
 * @param {string} what @param {() => Promise<T> | T} read @param {(value: T) => boolean} ok
 * @param {{ timeoutMs?: number, intervalMs?: number }} [options]
 * @returns {Promise<T>}
 */
async function waitFor(what, read, ok, { timeoutMs = 60_000, intervalMs = 250 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let value;
  for (;;) {
    value = await read();
    if (ok(value)) return value;
    if (Date.now() >= deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

class TimeoutError extends Error {}

/**
 * Resolves or rejects as `promise` does, or rejects with TimeoutError(`what` ...) after `ms`.
 * @template T
 * @param {Promise<T>} promise @param {number} ms @param {string} what
 * @returns {Promise<T>}
 */
function withTimeout(promise, ms, what) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  /** @type {Promise<never>} */
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what} did not finish within ${Math.round(ms / 1000)} s`)), ms);
    timer.unref?.();
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

module.exports = { inParallel, waitFor, withTimeout, TimeoutError };
