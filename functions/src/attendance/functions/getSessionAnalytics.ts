/**
 * `getSessionAnalytics({eventId})`: attendance of one show for its producer (or a superAdmin), from the
 * intervals the Vonage callbacks recorded. Fixes the 100ms sample: minutes are numbers, summed per
 * participant (not per connection) as the union of their intervals, and a participant still connected
 * is reported as such (`connected`, `lastLeaveAt: null`) and counted up to now, or up to the show's end
 * once it has ended.
 */
import { validatedCallable } from "../../platform/callable";
import { sessionAnalytics } from "../analytics";
import type { CallableOutput } from "../../contract/callables";
import { analyticsInputs } from "../../contract/callables/analytics";

export const getSessionAnalytics = validatedCallable({
  name: "getSessionAnalytics",
  input: analyticsInputs.getSessionAnalytics,
  allow: ["admin", "superAdmin"],
  handler: ({ eventId }, caller): Promise<CallableOutput<"getSessionAnalytics">> => sessionAnalytics(caller, eventId),
});
