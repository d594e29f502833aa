/**
 * Every setting the functions read, as Firebase params: secrets come from Secret Manager in production
 * and from `.secret.local` / the environment in the local stack; the rest have safe defaults so that
 * nothing must be configured to start.
 */
import { defineInt, defineSecret, defineString, defineBoolean } from "firebase-functions/params";

/** Project-wide Vonage credentials, used for admins who have none of their own (single-tenant setups). */
export const vonageApiKey = defineString("VONAGE_API_KEY", {
  default: "",
  description: "Vonage Video API key used for admins without their own credentials (empty: none).",
});
export const vonageApiSecret = defineSecret("VONAGE_API_SECRET");

/**
 * Project-wide Vonage application (what new Vonage customers have): its id here, its private key
 * (PEM, PEM with `\n` escapes, or base64 of the PEM) in the secret. When both kinds are set, the
 * application serves.
 */
export const vonageApplicationId = defineString("VONAGE_APPLICATION_ID", {
  default: "",
  description: "Vonage application id (UUID) used for admins without their own credentials (empty: none).",
});
export const vonagePrivateKey = defineSecret("VONAGE_PRIVATE_KEY");

/** Base URL of the legacy OpenTok REST API (API key + secret); the local stack points it at the stand-in. */
export const vonageApiUrl = defineString("VONAGE_API_URL", {
  default: "https://api.opentok.com",
  description: "OpenTok (legacy API key + secret) REST API base URL.",
});
/** Base URL of the Vonage Video REST API for application credentials; the local stack points it at the stand-in. */
export const vonageVideoApiUrl = defineString("VONAGE_VIDEO_API_URL", {
  default: "https://video.api.vonage.com",
  description: "Vonage Video REST API base URL for application credentials (application id + private key).",
});
export const vonageTimeoutMs = defineInt("VONAGE_TIMEOUT_MS", {
  default: 8000,
  description: "Timeout of one Vonage REST call in ms (well under the function timeout).",
});

/**
 * Keys that encrypt tenants' Vonage secrets at rest: `kid:base64(32 bytes)` entries separated by commas,
 * the first one encrypts, all of them decrypt (rotation: put the new key first, keep the old ones).
 */
export const tenantSecretKeys = defineSecret("TENANT_SECRET_KEYS");

/** Shared secret Vonage signs its callbacks with (empty: every callback is refused, see below). */
export const callbackSigningSecret = defineSecret("VONAGE_CALLBACK_SIGNING_SECRET");
export const allowUnsignedCallbacks = defineBoolean("ALLOW_UNSIGNED_CALLBACKS", {
  default: false,
  description:
    "Local stack only (ignored outside the Functions emulator): accept unsigned Vonage callbacks while VONAGE_CALLBACK_SIGNING_SECRET is empty.",
});

export const defaultInteractiveLimit = defineInt("DEFAULT_INTERACTIVE_LIMIT", {
  default: 50,
  description: "Seats in the interactive (WebRTC) session of an event that does not set its own limit.",
});
/** Seats backed by Vonage connections (seats/confirm): how long a claim may wait for its connection. */
export const seatConfirmSeconds = defineInt("SEAT_CONFIRM_SECONDS", {
  default: 60,
  description: "Seconds a fan's seat waits for its Vonage stage connection (connectionCreated) before another join may reclaim it.",
});
export const seatConfirmation = defineBoolean("SEAT_CONFIRMATION", {
  default: true,
  description: "Seats need a confirmed Vonage connection; turn off where session-monitoring callbacks are not configured.",
});
/** Upgrade offers from HLS (seats/offers): how long a freed seat is held for the fan it is offered to. */
export const seatOfferHoldSeconds = defineInt("SEAT_OFFER_HOLD_SECONDS", {
  default: 30,
  description: "Seconds a freed seat is held for the HLS viewer it is offered to (askForSeat) before it passes to the next one.",
});
export const tokenLifetimeMinutes = defineInt("TOKEN_LIFETIME_MINUTES", {
  default: 360,
  description: "How long Vonage client tokens stay valid (capped at Vonage's 30 days).",
});
export const broadcastDrainSeconds = defineInt("BROADCAST_DRAIN_SECONDS", {
  default: 30,
  description: "Delay between closing a show and stopping its HLS/RTMP broadcast (HLS trails 15-20 s).",
});
export const imageRetentionDays = defineInt("IMAGE_RETENTION_DAYS", {
  default: 3,
  description: "Days after a show closed before its event images are deleted.",
});
export const functionsRegion = defineString("FUNCTIONS_REGION", {
  default: "us-central1",
  description: "Region the functions are deployed to.",
});
export const enforceAppCheck = defineBoolean("ENFORCE_APP_CHECK", {
  default: true,
  description: "Reject callable requests without a valid App Check token (never enforced in the Functions emulator).",
});
export const rateLimitPerMinute = defineInt("RATE_LIMIT_PER_MINUTE", {
  default: 30,
  description: "Login and token calls one user may make per minute.",
});

export const fanLoginsPerAddressPerMinute = defineInt("FAN_LOGINS_PER_ADDRESS_PER_MINUTE", {
  default: 30,
  description: "loginFan calls one network address may make per event per minute, across all instances (each can become a seat).",
});

/** The most Vonage accepts for a token's lifetime. */
export const VONAGE_MAX_TOKEN_SECONDS = 30 * 24 * 3600;

/**
 * The secrets every function that reaches Vonage (REST or tokens) must bind: the key ring that opens
 * tenants' sealed credentials and both kinds of project-wide fallback.
 */
export const VONAGE_CREDENTIAL_SECRETS = [tenantSecretKeys, vonageApiSecret, vonagePrivateKey];
