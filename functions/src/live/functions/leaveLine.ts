/** `leaveLine({fanId})`: the fan leaves the line (also after the show closed). Idempotent. */
import { validatedCallable } from "../../platform/callable";
import { z } from "zod";
import { id } from "../../platform/schemas";
import { leaveLine as leave } from "../queue";

export const leaveLine = validatedCallable({
  name: "leaveLine",
  input: z.object({ fanId: id }).strict(),
  allow: ["fan"],
  handler: ({ fanId }, caller) => leave(caller, fanId),
});
