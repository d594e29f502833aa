/** `leaveLine({fanId})`: the fan leaves the line (also after the show closed). Idempotent. */
import { validatedCallable } from "../../platform/callable";
import { leaveLine as leave } from "../queue";
import type { CallableOutput } from "../../contract/callables";
import { liveInputs } from "../../contract/callables/live";

export const leaveLine = validatedCallable({
  name: "leaveLine",
  input: liveInputs.leaveLine,
  allow: ["fan"],
  handler: ({ fanId }, caller): Promise<CallableOutput<"leaveLine">> => leave(caller, fanId),
});
