/**
 * Events, the show lifecycle, the broadcast and the archive (API areas: events, broadcast, archive).
 * Strict objects: IBS let any key through and then stored some of them (a client could set `archiveId`
 * or `showStartedAt`). Where a client may load an image from depends on where the functions run (the
 * emulator allows loopback http): the inputs are built from that piece (eventInputsWith); the
 * functions give theirs (events/input.ts), clients get `eventInputs` (https only; same input type).
 */
import { z } from "zod";
import { eventStatus, id, requestId, slug } from "../schemas";
import type { ArchiveState, EventImage, EventRecord, EventStatus, LifecycleState } from "../records";

/** More seats than one interactive Vonage session sensibly carries is a typo, not a plan. */
export const MAX_INTERACTIVE_LIMIT = 15_000;

export const eventName = z.string().trim().min(1).max(100);

/** The URL, unless it does not parse or carries user:password@ (a phishing trick in a link clients open). */
export function parsedUrl(value: string): URL | null {
  try {
    const url = new URL(value);
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

/** Where clients load an event image from, as a client checks it: https only. */
export const httpsImageUrl = z
  .string()
  .max(2000)
  .refine((value) => parsedUrl(value)?.protocol === "https:", "must be an https:// URL");

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

/** The pieces that depend on where the functions run. */
export type EventInputPieces = {
  imageUrl: z.ZodType<string, string>;
};

export function eventInputsWith(pieces: EventInputPieces) {
  /** `{id, url}` of an image uploaded to `eventImages/{adminId}/...`; the owner is checked in the handler. */
  const eventImage = z
    .object({
      id: z
        .string()
        .max(300)
        .regex(/^eventImages\/[A-Za-z0-9_-]+\/[A-Za-z0-9._-]+$/, "must be eventImages/{adminId}/{imageId}"),
      url: pieces.imageUrl,
    })
    .strict();
  const createEvent = z
    .object({
      adminId: id.optional(),
      name: eventName,
      fanUrl: slug.optional(),
      archiveEvent: z.boolean().optional(),
      uncomposed: z.boolean().optional(),
      redirectUrl: httpsUrl.optional(),
      rtmpOutputs: rtmpOutputs.optional(),
      interactiveLimit: interactiveLimit.optional(),
      dateTimeStart: dateTime.optional(),
      dateTimeEnd: dateTime.optional(),
      startImage: eventImage.optional(),
      endImage: eventImage.optional(),
      requestId,
    })
    .strict();
  const updateEvent = z
    .object({
      id,
      name: eventName.optional(),
      fanUrl: slug.optional(),
      archiveEvent: z.boolean().optional(),
      uncomposed: z.boolean().optional(),
      redirectUrl: httpsUrl.nullable().optional(),
      rtmpOutputs: rtmpOutputs.nullable().optional(),
      interactiveLimit: interactiveLimit.optional(),
      dateTimeStart: dateTime.nullable().optional(),
      dateTimeEnd: dateTime.nullable().optional(),
      startImage: eventImage.nullable().optional(),
      endImage: eventImage.nullable().optional(),
    })
    .strict();
  /** The owner's one-event actions (events/functions/eventAction). */
  const oneEvent = z.object({ id }).strict();
  return {
    createEvent,
    updateEvent,
    deleteEvent: oneEvent,
    getEvent: z.object({ id }).strict(),
    getEvents: z.object({ adminId: id.optional() }).strict(),
    getEventsByAdmin: z.object({ adminId: id }).strict(),
    getEventByKey: z.object({ adminId: id, slug }).strict(),
    getMostRecentEvent: z.object({ adminId: id }).strict(),
    changeStatus: z.object({ id, status: eventStatus }).strict(),
    eventGoLive: oneEvent,
    endBroadcast: oneEvent,
    getBroadcastData: z.union([z.object({ adminId: id, slug }).strict(), z.object({ eventId: id }).strict()]),
    startArchive: oneEvent,
    stopArchive: oneEvent,
  };
}

/** The event inputs for clients (and for the API reference): images on https only. */
export const eventInputs = eventInputsWith({ imageUrl: httpsImageUrl });

/** Fields anyone may see (public event lists, HLS viewers). */
export const PUBLIC_EVENT_FIELDS = [
  "id",
  "adminId",
  "name",
  "fanUrl",
  "status",
  "dateTimeStart",
  "dateTimeEnd",
  "startImage",
  "endImage",
  "redirectUrl",
] as const;
export type PublicEvent = Pick<EventRecord, (typeof PUBLIC_EVENT_FIELDS)[number]>;

/** A status change as its owner sees it: the lease that serialises runners is internal. */
export type OwnerLifecycle = Omit<LifecycleState, "lease" | "unfinishedSince">;

/** The event as answered to its owner: the stored record without the lifecycle's internals. */
export type OwnerEvent = Omit<EventRecord, "lifecycle" | "imagesClosedAt"> & {
  lifecycle?: OwnerLifecycle | null;
};

/**
 * The owner's view of a stored event: what `OwnerEvent` promises and no more (the lifecycle's lease and
 * backstop mark, and the image-cleanup mark, are the server's bookkeeping).
 */
export function ownerEventOf(record: EventRecord): OwnerEvent {
  const { lifecycle, imagesClosedAt: _imagesClosedAt, ...event } = record;
  if (!lifecycle) return lifecycle === null ? { ...event, lifecycle: null } : event;
  const { lease: _lease, unfinishedSince: _unfinishedSince, ...owned } = lifecycle;
  return { ...event, lifecycle: owned };
}

export type BroadcastData = {
  eventId: string;
  adminId: string;
  name: string;
  status: EventStatus;
  startImage: EventImage | null;
  endImage: EventImage | null;
  hlsEnabled: boolean;
  hlsUrl: string | null;
  hlsStartedAt: number | null;
};

export type ArchiveAnswer = {
  eventId: string;
  archive: ArchiveState | null;
};

export type EventOutputs = {
  createEvent: OwnerEvent;
  updateEvent: OwnerEvent;
  deleteEvent: { id: string; deleted: boolean };
  getEvent: OwnerEvent;
  /** The admin's events by id. */
  getEvents: Record<string, OwnerEvent>;
  getEventsByAdmin: PublicEvent[];
  getEventByKey: PublicEvent;
  /** The newest live event, else the newest preshow event; null when there is none. */
  getMostRecentEvent: PublicEvent | null;
  changeStatus: OwnerEvent;
  eventGoLive: OwnerEvent;
  endBroadcast: OwnerEvent;
  getBroadcastData: BroadcastData;
  startArchive: ArchiveAnswer;
  stopArchive: ArchiveAnswer;
};
