/**
 * Input schemas shared by createEvent and updateEvent. Strict objects: IBS let any key through and
 * then stored some of them (a client could set `archiveId` or `showStartedAt`).
 */
import { z, slug } from "../platform/schemas";
import { invalidArgument } from "../platform/errors";
import { runsInEmulator } from "../platform/clientAddress";
import type { EventImage } from "./model";

/** More seats than one interactive Vonage session sensibly carries is a typo, not a plan. */
export const MAX_INTERACTIVE_LIMIT = 15_000;

export const eventName = z.string().trim().min(1).max(100);

function parsedUrl(value: string): URL | null {
  try {
    const url = new URL(value);
    // user:password@ in a link a client opens is a phishing trick, never something we need.
    return url.username || url.password ? null : url;
  } catch {
    return null;
  }
}

/** A link clients open (redirectUrl): https only; javascript:, data:, http: and the rest are refused. */
export const httpsUrl = z
  .string()
  .max(2000)
  .refine((value) => parsedUrl(value)?.protocol === "https:", "must be an https:// URL");

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

export const rtmpOutput = z
  .object({
    serverUrl: z
      .string()
      .max(500)
      .regex(/^rtmps?:\/\/[^\s/]+(\/\S*)?$/, "must be an rtmp:// or rtmps:// URL"),
    streamName: z.string().min(1).max(200),
  })
  .strict();

export const rtmpOutputs = z.array(rtmpOutput).max(5, "at most 5 RTMP outputs (Vonage's limit)");

export const interactiveLimit = z.number().int().positive().max(MAX_INTERACTIVE_LIMIT);

export const dateTime = z.iso.datetime({ offset: true });

/** `{id, url}` of an image uploaded to `eventImages/{adminId}/...`; the owner is checked in the handler. */
export const eventImage = z
  .object({
    id: z
      .string()
      .max(300)
      .regex(/^eventImages\/[A-Za-z0-9_-]+\/[A-Za-z0-9._-]+$/, "must be eventImages/{adminId}/{imageId}"),
    url: imageUrl,
  })
  .strict();

export { slug };

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
