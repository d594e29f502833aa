/**
 * `muteStream({eventId, streamId})`: the producer mutes one stream's audio at Vonage (the client cannot
 * undo it; only its publisher can publish audio again). The stream must be known from Vonage's
 * streamCreated callback.
 */
import { z } from "zod";
import { muteStream as mute } from "../moderation";
import { producerCallable } from "./producerCallable";

const streamId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_~=+-]+$/, "must be a Vonage stream id");

export const muteStream = producerCallable("muteStream", { streamId }, ({ eventId, streamId: stream }, caller) =>
  mute(caller, eventId, stream),
);
