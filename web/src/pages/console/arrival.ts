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
