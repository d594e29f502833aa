/**
 * Shared set-up of the functions' unit tests: one firebase-functions-test instance (a second one prints
 * config warnings), local param values, an in-process database server enforcing the real rules, and an
 * in-memory Auth. Nothing here ships: the deploy (firebase.json `ignore`) leaves out the sources,
 * every *.test.js, and the compiled testing/ and tests/ folders, which only tests import.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import functionsTest from "firebase-functions-test";
import { randomUUID } from "node:crypto";
import type { Auth } from "firebase-admin/auth";
import { db, setAdminAuthForTests } from "../platform/firebase";
import { forgetRevocations } from "../platform/revocation";
import type { LegacyCredential } from "../platform/vonage/credentials";

const repoRoot = path.resolve(__dirname, "..", "..", "..");

// eslint-disable-next-line @typescript-eslint/no-require-imports
const localConfig = require(path.join(repoRoot, "local", "config.cjs"));

process.env.GCLOUD_PROJECT ??= localConfig.PROJECT_ID;
Object.assign(process.env, localConfig.LOCAL_SECRETS, {
  VONAGE_API_KEY: localConfig.LOCAL_VONAGE.apiKey,
  RATE_LIMIT_PER_MINUTE: "1000",
  FAN_LOGINS_PER_ADDRESS_PER_MINUTE: "1000",
  // Deployed projects enforce App Check by default; the unit tests call without it (callable.test turns it on).
  ENFORCE_APP_CHECK: "false",
  FUNCTIONS_LOG_QUIET: process.env.FUNCTIONS_LOG_QUIET ?? "true",
});

export const fft = functionsTest();
export const LOCAL_VONAGE = localConfig.LOCAL_VONAGE as LegacyCredential;

interface Closeable {
  close(): Promise<void>;
}
const cleanups: Array<() => Promise<void>> = [];
(globalThis as { __ibsCleanups?: typeof cleanups }).__ibsCleanups = cleanups;

export interface TestDatabase extends Closeable {
  port: number;
  emulatorHost: string;
  getData(path?: string): unknown;
  setData(path: string, value: unknown): void;
  reset(data?: unknown): void;
  stats(): Record<string, unknown>;
  resetStats(): void;
  /** The next `attempts` transaction attempts at `path` or below lose (local/database-server). */
  contend(path: string, attempts: number): void;
  endContention(): void;
}

let databasePromise: Promise<TestDatabase> | undefined;
/** The server running now (a restart replaces it). */
let currentDatabase: TestDatabase | undefined;

/** One database server per test run; every call after the first returns the same one. */
export function testDatabase(): Promise<TestDatabase> {
  databasePromise ??= (async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { startDatabaseServer } = require(path.join(repoRoot, "local", "database-server"));
    const server = (await startDatabaseServer({
      port: 0,
      host: "127.0.0.1",
      rulesFile: path.join(repoRoot, "database.rules.json"),
    })) as TestDatabase;
    process.env.FIREBASE_DATABASE_EMULATOR_HOST = server.emulatorHost;
    currentDatabase = server;
    cleanups.push(async () => {
      await db()
        .app.delete()
        .catch(() => undefined);
      await currentDatabase?.close();
      fs.rmSync(path.join(os.tmpdir(), `ibs-test-database-${process.pid}.json`), { force: true });
    });
    return server;
  })();
  return databasePromise;
}

/**
 * Restarts the test database server as `npm start`'s would restart: it stops (every client's
 * connection drops; queued onDisconnect ops are not run, as in a crash), stays down `downMs`, and
 * comes back on the same port with the data it persisted (the stack's `persistFile`). Clients
 * (firebase-admin, web SDKs) reconnect on their own.
 */
export async function restartTestDatabase(downMs = 0): Promise<TestDatabase> {
  const server = await testDatabase();
  const persistFile = path.join(os.tmpdir(), `ibs-test-database-${process.pid}.json`);
  fs.writeFileSync(persistFile, JSON.stringify(server.getData("/") ?? null));
  currentDatabase = undefined;
  await server.close();
  await new Promise((resolve) => setTimeout(resolve, downMs));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startDatabaseServer } = require(path.join(repoRoot, "local", "database-server"));
  const restarted = (await startDatabaseServer({
    port: server.port,
    host: "127.0.0.1",
    rulesFile: path.join(repoRoot, "database.rules.json"),
    persistFile,
  })) as TestDatabase;
  currentDatabase = restarted;
  databasePromise = Promise.resolve(restarted);
  return restarted;
}

/** Empties the database between tests (admin writes bypass rules). */
export async function resetDatabase(data: Record<string, unknown> = {}): Promise<void> {
  (await testDatabase()).endContention();
  forgetRevocations();
  await db()
    .ref()
    .set(Object.keys(data).length ? data : null);
}

/** In-memory stand-in for firebase-admin Auth: just what the functions call. */
export class FakeAuth {
  users = new Map<
    string,
    { uid: string; email?: string; displayName?: string; password?: string; customClaims?: Record<string, unknown>; disabled?: boolean }
  >();
  customTokens: Array<{ uid: string; claims?: Record<string, unknown> }> = [];

  async createUser(props: { uid?: string; email?: string; password?: string; displayName?: string }) {
    if (props.email && [...this.users.values()].some((user) => user.email === props.email?.toLowerCase())) {
      throw Object.assign(new Error("The email address is already in use by another account."), { code: "auth/email-already-exists" });
    }
    const uid = props.uid ?? randomUUID().replace(/-/g, "").slice(0, 28);
    const user = { uid, email: props.email?.toLowerCase(), displayName: props.displayName, password: props.password };
    this.users.set(uid, user);
    return user;
  }
  async getUser(uid: string) {
    const user = this.users.get(uid);
    if (!user) throw Object.assign(new Error("no user"), { code: "auth/user-not-found" });
    return user;
  }
  async getUserByEmail(email: string) {
    const user = [...this.users.values()].find((candidate) => candidate.email === email.toLowerCase());
    if (!user) throw Object.assign(new Error("no user"), { code: "auth/user-not-found" });
    return user;
  }
  async updateUser(uid: string, props: Record<string, unknown>) {
    const user = await this.getUser(uid);
    Object.assign(user, props, typeof props.email === "string" ? { email: props.email.toLowerCase() } : {});
    return user;
  }
  async deleteUser(uid: string) {
    await this.getUser(uid);
    this.users.delete(uid);
  }
  async setCustomUserClaims(uid: string, claims: Record<string, unknown> | null) {
    const user = await this.getUser(uid);
    user.customClaims = claims ?? undefined;
  }
  async createCustomToken(uid: string, claims?: Record<string, unknown>) {
    this.customTokens.push({ uid, claims });
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    return `${encode({ alg: "none", typ: "JWT" })}.${encode({ uid, claims })}.`;
  }
  async revokeRefreshTokens() {
    /* nothing to revoke in memory */
  }
}

export function useFakeAuth(): FakeAuth {
  const fake = new FakeAuth();
  setAdminAuthForTests(fake as unknown as Auth);
  return fake;
}

/** The `auth` part of a callable request, as the Functions runtime builds it from an ID token. */
export function authFor(uid: string, claims: Record<string, unknown> = {}, provider = "custom") {
  return { uid, token: { uid, sub: uid, firebase: { sign_in_provider: provider }, ...claims } };
}

/** Calls a wrapped callable and returns the HttpsError it throws (fails the test if it does not). */
export async function expectHttpsError(
  promise: Promise<unknown>,
  code: string,
): Promise<{ code: string; message: string; details?: unknown }> {
  try {
    await promise;
  } catch (error) {
    const err = error as { code: string; message: string; details?: unknown };
    if (err.code !== code) {
      throw new Error(`expected HttpsError ${code}, got ${err.code}: ${err.message}`);
    }
    return err;
  }
  throw new Error(`expected HttpsError ${code}, but the call succeeded`);
}
