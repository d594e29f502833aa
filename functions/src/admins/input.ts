/**
 * Input pieces shared by createAdmin and updateAdmin, and the check of a Vonage key/secret pair.
 * Empty strings are refused everywhere: IBS treated `otSecret: ""` as "erase the secret" (docs/ibs-flaws.md#23);
 * dropping credentials is an explicit flag instead.
 */
import { z } from "zod";
import { displayName, email } from "../platform/schemas";
import { alreadyExists, invalidArgument, unavailable } from "../platform/errors";
import { redact, warn } from "../platform/logs";
import {
  APPLICATION_ID_PATTERN,
  MAX_PRIVATE_KEY_CHARS,
  parsePrivateKey,
  PrivateKeyError,
  type VonageCredential,
} from "../platform/vonage/credentials";

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

/** A Vonage application id (UUID), as shown in the Vonage dashboard; stored lower-case. */
export const vonageApplicationId = z
  .string()
  .regex(APPLICATION_ID_PATTERN, "must be a Vonage application id (a UUID such as 0a1b2c3d-0000-4000-8000-123456789abc)")
  .transform((value) => value.toLowerCase());

/**
 * The application's RSA private key: PEM (PKCS#8 "BEGIN PRIVATE KEY" or PKCS#1 "BEGIN RSA PRIVATE
 * KEY"), 2048 bits or more; normalised to PKCS#8. The messages never quote the key.
 */
export const vonagePrivateKey = z
  .string()
  .min(1)
  .max(MAX_PRIVATE_KEY_CHARS, `must be at most ${MAX_PRIVATE_KEY_CHARS} characters (a PEM private key)`)
  .transform((value, context) => {
    try {
      return parsePrivateKey(value).pkcs8Pem;
    } catch (error) {
      context.addIssue({
        code: "custom",
        message: error instanceof PrivateKeyError ? error.message : "is not a usable RSA private key",
      });
      return z.NEVER;
    }
  });

export { displayName, email };

/** The profile's flags (who may set `superAdmin` is updateAdmin's check). */
export const flagFields = {
  superAdmin: z.boolean().optional(),
  hls: z.boolean().optional(),
  httpSupport: z.boolean().optional(),
};

/** An admin's own Vonage credential, either kind; which fields go together each function refines. */
export const credentialFields = {
  otApiKey: otApiKey.optional(),
  otSecret: otSecret.optional(),
  vonageApplicationId: vonageApplicationId.optional(),
  vonagePrivateKey: vonagePrivateKey.optional(),
};

export const ONE_CREDENTIAL_KIND =
  "give one credential: a Vonage application (vonageApplicationId + vonagePrivateKey) or a legacy pair (otApiKey + otSecret), not both";

/**
 * Proves a credential of either kind with one cheap authenticated read (platform/vonage/operations verifyCredentials).
 * A refusal is the caller's mistake (invalid-argument, saying which field to fix); an unreachable
 * Vonage is not (unavailable).
 */
export async function checkVonagePair(credentials: VonageCredential): Promise<void> {
  // The operations module loads the opentok SDK: only pay for it when a credential is actually given.
  const { verifyCredentials, VonageError } = await import("../platform/vonage/operations");
  try {
    await verifyCredentials(credentials);
  } catch (error) {
    if (error instanceof VonageError && (error.kind === "auth" || error.kind === "forbidden" || error.kind === "notFound")) {
      throw refusal(credentials, error.kind);
    }
    warn("Vonage credential check failed", { kind: (error as { kind?: string }).kind, detail: redact((error as Error).message) });
    throw unavailable(
      credentials.kind === "application"
        ? "Could not reach the Vonage Video API to check the application id and private key; try again shortly."
        : "Could not reach the Vonage Video API to check the API key and secret; try again shortly.",
    );
  }
}

function refusal(credentials: VonageCredential, kind: "auth" | "forbidden" | "notFound") {
  if (credentials.kind === "legacy") {
    return invalidArgument(
      "Vonage refused this API key and secret: check that otApiKey is the key of a Vonage Video project and otSecret is its secret.",
      { field: "otSecret" },
    );
  }
  if (kind === "forbidden") {
    return invalidArgument(
      "Vonage denied this application access to the Video API: turn on the Video capability of the application in the Vonage dashboard (Applications > Edit > Capabilities > Video), then try again.",
      { field: "vonageApplicationId" },
    );
  }
  if (kind === "notFound") {
    return invalidArgument("Vonage does not know this application id: copy it from the Vonage dashboard (Applications).", {
      field: "vonageApplicationId",
    });
  }
  return invalidArgument(
    "Vonage refused this application id and private key: the private key must be the one generated for this application (Vonage dashboard > Applications > Edit > Generate public and private key).",
    { field: "vonagePrivateKey" },
  );
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
