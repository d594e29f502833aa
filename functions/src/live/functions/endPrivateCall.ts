/** `endPrivateCall({eventId})`: the producer ends the private call, whoever it is with. Idempotent. */
import { endPrivateCall as end } from "../floor";
import { producerCallable } from "./producerCallable";

export const endPrivateCall = producerCallable("endPrivateCall", ({ eventId }, caller) => end(caller, eventId));
