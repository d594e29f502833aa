/**
 * One Firebase app per kind of page, each with its own Auth state: a producer signed in with e-mail in
 * one tab and a fan (custom token) in another on the same origin never replace each other. Fans and
 * stage guests keep their sign-in per tab (session persistence), so each tab is one participant and a
 * reload keeps the same one (and its seat).
 */
import { initializeApp, type FirebaseApp } from "firebase/app";
import { initializeAppCheck, ReCaptchaEnterpriseProvider, ReCaptchaV3Provider } from "firebase/app-check";
import {
  browserLocalPersistence,
  browserSessionPersistence,
  connectAuthEmulator,
  indexedDBLocalPersistence,
  initializeAuth,
  type Auth,
} from "firebase/auth";
import { connectFunctionsEmulator, getFunctions, type Functions } from "firebase/functions";
import { connectDatabaseEmulator, getDatabase, type Database } from "firebase/database";
import { api, type Api } from "@interactive-broadcast/client";
import { config } from "./config";

export type AppKind = "producer" | "fan" | "stage";

export interface Backend {
  app: FirebaseApp;
  auth: Auth;
  functions: Functions;
  db: Database;
  api: Api;
}

const made = new Map<AppKind, Backend>();
let warnedNoAppCheck = false;

/** Deployed, before any call: the callables refuse calls without an App Check token (ENFORCE_APP_CHECK). */
function startAppCheck(app: FirebaseApp): void {
  const plan = config().appCheck;
  if (plan.kind === "off") {
    if (plan.reason === "notConfigured" && !warnedNoAppCheck) {
      warnedNoAppCheck = true;
      console.warn("App Check is not configured (appCheck.siteKey in /app-config.json): calls are refused where ENFORCE_APP_CHECK is on.");
    }
    return;
  }
  const { provider, siteKey } = plan.settings;
  initializeAppCheck(app, {
    provider: provider === "recaptchaV3" ? new ReCaptchaV3Provider(siteKey) : new ReCaptchaEnterpriseProvider(siteKey),
    isTokenAutoRefreshEnabled: true,
  });
}

export function backend(kind: AppKind): Backend {
  const existing = made.get(kind);
  if (existing) return existing;
  const settings = config();
  const app = initializeApp(settings.firebase, kind);
  startAppCheck(app);
  const auth = initializeAuth(app, {
    persistence: kind === "producer" ? [indexedDBLocalPersistence, browserLocalPersistence] : browserSessionPersistence,
  });
  const functions = getFunctions(app, settings.functionsRegion);
  const db = getDatabase(app);
  const emulators = settings.emulators;
  if (emulators) {
    connectAuthEmulator(auth, emulators.auth, { disableWarnings: true });
    connectFunctionsEmulator(functions, emulators.functions.host, emulators.functions.port);
    connectDatabaseEmulator(db, emulators.database.host, emulators.database.port);
  }
  // The local emulator runs each call in a worker on 2 cores: a generous deadline.
  const created: Backend = { app, auth, functions, db, api: api(functions, { timeout: 120_000 }) };
  made.set(kind, created);
  return created;
}
