/**
 * `getLine({eventId})`: the fan line for the producer (the owner admin or a superAdmin), in order:
 * each fan's id, uid (`participantId`), name, state, position among the waiting fans and whether they
 * are in a private call. The owner may also listen to `liveLines/{eventId}` directly.
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { id } from "../../platform/schemas";
import { lineFor } from "../queue";

export const getLine = validatedCallable({
  name: "getLine",
  input: z.object({ eventId: id }).strict(),
  allow: ["admin", "superAdmin"],
  handler: ({ eventId }, caller) => lineFor(caller, eventId),
});
