/**
 * `joinLine({fanId, name?})`: a seated fan gets in line for the show in their login. Answers their
 * `position` and `linePath`: listen to it (position and state) and register
 * `onDisconnect(ref(db, linePath)).remove()` at once. Idempotent: a repeat keeps the fan's place.
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { id } from "../../platform/schemas";
import { joinLine as join } from "../queue";

export const joinLine = validatedCallable({
  name: "joinLine",
  input: z.object({ fanId: id, name: z.string().trim().min(1).max(60).optional() }).strict(),
  allow: ["fan"],
  rateLimited: true,
  handler: ({ fanId, name }, caller) => join(caller, fanId, name ?? "Anonymous"),
});
