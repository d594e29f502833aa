/**
 * `getBroadcastData`: what an HLS viewer needs, for anyone: name, status, images, whether the show
 * has HLS, and the HLS URL. Readiness rule: `hlsUrl` is given only while the event is live and Vonage
 * has accepted the broadcast (its id and URL are stored); before that, and after close, it is null.
 * Vonage serves the first segments some 15-20 s after the start, so a player retries a 404 playlist
 * for a while (`hlsStartedAt` tells how long ago the broadcast started).
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { db } from "../../platform/firebase";
import { paths } from "../../platform/paths";
import { id, slug } from "../../platform/schemas";
import { notFound } from "../../platform/errors";
import type { EventRecord } from "../model";
import { eventsOfAdmin, oldestFirst, readEvent } from "../store";

const input = z.union([z.object({ adminId: id, slug }).strict(), z.object({ eventId: id }).strict()]);

async function findEvent(data: z.output<typeof input>): Promise<EventRecord | null> {
  if ("eventId" in data) return readEvent(data.eventId);
  const key = (
    await db()
      .ref(`${paths.eventKey(data.adminId, "fan", data.slug)}/eventId`)
      .once("value")
  ).val() as string | null;
  const open = key ? await readEvent(key) : null;
  if (open && open.adminId === data.adminId) return open;
  return (
    oldestFirst(await eventsOfAdmin(data.adminId))
      .filter((event) => event.fanUrl === data.slug)
      .pop() ?? null
  );
}

export const getBroadcastData = validatedCallable({
  name: "getBroadcastData",
  input,
  allow: "anyone",
  handler: async (data) => {
    const event = await findEvent(data);
    if (!event) throw notFound("No such event.");
    const hlsEnabled =
      (
        await db()
          .ref(`${paths.stageGate(event.id)}/hlsEnabled`)
          .once("value")
      ).val() === true;
    const broadcast = event.broadcast;
    const ready = event.status === "live" && broadcast?.status === "started" && Boolean(broadcast.id && broadcast.hlsUrl);
    return {
      eventId: event.id,
      adminId: event.adminId,
      name: event.name,
      status: event.status,
      startImage: event.startImage ?? null,
      endImage: event.endImage ?? null,
      hlsEnabled,
      hlsUrl: ready ? broadcast.hlsUrl! : null,
      hlsStartedAt: ready ? (broadcast.startedAt ?? null) : null,
    };
  },
});
