/**
 * `getEventByKey`: public fields of an admin's event by its fan slug. An open event is found through
 * its slug entry (one read); a slug no open event holds falls back to the newest closed event that
 * used it, so a fan opening an old link sees that the show ended.
 */
import { validatedCallable } from "../../platform/callable";
import { publicEventBySlug } from "../queries";
import type { CallableOutput } from "../../contract/callables";
import { eventCallableInputs } from "../input";

export const getEventByKey = validatedCallable({
  name: "getEventByKey",
  input: eventCallableInputs.getEventByKey,
  allow: "anyone",
  handler: ({ adminId, slug: fanUrl }): Promise<CallableOutput<"getEventByKey">> => publicEventBySlug(adminId, fanUrl),
});
