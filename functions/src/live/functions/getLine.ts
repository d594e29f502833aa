/**
 * `getLine({eventId})`: the fan line for the producer (the owner admin or a superAdmin), in order:
 * each fan's id, uid (`participantId`), name, state, position among the waiting fans and whether they
 * are in a private call. The owner may also listen to `liveLines/{eventId}` directly.
 */
import { validatedCallable } from "../../platform/callable";
import { lineFor } from "../queue";
import type { CallableOutput } from "../../contract/callables";
import { liveInputs } from "../../contract/callables/live";

export const getLine = validatedCallable({
  name: "getLine",
  input: liveInputs.getLine,
  allow: ["admin", "superAdmin"],
  handler: ({ eventId }, caller): Promise<CallableOutput<"getLine">> => lineFor(caller, eventId),
});
