/**
 * The server's part of the event inputs (where an image may be loaded from depends on where the
 * functions run; the schemas are the contract's, contract/callables/events.ts), and the checks
 * createEvent and updateEvent make after parsing.
 */
import { z } from "zod";
import { eventInputsWith, parsedUrl } from "../contract/callables/events";
import { invalidArgument } from "../platform/errors";
import { runsInEmulator } from "../platform/clientAddress";
import type { EventImage } from "./model";

export { MAX_INTERACTIVE_LIMIT, httpsUrl } from "../contract/callables/events";

/**
 * Where clients load an event image from: https (the project's Storage download URLs are), or, in the
 * Functions emulator only, an http URL on a loopback host: the local stack serves everything over
 * plain http on 127.0.0.1 (the Hosting emulator's sample images, a Storage emulator's download URLs).
 */
export function isImageUrl(value: string): boolean {
  const url = parsedUrl(value);
  if (!url) return false;
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && runsInEmulator() && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
}

export const imageUrl = z
  .string()
  .max(2000)
  .refine(isImageUrl, "must be an https:// URL (or, in the local stack, a Storage emulator download URL)");

/** The event callables' inputs (the contract's), with the functions' image URL check. */
export const eventCallableInputs = eventInputsWith({ imageUrl });

/** Images must live in the owner's own folder (storage.rules lets admins write only there). */
export function checkImageOwner(adminId: string, images: Record<string, EventImage | null | undefined>): void {
  const issues = Object.entries(images)
    .filter(([, image]) => image && !image.id.startsWith(`eventImages/${adminId}/`))
    .map(([field]) => ({ path: `${field}.id`, message: `must be under eventImages/${adminId}/`, code: "custom" }));
  if (issues.length) throw invalidArgument(`Invalid input: ${issues[0].path}: ${issues[0].message}`, { issues });
}

export function checkDates(start: string | null | undefined, end: string | null | undefined): void {
  if (start && end && Date.parse(end) < Date.parse(start)) {
    const issue = { path: "dateTimeEnd", message: "must not be before dateTimeStart", code: "custom" };
    throw invalidArgument(`Invalid input: ${issue.path}: ${issue.message}`, { issues: [issue] });
  }
}
