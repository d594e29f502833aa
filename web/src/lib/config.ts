/**
 * Runtime configuration, so one build serves deployed and local. Deployed, Firebase Hosting answers
 * `/__/firebase/init.json` with the project's web config. A `demo-` project exists only on the local
 * stack: the stack writes its addresses to `/local-stack/<hosting port>.json` (local/hosting.cjs).
 */
import type { FirebaseOptions } from "firebase/app";
import { appCheckPlan, type AppCheckPlan } from "./appCheckSettings";

export interface LocalEmulators {
  auth: string;
  functions: { host: string; port: number };
  database: { host: string; port: number };
}

export interface AppConfig {
  firebase: FirebaseOptions;
  functionsRegion: string;
  emulators: LocalEmulators | null;
  /** Firebase Storage for event image uploads (none on the offline local stack). */
  storage: boolean;
  /** The local Vonage stand-in: media is simulated (no media server). Null when deployed. */
  vonageStandin: string | null;
  /** App Check: attest deployed (the site key from app-config.json), off on the local stack. */
  appCheck: AppCheckPlan;
}

interface AppSettings {
  functionsRegion?: string;
  /** `{provider: "recaptchaEnterprise" | "recaptchaV3", siteKey}` (docs/web.md, "App Check"). */
  appCheck?: unknown;
}

interface LocalStackFile {
  firebase: FirebaseOptions;
  functionsRegion: string;
  emulators: LocalEmulators;
  storage: boolean;
  vonageStandin: string;
}

async function json<T>(path: string): Promise<T> {
  const response = await fetch(path, { cache: "no-cache" });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${response.statusText}`);
  return (await response.json()) as T;
}

let loaded: Promise<AppConfig> | undefined;

export function loadConfig(): Promise<AppConfig> {
  loaded ??= (async () => {
    const [settings, firebase] = await Promise.all([
      json<AppSettings>("/app-config.json"),
      json<FirebaseOptions>("/__/firebase/init.json"),
    ]);
    if (firebase.projectId?.startsWith("demo-")) {
      const local = await json<LocalStackFile>(`/local-stack/${location.port}.json`);
      return { ...local, emulators: local.emulators, vonageStandin: local.vonageStandin, appCheck: appCheckPlan(settings.appCheck, true) };
    }
    return {
      firebase,
      functionsRegion: settings.functionsRegion ?? "us-central1",
      emulators: null,
      storage: true,
      vonageStandin: null,
      appCheck: appCheckPlan(settings.appCheck, false),
    };
  })();
  return loaded;
}

let current: AppConfig | undefined;

/** The configuration, once main.tsx has loaded it. */
export function config(): AppConfig {
  if (!current) throw new Error("configuration not loaded yet");
  return current;
}

export function setConfig(value: AppConfig): void {
  current = value;
}
