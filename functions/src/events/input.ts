/**
 * Input schemas shared by createEvent and updateEvent. Strict objects: IBS let any key through and
 * then stored some of them (a client could set `archiveId` or `showStartedAt`).
 */
import { z, slug } from "../platform/schemas";
import { invalidArgument } from "../platform/errors";
import type { EventImage } from "./model";

/** More seats than one interactive Vonage session sensibly carries is a typo, not a plan. */
export const MAX_INTERACTIVE_LIMIT = 15_000;

export const eventName = z.string().trim().min(1).max(100);

export const httpsUrl = z
  .string()
  .max(2000)
  .refine((value) => {
    try {
      return new URL(value).protocol === "https:";
    } catch {
      return false;
    }
  }, "must be an https:// URL");

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
    url: z.url().max(2000),
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
