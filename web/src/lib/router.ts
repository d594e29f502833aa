/** The pages by path (Firebase Hosting rewrites these paths to index.html). */
import { useEffect, useState } from "preact/hooks";

export type Route =
  | { page: "home" }
  | { page: "events" }
  | { page: "eventNew" }
  | { page: "eventEdit"; id: string }
  | { page: "run"; id: string }
  | { page: "analytics"; id: string }
  | { page: "admins" }
  | { page: "fan"; adminId: string; slug: string }
  | { page: "stage"; role: "host" | "celebrity"; adminId: string; secret: string }
  | { page: "notFound"; path: string };

const ID = "([A-Za-z0-9_-]+)";

const patterns: Array<[RegExp, (m: string[]) => Route]> = [
  [/^\/$/, () => ({ page: "home" })],
  [/^\/console\/?$/, () => ({ page: "events" })],
  [/^\/console\/events\/new$/, () => ({ page: "eventNew" })],
  [new RegExp(`^/console/events/${ID}/edit$`), (m) => ({ page: "eventEdit", id: m[1] })],
  [new RegExp(`^/console/events/${ID}/analytics$`), (m) => ({ page: "analytics", id: m[1] })],
  [new RegExp(`^/console/events/${ID}$`), (m) => ({ page: "run", id: m[1] })],
  [/^\/admin\/?$/, () => ({ page: "admins" })],
  [new RegExp(`^/show/${ID}/${ID}/?$`), (m) => ({ page: "fan", adminId: m[1], slug: m[2] })],
  [new RegExp(`^/show-host/${ID}/${ID}/?$`), (m) => ({ page: "stage", role: "host", adminId: m[1], secret: m[2] })],
  [new RegExp(`^/show-celebrity/${ID}/${ID}/?$`), (m) => ({ page: "stage", role: "celebrity", adminId: m[1], secret: m[2] })],
];

export function parseRoute(path: string): Route {
  for (const [pattern, make] of patterns) {
    const match = pattern.exec(path);
    if (match) return make(match);
  }
  return { page: "notFound", path };
}

const CHANGED = "app:navigate";

export function navigate(path: string): void {
  if (path === location.pathname) return;
  history.pushState(null, "", path);
  window.dispatchEvent(new Event(CHANGED));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.pathname));
    window.addEventListener("popstate", update);
    window.addEventListener(CHANGED, update);
    return () => {
      window.removeEventListener("popstate", update);
      window.removeEventListener(CHANGED, update);
    };
  }, []);
  return route;
}

/** Absolute URL of a page of this app (links the producer hands out). */
export function pageUrl(path: string): string {
  return new URL(path, location.origin).toString();
}
