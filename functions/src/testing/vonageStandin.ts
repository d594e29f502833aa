/**
 * An in-process Vonage stand-in for unit tests that make real SDK calls (credential checks, archive
 * and broadcast stops). One per test run, closed by the root hooks. Param values are read at call
 * time, so pointing VONAGE_API_URL at it here is enough.
 */
import path from "node:path";
import { LOCAL_VONAGE } from "./harness";

const repoRoot = path.resolve(__dirname, "..", "..", "..");

export interface TestVonage {
  url: string;
  state(): {
    sessions: Array<{ id: string }>;
    archives: Array<{ id: string; status: string; sessionId: string }>;
    broadcasts: Array<{ id: string; status: string; sessionId: string }>;
  };
  reset(): void;
  addProject(apiKey: string, secret: string): unknown;
  createSession(options: { apiKey: string }): { sessionId: string };
  injectFault(spec: Record<string, unknown>): unknown;
  clearFaults(): void;
  close(): Promise<void>;
}

let standinPromise: Promise<TestVonage> | undefined;

export function testVonage(): Promise<TestVonage> {
  standinPromise ??= (async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { startVonageStandin } = require(path.join(repoRoot, "local", "vonage-standin"));
    const standin = (await startVonageStandin({
      port: 0,
      host: "127.0.0.1",
      projects: { [LOCAL_VONAGE.apiKey]: LOCAL_VONAGE.apiSecret },
    })) as TestVonage;
    process.env.VONAGE_API_URL = standin.url;
    // Unset int params read as 0 outside the emulator: give Vonage calls a real deadline.
    process.env.VONAGE_TIMEOUT_MS ??= "3000";
    const cleanups = ((globalThis as { __ibsCleanups?: Array<() => Promise<void>> }).__ibsCleanups ??= []);
    cleanups.push(() => standin.close());
    return standin;
  })();
  return standinPromise;
}
