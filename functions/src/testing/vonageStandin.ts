/**
 * The Vonage Video API stand-in for unit tests, in process: the functions' real `opentok` SDK calls it
 * over HTTP, so session, archive and broadcast calls, conflicts and injected faults are the real ones.
 * One per test run; `useVonageStandin()` also points VONAGE_API_URL at it (call it in beforeEach: other
 * suites may point the variable elsewhere).
 */
import path from "node:path";
import { LOCAL_VONAGE } from "./harness";
import { testApplication } from "./vonageKeys";

export interface StandinArchive {
  id: string;
  sessionId: string;
  status: string;
  outputMode?: string;
  url?: string | null;
}
export interface StandinBroadcast {
  id: string;
  sessionId: string;
  status: string;
  broadcastUrls?: { hls?: string };
}
export interface VonageStandin {
  url: string;
  state(): {
    archives: StandinArchive[];
    broadcasts: StandinBroadcast[];
    sessions: Array<{ id: string }>;
    requests: Array<{ method: string; path: string; status?: number | string | null; fault?: string }>;
  };
  injectFault(spec: {
    method?: string;
    path?: string;
    pathRegex?: string;
    status?: number;
    delayMs?: number;
    count?: number;
    reset?: boolean;
  }): unknown;
  clearFaults(): void;
  reset(): void;
  addProject(apiKey: string, secret: string): unknown;
  addApplication(applicationId: string, publicKeyPem: string, options?: { video?: boolean }): { applicationId: string; video: boolean };
  createSession(options: { apiKey: string } | { applicationId: string }): { sessionId: string };
  connectClient(
    sessionId: string,
    options: { token?: string; data?: string; role?: string },
  ): { connectionId: string; role: string; via?: string; data?: string };
  close(): Promise<void>;
}

export type TestVonage = VonageStandin;

const repoRoot = path.resolve(__dirname, "..", "..", "..");
let standinPromise: Promise<VonageStandin> | undefined;

export async function useVonageStandin(): Promise<VonageStandin> {
  standinPromise ??= (async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { startVonageStandin } = require(path.join(repoRoot, "local", "vonage-standin"));
    const standin = (await startVonageStandin({
      port: 0,
      host: "127.0.0.1",
      projects: { [LOCAL_VONAGE.apiKey]: LOCAL_VONAGE.apiSecret },
      // The unit tests' Vonage application (testing/vonageKeys), beside the legacy project.
      applications: { [testApplication().applicationId]: { publicKey: testApplication().publicKeyPem, video: true } },
      emptySessionStopMs: -1,
      // An archive becomes available this long after its stop (the stand-in's default is 100 ms):
      // long enough that a suite reading "stopped" right after a stop is not racing the clock on a
      // loaded machine, short enough for stopArchive's test, which waits 300 ms for "available".
      archiveReadyMs: 250,
    })) as VonageStandin;
    const cleanups = ((globalThis as { __ibsCleanups?: Array<() => Promise<void>> }).__ibsCleanups ??= []);
    cleanups.push(() => standin.close());
    return standin;
  })();
  const standin = await standinPromise;
  process.env.VONAGE_API_URL = standin.url;
  process.env.VONAGE_VIDEO_API_URL = standin.url;
  // Unset int params read as 0 outside the emulator: give Vonage calls a real deadline.
  process.env.VONAGE_TIMEOUT_MS ??= "3000";
  standin.clearFaults();
  return standin;
}

export const archivesOf = (standin: VonageStandin, sessionId: string) =>
  standin.state().archives.filter((archive) => archive.sessionId === sessionId);
export const broadcastsOf = (standin: VonageStandin, sessionId: string) =>
  standin.state().broadcasts.filter((broadcast) => broadcast.sessionId === sessionId);

/** The admins' suites' name for the same shared stand-in. */
export const testVonage = useVonageStandin;
