/**
 * The admin callables' inputs: the contract's schemas (contract/callables/admins.ts) built with the
 * server's private key check. Throws nothing: every admin function file imports it (the API
 * reference lists the error codes of a function file's imports).
 */
import { z } from "zod";
import { adminInputsWith, vonagePrivateKeyText } from "../contract/callables/admins";
import { parsePrivateKey, PrivateKeyError } from "../platform/vonage/credentials";

/**
 * The application's RSA private key: PEM (PKCS#8 "BEGIN PRIVATE KEY" or PKCS#1 "BEGIN RSA PRIVATE
 * KEY"), 2048 bits or more; normalised to PKCS#8. The messages never quote the key.
 */
export const vonagePrivateKey = vonagePrivateKeyText.transform((value, context) => {
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

/** The admin callables' inputs (the contract's), with the private key parsed. */
export const adminCallableInputs = adminInputsWith({ vonagePrivateKey });
