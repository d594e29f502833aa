/**
 * Lazily initialised Firebase Admin handles: a function that never touches the database or Auth never
 * pays for loading those modules at cold start.
 */
import type { App } from "firebase-admin/app";
import type { Database } from "firebase-admin/database";
import type { Auth } from "firebase-admin/auth";

let app: App | undefined;
let database: Database | undefined;
let auth: Auth | undefined;

export function adminApp(): App {
  if (!app) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { getApps, initializeApp } = require("firebase-admin/app") as typeof import("firebase-admin/app");
    app = getApps()[0] ?? initializeApp(defaultAppOptions());
  }
  return app;
}

/** In the emulators FIREBASE_CONFIG carries the project; tests without it still need a database URL. */
function defaultAppOptions(): import("firebase-admin/app").AppOptions | undefined {
  if (process.env.FIREBASE_CONFIG) return undefined;
  const projectId = process.env.GCLOUD_PROJECT || process.env.GCP_PROJECT || "demo-interactive-broadcast";
  return { projectId, databaseURL: `https://${projectId}-default-rtdb.firebaseio.com` };
}

export function db(): Database {
  if (!database) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { getDatabase } = require("firebase-admin/database") as typeof import("firebase-admin/database");
    database = getDatabase(adminApp());
  }
  return database;
}

export function adminAuth(): Auth {
  if (!auth) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { getAuth } = require("firebase-admin/auth") as typeof import("firebase-admin/auth");
    auth = getAuth(adminApp());
  }
  return auth;
}

/** Unit tests swap in an in-memory Auth (the Auth emulator is for the integration suite). */
export function setAdminAuthForTests(fake: Auth | undefined): void {
  auth = fake;
}

/** The RTDB server timestamp placeholder, without loading the database module for it. */
/**
 * Removes, in one multi-path update, up to `limit` children of `path` whose `field` is at most
 * `cutoff` (expired entries found through an `.indexOn` on that field); returns how many went.
 */
export async function removeChildrenUpTo(path: string, field: string, cutoff: number, limit: number): Promise<number> {
  const due = await db().ref(path).orderByChild(field).endAt(cutoff).limitToFirst(limit).once("value");
  const removals: Record<string, null> = {};
  due.forEach((child) => {
    removals[`${path}/${child.key}`] = null;
  });
  const count = Object.keys(removals).length;
  if (count) await db().ref().update(removals);
  return count;
}

export const SERVER_TIMESTAMP = { ".sv": "timestamp" } as const;
