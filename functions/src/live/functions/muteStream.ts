/**
 * `muteStream({eventId, streamId})`: the producer mutes one stream's audio at Vonage (the client cannot
 * undo it; only its publisher can publish audio again). The stream must be known from Vonage's
 * streamCreated callback.
 */
import { muteStream as mute } from "../moderation";
import { producerCallable } from "./producerCallable";

export const muteStream = producerCallable("muteStream", ({ eventId, streamId: stream }, caller) => mute(caller, eventId, stream));
