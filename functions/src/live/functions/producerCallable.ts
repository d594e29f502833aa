/**
 * The callable shape of the producer's floor actions: `{eventId, ...}` input, admins only (the domain
 * checks the event's owner or a superAdmin), the Vonage credential secrets and a timeout with room
 * for retried Vonage calls.
 */
import { z } from "zod";
import type { output, ZodRawShape } from "zod";
import { validatedCallable } from "../../platform/callable";
import { VONAGE_CREDENTIAL_SECRETS } from "../../platform/config";
import type { Caller } from "../../platform/roles";
import { id } from "../../platform/schemas";

export function producerCallable<S extends ZodRawShape, R>(
  name: string,
  shape: S,
  run: (input: output<z.ZodObject<S & { eventId: typeof id }>>, caller: Caller) => Promise<R>,
) {
  return validatedCallable({
    name,
    input: z.object({ eventId: id, ...shape }).strict(),
    allow: ["admin", "superAdmin"],
    secrets: VONAGE_CREDENTIAL_SECRETS,
    options: { timeoutSeconds: 120 },
    handler: (input, caller) => run(input as never, caller),
  });
}
