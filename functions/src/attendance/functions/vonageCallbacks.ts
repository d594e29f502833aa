/**
 * `vonageCallbacks` (HTTP POST): the URL Vonage sends session-monitoring, archive and broadcast
 * callbacks to (see ../receive for what it answers when). Public: Vonage signs its callbacks, and the
 * signature is checked with VONAGE_CALLBACK_SIGNING_SECRET, or with the tenant's own secret when the
 * URL names the tenant (`?tenant=<adminId>`, admins/callbackSecret).
 */
import { onRequest } from "firebase-functions/v2/https";
import { callbackSigningSecret, functionsRegion, tenantSecretKeys } from "../../platform/config";
import { receiveCallback } from "../receive";

export const vonageCallbacks = onRequest(
  { region: functionsRegion, secrets: [callbackSigningSecret, tenantSecretKeys], invoker: "public", timeoutSeconds: 60 },
  receiveCallback,
);
