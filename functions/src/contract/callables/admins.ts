/**
 * Admins and their Vonage credentials (API area: admins). The private key's PEM check needs the
 * server's crypto: the input schemas are built from the pieces given (adminInputsWith); the
 * functions give the checked piece (admins/input.ts), clients get `adminInputs`, built with a
 * length-bounded string (same input type).
 */
import { z } from "zod";
import { displayName, email, id, PRINTABLE_NO_SPACES_PATTERN, requestId, URL_SAFE_PATTERN } from "../schemas";
import type { AdminRecord } from "../records";

/** Firebase Auth needs 6+ characters; we ask for 8 and cap the length so nobody posts megabytes. */
export const password = z.string().min(8).max(128);

/** Vonage Video (OpenTok) API keys are short numeric-looking ids; allow letters too, never empty. */
export const otApiKey = z.string().min(1).max(64).regex(URL_SAFE_PATTERN, "must be a Vonage Video API key (letters, digits, '-' and '_')");

/** The project secret: printable ASCII without spaces (the real ones are 40 hex characters). */
export const otSecret = z
  .string()
  .min(1)
  .max(256)
  .regex(PRINTABLE_NO_SPACES_PATTERN, "must be the Vonage Video API secret (printable characters, no spaces)");

/** Application ids are UUIDs; the SDK's own test for "Vonage mode" is this pattern. */
export const APPLICATION_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A Vonage application id (UUID), as shown in the Vonage dashboard; stored lower-case. */
export const vonageApplicationId = z
  .string()
  .regex(APPLICATION_ID_PATTERN, "must be a Vonage application id (a UUID such as 0a1b2c3d-0000-4000-8000-123456789abc)")
  .transform((value) => value.toLowerCase());

/** A 4096-bit PKCS#1 PEM is ~3.2 KiB; 8 KiB leaves room for 8192-bit keys and stray whitespace. */
export const MAX_PRIVATE_KEY_CHARS = 8192;

/** The private key as a client sends it; the functions also parse it (admins/input.ts). */
export const vonagePrivateKeyText = z
  .string()
  .min(1)
  .max(MAX_PRIVATE_KEY_CHARS, `must be at most ${MAX_PRIVATE_KEY_CHARS} characters (a PEM private key)`);

/** Vonage pre-fills a random secret in the dashboard; we take 16-256 printable characters, no spaces. */
export const vonageCallbackSecret = z
  .string()
  .min(16, "must be at least 16 characters (use the random signature secret the Vonage dashboard offers)")
  .max(256)
  .regex(PRINTABLE_NO_SPACES_PATTERN, "must be printable characters without spaces (the application's signature secret)");

export const ONE_CREDENTIAL_KIND =
  "give one credential: a Vonage application (vonageApplicationId + vonagePrivateKey) or a legacy pair (otApiKey + otSecret), not both";

/** The pieces the server checks more deeply than a client can. */
export type AdminInputPieces = {
  vonagePrivateKey: z.ZodType<string, string>;
};

export function adminInputsWith(pieces: AdminInputPieces) {
  /** The profile's flags (who may set `superAdmin` is updateAdmin's check). */
  const flagFields = {
    superAdmin: z.boolean().optional(),
    hls: z.boolean().optional(),
    httpSupport: z.boolean().optional(),
  };
  /** An admin's own Vonage credential, either kind; which fields go together each function refines. */
  const credentialFields = {
    otApiKey: otApiKey.optional(),
    otSecret: otSecret.optional(),
    vonageApplicationId: vonageApplicationId.optional(),
    vonagePrivateKey: pieces.vonagePrivateKey.optional(),
  };
  const createAdmin = z
    .object({
      displayName,
      email,
      password,
      ...flagFields,
      ...credentialFields,
      vonageCallbackSecret: vonageCallbackSecret.optional(),
      requestId,
    })
    .strict()
    .refine((value) => (value.otApiKey === undefined) === (value.otSecret === undefined), {
      message: "give both otApiKey and otSecret, or neither (the admin then uses the project-wide credentials)",
      path: ["otSecret"],
    })
    .refine((value) => (value.vonageApplicationId === undefined) === (value.vonagePrivateKey === undefined), {
      message: "give both vonageApplicationId and vonagePrivateKey, or neither (the admin then uses the project-wide credentials)",
      path: ["vonagePrivateKey"],
    })
    .refine((value) => value.otApiKey === undefined || value.vonageApplicationId === undefined, {
      message: ONE_CREDENTIAL_KIND,
      path: ["vonageApplicationId"],
    });
  const updateAdmin = z
    .object({
      id,
      displayName: displayName.optional(),
      email: email.optional(),
      password: password.optional(),
      ...flagFields,
      ...credentialFields,
      clearCredentials: z.literal(true).optional(),
      vonageCallbackSecret: vonageCallbackSecret.optional(),
      clearVonageCallbackSecret: z.literal(true).optional(),
    })
    .strict()
    .refine((value) => !(value.clearVonageCallbackSecret && value.vonageCallbackSecret !== undefined), {
      message: "clearVonageCallbackSecret cannot come with vonageCallbackSecret",
      path: ["clearVonageCallbackSecret"],
    })
    .refine(
      (value) =>
        !(
          value.clearCredentials &&
          (value.otApiKey !== undefined ||
            value.otSecret !== undefined ||
            value.vonageApplicationId !== undefined ||
            value.vonagePrivateKey !== undefined)
        ),
      {
        message: "clearCredentials cannot come with otApiKey, otSecret, vonageApplicationId or vonagePrivateKey",
        path: ["clearCredentials"],
      },
    )
    .refine(
      (value) =>
        !(
          (value.otApiKey !== undefined || value.otSecret !== undefined) &&
          (value.vonageApplicationId !== undefined || value.vonagePrivateKey !== undefined)
        ),
      { message: ONE_CREDENTIAL_KIND, path: ["vonageApplicationId"] },
    );
  return {
    createAdmin,
    updateAdmin,
    deleteAdmin: z.object({ id }).strict(),
    getAdmin: z.object({ id }).strict(),
    getAdmins: z.object({}).strict(),
  };
}

/** The admin inputs for clients (and for the API reference): the private key only length-checked. */
export const adminInputs = adminInputsWith({ vonagePrivateKey: vonagePrivateKeyText });

/** The profile as answered: the record with the credential fields always present. */
export type AdminProfile = Omit<AdminRecord, "vonageApplicationId" | "credentialKind" | "hasOwnCallbackSigning"> & {
  vonageApplicationId: string;
  credentialKind: "legacy" | "application" | null;
  hasOwnCallbackSigning: boolean;
};

export type AdminOutputs = {
  createAdmin: { admin: AdminProfile };
  updateAdmin: { admin: AdminProfile };
  deleteAdmin: { id: string; existed: boolean; removedEvents: number };
  getAdmin: { admin: AdminProfile };
  /** Every admin's profile by uid. */
  getAdmins: { admins: Record<string, AdminProfile> };
};
