/**
 * The callable shape of the owner's actions on one event that reach Vonage (go live, end the show,
 * start or stop the archive, delete): input `{id}`, admins only (the domain checks the owner), the
 * Vonage credential secrets, and a timeout with room for retried Vonage calls.
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { VONAGE_CREDENTIAL_SECRETS } from "../../platform/config";
import type { Caller } from "../../platform/roles";
import { id } from "../../platform/schemas";

export function eventAction<R>(name: string, run: (eventId: string, caller: Caller) => Promise<R>) {
  return validatedCallable({
    name,
    input: z.object({ id }).strict(),
    allow: ["admin"],
    secrets: VONAGE_CREDENTIAL_SECRETS,
    options: { timeoutSeconds: 120 },
    handler: ({ id: eventId }, caller) => run(eventId, caller),
  });
}
