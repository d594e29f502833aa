/**
 * The check of a Vonage credential, and the Auth refusals that are the caller's mistake (the input
 * schemas are the contract's, built with the private key check in ./callableInputs).
 * Empty strings are refused everywhere: IBS treated `otSecret: ""` as "erase the secret" (docs/ibs-flaws.md#23);
 * dropping credentials is an explicit flag instead.
 */
import { alreadyExists, invalidArgument, unavailable } from "../platform/errors";
import { redact, warn } from "../platform/logs";
import type { VonageCredential } from "../platform/vonage/credentials";

export { vonageApplicationId } from "../contract/callables/admins";
export { vonagePrivateKey } from "./callableInputs";

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
