/**
 * `updateEvent`: the owner (or a superAdmin) changes some fields of an event that is not closed.
 * The fan slug changes only before preshow (fans' links and the live record hang on it); archive and
 * broadcast settings only before the show is live (they act at go-live); the interactive limit any time
 * before close, reaching the seat gate and the live record at once. A replaced image is deleted, an
 * unchanged one never (IBS deleted images the form merely re-sent: docs/ibs-flaws.md#16).
 */
import { validatedCallable } from "../../platform/callable";
import { updateEventFor } from "../update";
import type { CallableOutput } from "../../contract/callables";
import { ownerEventOf } from "../../contract/callables/events";
import { eventCallableInputs } from "../input";

export const updateEvent = validatedCallable({
  name: "updateEvent",
  input: eventCallableInputs.updateEvent,
  allow: ["admin"],
  handler: (data, caller): Promise<CallableOutput<"updateEvent">> => updateEventFor(caller, data).then(ownerEventOf),
});
