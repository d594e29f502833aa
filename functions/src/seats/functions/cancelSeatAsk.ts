/**
 * `cancelSeatAsk` ({fanId?}; fan): the fan no longer wants a seat offered (docs/seats.md#upgrade-from-hls).
 * Leaves the queue; a standing offer is given up and its seat goes to the next asker. Idempotent:
 * `cancelled` says whether there was an ask or an offer to cancel.
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { id } from "../../platform/schemas";
import { cancelSeatAsk as cancel } from "../asks";

export const cancelSeatAsk = validatedCallable({
  name: "cancelSeatAsk",
  input: z.object({ fanId: id.optional() }).strict(),
  allow: ["fan"],
  handler: (input, caller) => cancel(caller, input.fanId),
});
