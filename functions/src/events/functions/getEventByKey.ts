/**
 * `getEventByKey`: public fields of an admin's event by its fan slug. An open event is found through
 * its slug entry (one read); a slug no open event holds falls back to the newest closed event that
 * used it, so a fan opening an old link sees that the show ended.
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { db } from "../../platform/firebase";
import { paths } from "../../platform/paths";
import { id, slug } from "../../platform/schemas";
import { notFound } from "../../platform/errors";
import { publicEvent } from "../model";
import { eventsOfAdmin, oldestFirst, readEvent } from "../store";

export const getEventByKey = validatedCallable({
  name: "getEventByKey",
  input: z.object({ adminId: id, slug }).strict(),
  allow: "anyone",
  handler: async ({ adminId, slug: fanUrl }) => {
    const key = (
      await db()
        .ref(`${paths.eventKey(adminId, "fan", fanUrl)}/eventId`)
        .once("value")
    ).val() as string | null;
    const open = key ? await readEvent(key) : null;
    if (open && open.adminId === adminId && open.fanUrl === fanUrl) return publicEvent(open);
    const closed = oldestFirst(await eventsOfAdmin(adminId))
      .filter((event) => event.fanUrl === fanUrl)
      .pop();
    if (!closed) throw notFound("No event with that admin and fan URL.");
    return publicEvent(closed);
  },
});
