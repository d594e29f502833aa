/** `getEvent`: the full event (secrets and session ids included) for its owner or a superAdmin. */
import { z } from "zod";
import { validatedCallable } from "../lib/callable";
import { id } from "../lib/schemas";
import { loadOwnedEvent } from "../lib/eventStore";

export const getEvent = validatedCallable({
  name: "getEvent",
  input: z.object({ id }).strict(),
  allow: ["admin"],
  handler: async ({ id: eventId }, caller) => loadOwnedEvent(eventId, caller),
});
