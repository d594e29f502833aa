// @ts-check
/**
 * Runtime of the typed client (types in index.d.cts): `httpsCallable` resolves to `{data}`; the
 * wrappers return the data itself, as the callables' output types describe.
 */
"use strict";
const { httpsCallable } = require("firebase/functions");

/**
 * @param {import("firebase/functions").Functions} functions
 * @param {string} name
 * @param {import("firebase/functions").HttpsCallableOptions} [options]
 */
function callable(functions, name, options) {
  const call = httpsCallable(functions, name, options);
  /** @param {unknown} [data] */
  return async (data = {}) => (await call(data)).data;
}

/**
 * @param {import("firebase/functions").Functions} functions
 * @param {import("firebase/functions").HttpsCallableOptions} [options]
 */
function api(functions, options) {
  /** @type {Map<string, ReturnType<typeof callable>>} */
  const made = new Map();
  return new Proxy(
    {},
    {
      get(_target, name) {
        if (typeof name !== "string") return undefined;
        if (!made.has(name)) made.set(name, callable(functions, name, options));
        return made.get(name);
      },
    },
  );
}

module.exports = { callable, api };
