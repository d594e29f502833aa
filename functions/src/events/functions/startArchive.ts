/**
 * `startArchive`: the owner starts recording the stage during a live show. Idempotent: a running
 * archive is returned as is; a failed start records the error and a repeat call retries it (finding
 * an archive Vonage started despite a lost answer instead of starting a second one).
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { id } from "../../platform/schemas";
import { startArchiveNow, VONAGE_SECRETS } from "../lifecycle/runner";

export const startArchive = validatedCallable({
  name: "startArchive",
  input: z.object({ id }).strict(),
  allow: ["admin"],
  secrets: VONAGE_SECRETS,
  options: { timeoutSeconds: 120 },
  handler: async ({ id: eventId }, caller) => {
    const event = await startArchiveNow(eventId, caller);
    return { eventId, archive: event.archive ?? null };
  },
});
