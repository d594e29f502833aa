/**
 * `releaseSeat` ({}; fan): leave the interactive session explicitly and free the seat at once (all of
 * the fan's tabs). Idempotent. The client may instead remove its own `seatPath` (the rules allow that
 * uid to delete it), which is also what its `onDisconnect` does when the connection drops.
 */
import { validatedCallable } from "../../platform/callable";
import { leaveSeat } from "../gate";
import type { CallableOutput } from "../../contract/callables";
import { seatInputs } from "../../contract/callables/seats";

export const releaseSeat = validatedCallable({
  name: "releaseSeat",
  input: seatInputs.releaseSeat,
  allow: ["fan"],
  handler: async (_input, caller): Promise<CallableOutput<"releaseSeat">> => {
    await leaveSeat(caller);
    return { released: true };
  },
});
