/**
 * Shared zod pieces of the callable inputs. Objects are strict: an unknown key is a client bug we
 * report instead of ignoring (IBS let unknown keys through and then wrote some of them).
 */
import { z } from "zod";

/** Letters, digits, '-' and '_': ids, link secrets and API keys (nothing that means something in a path or URL). */
export const URL_SAFE_PATTERN = /^[A-Za-z0-9_-]+$/;
/** Printable ASCII without spaces: secrets as the Vonage dashboard shows them. */
export const PRINTABLE_NO_SPACES_PATTERN = /^[\x21-\x7e]+$/;

/** Firebase uids and RTDB push ids: printable, no path characters. */
export const id = z.string().min(1).max(128).regex(URL_SAFE_PATTERN, "must contain only letters, digits, '-' and '_'");

/** Fan-facing event slug derived from the name: lower-case words joined by '-'. */
export const slug = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be lower-case letters and digits separated by '-'");

/** Host and celebrity link secrets: 22+ base64url characters (>= 128 bits). */
export const linkSecret = z.string().min(22).max(64).regex(URL_SAFE_PATTERN, "must be a base64url secret");

export const email = z.email().max(254);
export const displayName = z.string().trim().min(1).max(100);

/** The optional `requestId` of a create: 8-64 characters a client generates once per intended creation. */
export const requestId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, "must be 8-64 letters, digits, '-' or '_' (e.g. a UUID)")
  .optional();

/** An event's states, in lifecycle order. */
export const EVENT_STATUSES = ["notStarted", "preshow", "live", "closed"] as const;
/** An event's status as stored (contract/records). */
export const eventStatusRecord = z.enum(EVENT_STATUSES);
/** An image of an event as stored (contract/records). */
export const eventImageRecord = z.object({ id: z.string(), url: z.string() });
export const eventStatus = z.enum(EVENT_STATUSES);

export { z };
