// @ts-check
"use strict";

// A minimal method + path-pattern router (':name' segments), enough for a fixed REST surface.

/** @param {string} pattern */
function compile(pattern) {
  /** @type {string[]} */
  const keys = [];
  const source = pattern
    .split("/")
    .map((seg) => {
      if (seg.startsWith(":")) {
        keys.push(seg.slice(1));
        return "([^/]+)";
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return { regex: new RegExp(`^${source}/?$`), keys };
}

/** @template C what the handlers get (a REST or a control context) */
class Router {
  constructor() {
    /** @type {Array<{ method: string, regex: RegExp, keys: string[], handler: import("./types").Handler<C> }>} */
    this.routes = [];
  }

  /**
   * @param {string} method
   * @param {string} pattern a path with ':name' segments
   * @param {import("./types").Handler<C>} handler
   */
  add(method, pattern, handler) {
    this.routes.push({ method, ...compile(pattern), handler });
    return this;
  }

  // Returns {handler, params} | {methodNotAllowed: true, allow} | null
  /**
   * @param {string | undefined} method
   * @param {string} pathname
   * @returns {import("./types").RouteMatch<C> | null}
   */
  match(method, pathname) {
    /** @type {string[]} */
    const allow = [];
    for (const r of this.routes) {
      const m = r.regex.exec(pathname);
      if (!m) continue;
      if (r.method !== method && !(method === "HEAD" && r.method === "GET")) {
        allow.push(r.method);
        continue;
      }
      /** @type {import("./types").Params} */
      const params = {};
      r.keys.forEach((k, i) => {
        try {
          params[k] = decodeURIComponent(m[i + 1]);
        } catch {
          params[k] = m[i + 1];
        }
      });
      return { handler: r.handler, params };
    }
    return allow.length ? { methodNotAllowed: true, allow } : null;
  }
}

module.exports = { Router };
