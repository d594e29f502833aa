/** `getEvent`: the full event (secrets and session ids included) for its owner or a superAdmin. */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { id } from "../../platform/schemas";
import { loadOwnedEvent } from "../queries";

export const getEvent = validatedCallable({
  name: "getEvent",
  input: z.object({ id }).strict(),
  allow: ["admin"],
  handler: async ({ id: eventId }, caller) => loadOwnedEvent(eventId, caller),
});
