/**
 * `getBroadcastData`: what an HLS viewer needs, for anyone: name, status, images, whether the show
 * has HLS, and the HLS URL. Readiness rule: `hlsUrl` is given only while the event is live and Vonage
 * has accepted the broadcast (its id and URL are stored); before that, and after close, it is null.
 * Vonage serves the first segments some 15-20 s after the start, so a player retries a 404 playlist
 * for a while (`hlsStartedAt` tells how long ago the broadcast started).
 */
import { validatedCallable } from "../../platform/callable";
import { broadcastData } from "../queries";
import type { CallableOutput } from "../../contract/callables";
import { eventCallableInputs } from "../input";

export const getBroadcastData = validatedCallable({
  name: "getBroadcastData",
  input: eventCallableInputs.getBroadcastData,
  allow: "anyone",
  handler: (data): Promise<CallableOutput<"getBroadcastData">> => broadcastData(data),
});
