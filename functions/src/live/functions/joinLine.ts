/**
 * `joinLine({fanId, name?})`: a seated fan gets in line for the show in their login. Answers their
 * `position` and `linePath`: listen to it (position and state) and register
 * `onDisconnect(ref(db, linePath)).remove()` at once. Idempotent: a repeat keeps the fan's place.
 */
import { validatedCallable } from "../../platform/callable";
import { joinLine as join } from "../queue";
import type { CallableOutput } from "../../contract/callables";
import { liveInputs } from "../../contract/callables/live";

export const joinLine = validatedCallable({
  name: "joinLine",
  input: liveInputs.joinLine,
  allow: ["fan"],
  rateLimited: true,
  handler: ({ fanId, name }, caller): Promise<CallableOutput<"joinLine">> => join(caller, fanId, name ?? "Anonymous"),
});
