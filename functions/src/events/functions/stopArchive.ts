/**
 * `stopArchive`: the owner stops the event's archive. Idempotent: on a stopped archive it refreshes
 * the status and download URL from Vonage (the URL appears once the file is available).
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { id } from "../../platform/schemas";
import { stopArchiveNow, VONAGE_SECRETS } from "../lifecycle/runner";

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
