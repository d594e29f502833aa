/**
 * Input pieces shared by createAdmin and updateAdmin, and the check of a Vonage key/secret pair.
 * Empty strings are refused everywhere: IBS treated `otSecret: ""` as "erase the secret" (flaw 23);
 * dropping credentials is an explicit flag instead.
 */
import { z } from "zod";
import { displayName, email } from "./schemas";
import { alreadyExists, invalidArgument, unavailable } from "./errors";
import type { TenantCredentials } from "./tenants";
import { redact, warn } from "./logs";

/** Firebase Auth needs 6+ characters; we ask for 8 and cap the length so nobody posts megabytes. */
export const password = z.string().min(8).max(128);

/** Vonage Video (OpenTok) API keys are short numeric-looking ids; allow letters too, never empty. */
export const otApiKey = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, "must be a Vonage Video API key (letters, digits, '-' and '_')");

/** The project secret: printable ASCII without spaces (the real ones are 40 hex characters). */
export const otSecret = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[\x21-\x7e]+$/, "must be the Vonage Video API secret (printable characters, no spaces)");

export const adminFields = {
  displayName,
  email,
  superAdmin: z.boolean(),
  hls: z.boolean(),
  httpSupport: z.boolean(),
};

/**
 * Proves a key/secret pair with one cheap authenticated read (lib/vonageOps.verifyCredentials). A
 * refusal is the caller's mistake (invalid-argument); an unreachable Vonage is not (unavailable).
 */
export async function checkVonagePair(credentials: TenantCredentials): Promise<void> {
  // vonageOps loads the opentok SDK: only pay for it when a pair is actually given.
  const { verifyCredentials, VonageError } = await import("./vonageOps");
  try {
    await verifyCredentials(credentials);
  } catch (error) {
    if (error instanceof VonageError && (error.kind === "auth" || error.kind === "notFound")) {
      throw invalidArgument(
        "Vonage refused this API key and secret: check that otApiKey is the key of a Vonage Video project and otSecret is its secret.",
        { field: "otSecret" },
      );
    }
    warn("Vonage credential check failed", { kind: (error as { kind?: string }).kind, detail: redact((error as Error).message) });
    throw unavailable("Could not reach the Vonage Video API to check the API key and secret; try again shortly.");
  }
}

/** Auth refusals that are the caller's mistake; anything else stays unexpected (internal). */
export function authInputError(error: unknown) {
  const code = (error as { code?: string })?.code;
  if (code === "auth/email-already-exists") return alreadyExists("An account with this e-mail address already exists.");
  if (code === "auth/invalid-email") return invalidArgument("Firebase Auth refused this e-mail address.", { field: "email" });
  if (code === "auth/invalid-password") return invalidArgument("Firebase Auth refused this password.", { field: "password" });
  if (code === "auth/invalid-display-name") return invalidArgument("Firebase Auth refused this display name.", { field: "displayName" });
  return undefined;
}
