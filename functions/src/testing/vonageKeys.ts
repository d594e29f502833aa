/**
 * RSA key pairs for tests of Vonage application credentials, made once per test run (generating a
 * 2048-bit key takes ~50-200 ms). Nothing here is a real credential.
 */
import { generateKeyPairSync, type KeyObject } from "node:crypto";

export interface TestApplication {
  applicationId: string;
  /** PKCS#8 PEM, what the Vonage dashboard downloads. */
  privateKeyPkcs8: string;
  /** PKCS#1 PEM ("BEGIN RSA PRIVATE KEY"), what many `.env` examples hold. */
  privateKeyPkcs1: string;
  publicKeyPem: string;
  publicKey: KeyObject;
}

const made = new Map<string, TestApplication>();

export function testApplication(applicationId = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", bits = 2048): TestApplication {
  const key = `${applicationId}/${bits}`;
  let application = made.get(key);
  if (!application) {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: bits });
    application = {
      applicationId,
      privateKeyPkcs8: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      privateKeyPkcs1: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
      publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
      publicKey,
    };
    made.set(key, application);
  }
  return application;
}

/** A second application, for isolation tests. */
export const OTHER_APPLICATION_ID = "5f4e3d2c-1b0a-4987-8654-3210fedcba98";
