/**
 * `sendSignal({eventId, type, data, participantId?, session?, requestId?})`: the producer sends a text
 * signal (Vonage's `signal`; type up to 128 characters of letters, digits, '-', '_', '~'; data up to
 * 2,000 characters) to one participant (every open connection of theirs) or to everyone on
 * `session` (`stage`, `backstage` or `both`, the default). Give a `requestId` to make a retried
 * click send once.
 */
import { signal } from "../moderation";
import { producerCallable } from "./producerCallable";

export const sendSignal = producerCallable("sendSignal", ({ eventId, ...input }, caller) => signal(caller, eventId, input));
