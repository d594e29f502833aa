"use strict";

// A minimal method + path-pattern router (':name' segments), enough for a fixed REST surface.

function compile(pattern) {
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

class Router {
  constructor() {
    this.routes = [];
  }

  add(method, pattern, handler) {
    this.routes.push({ method, ...compile(pattern), handler });
    return this;
  }

  // Returns {handler, params} | {methodNotAllowed: true, allow} | null
  match(method, pathname) {
    const allow = [];
    for (const r of this.routes) {
      const m = r.regex.exec(pathname);
      if (!m) continue;
      if (r.method !== method && !(method === "HEAD" && r.method === "GET")) {
        allow.push(r.method);
        continue;
      }
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
