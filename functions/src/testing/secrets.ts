/**
 * Whole-answer secret checks: an answer (a callable's result, an error's message and details) is
 * scanned as the client receives it, JSON, at every depth, keys included, for any of the strings the
 * caller names (Vonage secrets, private keys, sealed ciphertexts, key material). Generic on purpose:
 * each test passes the credentials of its own case, whatever their kind.
 */
import assert from "node:assert/strict";

export interface SecretLeak {
  /** Where in the answer, as `$.admin.otSecret` or `$.admins[0]` (`<key>` when a key holds it). */
  at: string;
  /** Which forbidden string (its position in the list: the value itself is not repeated). */
  forbidden: number;
}

/** Every place in `answer` (after a JSON round trip) whose key or string value contains a forbidden string. */
export function secretLeaks(answer: unknown, forbidden: readonly string[]): SecretLeak[] {
  forbidden.forEach((value, index) => {
    // An empty (or missing) secret would match everything, or nothing: either way a broken check.
    assert.ok(typeof value === "string" && value.length > 0, `forbidden string ${index} is empty or not a string`);
  });
  const text = JSON.stringify(answer);
  if (text === undefined) return [];
  const leaks: SecretLeak[] = [];
  const scan = (value: string, at: string) => {
    forbidden.forEach((secret, index) => {
      if (value.includes(secret)) leaks.push({ at, forbidden: index });
    });
  };
  const walk = (node: unknown, at: string) => {
    if (typeof node === "string") scan(node, at);
    else if (Array.isArray(node)) node.forEach((item, index) => walk(item, `${at}[${index}]`));
    else if (node !== null && typeof node === "object") {
      for (const [key, child] of Object.entries(node)) {
        scan(key, `${at}.<${key.slice(0, 20)}>`);
        walk(child, `${at}.${key}`);
      }
    }
  };
  walk(JSON.parse(text), "$");
  return leaks;
}

/** Fails, naming the places (never the secrets), when any forbidden string appears in the answer. */
export function assertNoSecrets(answer: unknown, forbidden: readonly string[], label = "the answer"): void {
  const leaks = secretLeaks(answer, forbidden);
  assert.deepEqual(
    leaks.map(({ at, forbidden: index }) => `${at} holds forbidden string #${index}`),
    [],
    `${label} leaks a secret`,
  );
}

/** What a callable's client sees of a thrown HttpsError: code, message and details. */
export function errorAnswer(error: unknown): { code?: unknown; message?: unknown; details?: unknown } {
  const { code, message, details } = (error ?? {}) as { code?: unknown; message?: unknown; details?: unknown };
  return { code, message, details };
}

/**
 * The secrets of the local configuration the unit tests run with (local/config.cjs): the project's
 * Vonage secret, the callback signing secret, and the tenant key ring with each key's material.
 */
export function localSecrets(env: NodeJS.ProcessEnv = process.env): string[] {
  const values = [env.VONAGE_API_SECRET, env.VONAGE_CALLBACK_SIGNING_SECRET, env.TENANT_SECRET_KEYS];
  for (const entry of (env.TENANT_SECRET_KEYS ?? "").split(",")) {
    const material = entry.slice(entry.indexOf(":") + 1).trim();
    if (material)
      values.push(material, Buffer.from(material, "base64").toString("base64url"), Buffer.from(material, "base64").toString("hex"));
  }
  return [...new Set(values.filter((value): value is string => typeof value === "string" && value.length > 0))];
}
