/**
 * `sendSignal({eventId, type, data, participantId?, session?, requestId?})`: the producer sends a text
 * signal (Vonage's `signal`; type up to 128 characters of letters, digits, '-', '_', '~'; data up to
 * 2,000 characters) to one participant (every open connection of theirs) or to everyone on
 * `session` (`stage`, `backstage` or `both`, the default). Give a `requestId` to make a retried
 * click send once.
 */
import { z } from "zod";
import { id } from "../../platform/schemas";
import { signal } from "../moderation";
import { producerCallable } from "./producerCallable";

export const sendSignal = producerCallable(
  "sendSignal",
  {
    type: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[A-Za-z0-9_~-]+$/, "must contain only letters, digits, '-', '_' and '~'"),
    data: z.string().max(2000),
    participantId: id.optional(),
    session: z.enum(["stage", "backstage", "both"]).optional(),
    requestId: id.optional(),
  },
  ({ eventId, ...input }, caller) => signal(caller, eventId, input),
);
