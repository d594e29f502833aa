/**
 * `stopArchive`: the owner stops the event's archive. Idempotent: on a stopped archive it refreshes
 * the status and download URL from Vonage (the URL appears once the file is available).
 */
import { z } from "zod";
import { validatedCallable } from "../lib/callable";
import { id } from "../lib/schemas";
import { stopArchiveNow, VONAGE_SECRETS } from "../lib/lifecycle";

export const stopArchive = validatedCallable({
  name: "stopArchive",
  input: z.object({ id }).strict(),
  allow: ["admin"],
  secrets: VONAGE_SECRETS,
  options: { timeoutSeconds: 120 },
  handler: async ({ id: eventId }, caller) => {
    const event = await stopArchiveNow(eventId, caller);
    return { eventId, archive: event.archive ?? null };
  },
});
