/**
 * `endBroadcast`: the producer's "End show" (-> closed), the same transition as changeStatus. The
 * broadcast keeps running for the drain delay so HLS viewers see the end; a task stops it.
 */
import { eventAction } from "./eventAction";
import { changeStatusOrThrow } from "../lifecycle/runner";

export const endBroadcast = eventAction("endBroadcast", (eventId, caller) =>
  changeStatusOrThrow(eventId, "closed", caller, "endBroadcast"),
);
