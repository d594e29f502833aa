/** `eventGoLive`: the producer's "Go live" (preshow -> live), the same transition as changeStatus. */
import { eventAction } from "./eventAction";
import { changeStatusOrThrow } from "../lifecycle/runner";

export const eventGoLive = eventAction("eventGoLive", (eventId, caller) => changeStatusOrThrow(eventId, "live", caller, "eventGoLive"));
