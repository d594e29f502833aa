/**
 * `askForSeat` ({fanId?}; fan): an HLS viewer asks to be offered the next seat that frees
 * (docs/seats.md#upgrade-from-hls). Answers `waiting` (in the queue: watch your
 * `seatOffers/{eventId}/{uid}`) or `offered` (a seat is held for you until `expiresAt`: call
 * createTokensFan). Idempotent: asking again keeps your first place and any offer. A seated fan, or a
 * show that is not open, is `failed-precondition`; a full queue `resource-exhausted`.
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { id } from "../../platform/schemas";
import { askForSeat as ask } from "../asks";

export const askForSeat = validatedCallable({
  name: "askForSeat",
  input: z.object({ fanId: id.optional() }).strict(),
  allow: ["fan"],
  rateLimited: true,
  handler: (input, caller) => ask(caller, input.fanId),
});
