/**
 * `getEventByKey`: public fields of an admin's event by its fan slug. An open event is found through
 * its slug entry (one read); a slug no open event holds falls back to the newest closed event that
 * used it, so a fan opening an old link sees that the show ended.
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { id, slug } from "../../platform/schemas";
import { publicEventBySlug } from "../queries";

export const getEventByKey = validatedCallable({
  name: "getEventByKey",
  input: z.object({ adminId: id, slug }).strict(),
  allow: "anyone",
  handler: ({ adminId, slug: fanUrl }) => publicEventBySlug(adminId, fanUrl),
});
