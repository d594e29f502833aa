/**
 * `getSessionAnalytics({eventId})`: attendance of one show for its producer (or a superAdmin), from the
 * intervals the Vonage callbacks recorded. Fixes the 100ms sample: minutes are numbers, summed per
 * participant (not per connection) as the union of their intervals, and a participant still connected
 * is reported as such (`connected`, `lastLeaveAt: null`) and counted up to now, or up to the show's end
 * once it has ended.
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { id } from "../../platform/schemas";
import { sessionAnalytics } from "../analytics";

export const getSessionAnalytics = validatedCallable({
  name: "getSessionAnalytics",
  input: z.object({ eventId: id }).strict(),
  allow: ["admin", "superAdmin"],
  handler: ({ eventId }, caller) => sessionAnalytics(caller, eventId),
});
