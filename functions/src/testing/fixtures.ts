/**
 * Test data written straight to the database with the Admin SDK (rules bypassed), through the same
 * patch builders the functions use, so fixtures have the shapes the functions write.
 */
import { randomBytes } from "node:crypto";
import { db } from "../platform/firebase";
import { eventIndexPatch } from "../events/derived";
import type { EventRecord } from "../events/model";
import { credentialProfile, credentialsPatch } from "../admins/store";
import { asCredential, type VonageCredential } from "../platform/vonage/credentials";
import { forgetCredentials } from "../admins/tenants";
import type { AdminRecord } from "../admins/records";
import { paths } from "../contract/paths";
import { LOCAL_VONAGE, resetDatabase, useFakeAuth } from "./harness";
import { resetSeatWatchesForTests } from "../seats/gate";
import { resetEventIdentitiesForTests } from "../seats/showTokens";

/** A session id in the shape Vonage mints (the SDK and our signer decode the API key from it). */
export function fakeSessionId(apiKey = LOCAL_VONAGE.apiKey): string {
  return "1_" + Buffer.from(`1~${apiKey}~~${new Date().toUTCString()}~${Math.random()}~`).toString("base64url");
}

export function linkSecretForTests(): string {
  return randomBytes(18).toString("base64url");
}

export async function seedAdmin(
  uid: string,
  overrides: Partial<AdminRecord> = {},
  given: VonageCredential | { apiKey: string; apiSecret: string } | null = LOCAL_VONAGE,
): Promise<AdminRecord> {
  const credentials = given ? asCredential(given) : null;
  const record: AdminRecord = {
    id: uid,
    displayName: `Admin ${uid}`,
    email: `${uid}@example.com`,
    superAdmin: false,
    hls: true,
    httpSupport: false,
    ...credentialProfile(credentials),
    createdAt: Date.now(),
    updatedAt: Date.now(),
    ...overrides,
  };
  const patch: Record<string, unknown> = { [paths.admin(uid)]: record };
  if (credentials) Object.assign(patch, credentialsPatch(uid, credentials));
  await db().ref().update(patch);
  // The write bypasses the functions: drop what this instance cached of the uid's earlier credential.
  forgetCredentials(uid);
  return record;
}

export async function seedEvent(adminId: string, overrides: Partial<EventRecord> = {}, hlsEnabled = true): Promise<EventRecord> {
  const id = overrides.id ?? db().ref("events").push().key;
  const now = Date.now();
  const event: EventRecord = {
    id,
    adminId,
    name: `Show ${id}`,
    fanUrl: `show-${id.toLowerCase().replace(/[^a-z0-9]/g, "")}`,
    hostUrl: linkSecretForTests(),
    celebrityUrl: linkSecretForTests(),
    status: "notStarted",
    archiveEvent: false,
    uncomposed: false,
    interactiveLimit: 5,
    sessionId: fakeSessionId(),
    stageSessionId: fakeSessionId(),
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
  await db()
    .ref()
    .update(eventIndexPatch(event, null, hlsEnabled));
  return event;
}

/**
 * A fresh start for the token and seat suites: an empty database, no cached identities or seat
 * listeners, an in-memory Auth, admin `adm1` and one event of theirs.
 */
export async function freshShow(overrides: Partial<EventRecord> = {}): Promise<EventRecord> {
  useFakeAuth();
  resetSeatWatchesForTests();
  resetEventIdentitiesForTests();
  await resetDatabase();
  await seedAdmin("adm1");
  return seedEvent("adm1", overrides);
}
