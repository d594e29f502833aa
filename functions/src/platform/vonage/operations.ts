/**
 * The Vonage operations the backend performs, each with its reconciliation rule. Starts are not
 * retried blindly (a retry could start a second archive); instead, after a failure we look for what
 * Vonage may have started anyway, so an id is never lost.
 */
import type OpenTok from "opentok";
import { callVonage, vonageClient, withRetry, VonageError } from "./client";
import type { VonageCredential } from "./credentials";
import { checkCredentialOnce } from "./rest";
import type { RtmpOutput } from "../../events/model";

export async function createRoutedSession(credentials: VonageCredential): Promise<string> {
  const client = vonageClient(credentials);
  // Creating a session has no side effect worth reconciling: an unused session costs nothing.
  const session = await withRetry(() =>
    callVonage<OpenTok.Session>("createSession", (done) => client.createSession({ mediaMode: "routed", archiveMode: "manual" }, done)),
  );
  return session.sessionId;
}

/** A cheap authenticated read that proves a credential of either kind (no throw-away session as in IBS). */
export async function verifyCredentials(credentials: VonageCredential): Promise<void> {
  await withRetry(() => checkCredentialOnce(credentials));
}

export async function startArchive(
  credentials: VonageCredential,
  sessionId: string,
  options: { name: string; outputMode: "composed" | "individual" },
): Promise<OpenTok.Archive> {
  const client = vonageClient(credentials);
  try {
    return await callVonage<OpenTok.Archive>("startArchive", (done) =>
      client.startArchive(sessionId, { name: options.name, outputMode: options.outputMode }, done),
    );
  } catch (error) {
    const running = await findStartedArchive(credentials, sessionId).catch(() => undefined);
    if (running) return running;
    throw error;
  }
}

export async function findStartedArchive(credentials: VonageCredential, sessionId: string): Promise<OpenTok.Archive | undefined> {
  const client = vonageClient(credentials);
  const archives = await withRetry(() =>
    callVonage<OpenTok.Archive[]>("listArchives", (done) =>
      client.listArchives({ sessionId, count: 50 }, (error, items) => done(error, items)),
    ),
  );
  return archives.find((archive) => archive.status === "started" || archive.status === "paused");
}

/** Stops an archive; one that is already stopped (or further along) counts as stopped. */
export async function stopArchive(credentials: VonageCredential, archiveId: string): Promise<OpenTok.Archive> {
  const client = vonageClient(credentials);
  try {
    return await withRetry(() => callVonage<OpenTok.Archive>("stopArchive", (done) => client.stopArchive(archiveId, done)));
  } catch (error) {
    const current = await withRetry(() => callVonage<OpenTok.Archive>("getArchive", (done) => client.getArchive(archiveId, done)));
    if (current.status !== "started" && current.status !== "paused") return current;
    throw error;
  }
}

export async function getArchive(credentials: VonageCredential, archiveId: string): Promise<OpenTok.Archive> {
  const client = vonageClient(credentials);
  return withRetry(() => callVonage<OpenTok.Archive>("getArchive", (done) => client.getArchive(archiveId, done)));
}

export async function startBroadcast(
  credentials: VonageCredential,
  sessionId: string,
  outputs: { hls: boolean; rtmp: RtmpOutput[] },
): Promise<OpenTok.Broadcast> {
  const client = vonageClient(credentials);
  const body: Record<string, unknown> = {
    outputs: {
      ...(outputs.hls ? { hls: {} } : {}),
      ...(outputs.rtmp.length ? { rtmp: outputs.rtmp.map((output, index) => ({ id: `rtmp${index + 1}`, ...output })) } : {}),
    },
    maxDuration: 4 * 3600,
  };
  try {
    return await callVonage<OpenTok.Broadcast>("startBroadcast", (done) => client.startBroadcast(sessionId, body, done));
  } catch (error) {
    // One broadcast per session: a conflict or a lost answer may mean ours is already running.
    const running = await findStartedBroadcast(credentials, sessionId).catch(() => undefined);
    if (running) return running;
    throw error;
  }
}

export async function findStartedBroadcast(credentials: VonageCredential, sessionId: string): Promise<OpenTok.Broadcast | undefined> {
  const client = vonageClient(credentials);
  const broadcasts = await withRetry(() =>
    callVonage<OpenTok.Broadcast[]>("listBroadcasts", (done) =>
      client.listBroadcasts({ sessionId, count: 50 }, (error, items) => done(error, items)),
    ),
  );
  return broadcasts.find((broadcast) => broadcast.status === "started");
}

export async function stopBroadcast(credentials: VonageCredential, broadcastId: string): Promise<OpenTok.Broadcast> {
  const client = vonageClient(credentials);
  try {
    return await withRetry(() => callVonage<OpenTok.Broadcast>("stopBroadcast", (done) => client.stopBroadcast(broadcastId, done)));
  } catch (error) {
    const current = await withRetry(() => callVonage<OpenTok.Broadcast>("getBroadcast", (done) => client.getBroadcast(broadcastId, done)));
    if (current.status !== "started") return current;
    throw error;
  }
}

export { VonageError };
