/**
 * `cancelSeatAsk` ({fanId?}; fan): the fan no longer wants a seat offered (docs/seats.md#upgrade-from-hls).
 * Leaves the queue; a standing offer is given up and its seat goes to the next asker. Idempotent:
 * `cancelled` says whether there was an ask or an offer to cancel.
 */
import { validatedCallable } from "../../platform/callable";
import type { CallableOutput } from "../../contract/callables";
import { seatInputs } from "../../contract/callables/seats";
import { cancelSeatAsk as cancel } from "../asks";

export const cancelSeatAsk = validatedCallable({
  name: "cancelSeatAsk",
  input: seatInputs.cancelSeatAsk,
  allow: ["fan"],
  handler: (input, caller): Promise<CallableOutput<"cancelSeatAsk">> => cancel(caller, input.fanId),
});
