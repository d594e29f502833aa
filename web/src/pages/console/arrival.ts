/**
 * The order of the line as this producer saw fans arrive. The backend keeps no server-side queue yet
 * (issue #17): entries carry no time, so the order is that of first sight, kept per event in this tab
 * (a reload keeps it); entries already there when the page opened keep their key order.
 */
import { useMemo } from "preact/hooks";

function load(key: string): string[] {
  try {
    const value = JSON.parse(sessionStorage.getItem(key) ?? "[]") as unknown;
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
  } catch {
    return [];
  }
}

export function useArrivalOrder(eventId: string, keys: string[]): string[] {
  const storageKey = `ibs:line:${eventId}`;
  const joined = keys.join("\n");
  return useMemo(() => {
    const present = new Set(keys);
    const seen = load(storageKey).filter((key) => present.has(key));
    const known = new Set(seen);
    for (const key of [...keys].sort()) if (!known.has(key)) seen.push(key);
    sessionStorage.setItem(storageKey, JSON.stringify(seen));
    return seen;
  }, [storageKey, joined]);
}

/** Names of fans as seen in the line, kept after the show for the attendance table. */
export function rememberNames(eventId: string, names: Record<string, string>): Record<string, string> {
  const key = `ibs:names:${eventId}`;
  let stored: Record<string, string> = {};
  try {
    stored = (JSON.parse(localStorage.getItem(key) ?? "{}") as Record<string, string>) ?? {};
  } catch {
    stored = {};
  }
  const merged = { ...stored, ...names };
  if (JSON.stringify(merged) !== JSON.stringify(stored)) localStorage.setItem(key, JSON.stringify(merged));
  return merged;
}
