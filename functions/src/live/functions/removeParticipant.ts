/**
 * `removeParticipant({eventId, participantId})`: the producer removes a fan, host or celebrity (by
 * uid: getLine's `participantId`) from the show for good: refused every new token for it, out of the
 * line, seat freed, and force-disconnected from both sessions. Idempotent; a Vonage failure answers
 * unavailable and a repeat finishes the disconnects.
 */
import { removeParticipant as remove } from "../moderation";
import { producerCallable } from "./producerCallable";

export const removeParticipant = producerCallable("removeParticipant", ({ eventId, participantId }, caller) =>
  remove(caller, eventId, participantId),
);
