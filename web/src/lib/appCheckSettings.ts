/**
 * Which App Check provider the pages start (pure, unit-tested in test/web/; no imports). Deployed, the
 * callables refuse calls without an App Check token (ENFORCE_APP_CHECK, on by default), so the pages
 * attest with reCAPTCHA Enterprise or v3, the site key from `/app-config.json` (`appCheck`). On the
 * local stack (a `demo-` project) App Check stays off: the Functions emulator never enforces it, and
 * attesting would reach Google from an offline stack.
 */
export type AppCheckProvider = "recaptchaEnterprise" | "recaptchaV3";

export interface AppCheckSettings {
  provider: AppCheckProvider;
  siteKey: string;
}

/** What the pages do: attest with `settings`, or not at all and why. */
export type AppCheckPlan = { kind: "attest"; settings: AppCheckSettings } | { kind: "off"; reason: "localStack" | "notConfigured" };

const PROVIDERS: readonly AppCheckProvider[] = ["recaptchaEnterprise", "recaptchaV3"];

/** `raw`: the `appCheck` member of /app-config.json (`{provider?, siteKey}`), as read. */
export function appCheckPlan(raw: unknown, localStack: boolean): AppCheckPlan {
  if (localStack) return { kind: "off", reason: "localStack" };
  const given = raw && typeof raw === "object" ? (raw as { provider?: unknown; siteKey?: unknown }) : {};
  const siteKey = typeof given.siteKey === "string" ? given.siteKey.trim() : "";
  if (!siteKey) return { kind: "off", reason: "notConfigured" };
  if (given.provider !== undefined && !PROVIDERS.includes(given.provider as AppCheckProvider)) {
    throw new Error(`app-config.json: appCheck.provider must be one of ${PROVIDERS.join(", ")} (got ${JSON.stringify(given.provider)}).`);
  }
  const provider = (given.provider as AppCheckProvider | undefined) ?? "recaptchaEnterprise";
  return { kind: "attest", settings: { provider, siteKey } };
}
