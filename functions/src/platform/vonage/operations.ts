/**
 * The Vonage operations the backend performs, each with its reconciliation rule. Starts are not
 * retried blindly (a retry could start a second archive); instead, after a failure we look for what
 * Vonage may have started anyway, so an id is never lost.
 *
 * Archives and broadcasts follow the same rules, so they share one implementation over a small
 * description of each (`ARCHIVES`, `BROADCASTS`): how to start, list, stop and read one with the SDK,
 * and which of its statuses mean it still runs.
 */
import type OpenTok from "opentok";
import { callVonage, vonageClient, withRetry, VonageError } from "./client";
import type { VonageCredential } from "./credentials";
import { checkCredentialOnce, projectRest } from "./rest";

type Done<T> = (error: unknown, result?: T) => void;

/** An RTMP destination of a broadcast. */
export interface RtmpTarget {
  serverUrl: string;
  streamName: string;
}

/** What a Vonage resource of one session (an archive, a broadcast) looks like to the SDK. */
interface ResourceApi<T extends { id: string; status: string }> {
  /** Used in the operation names errors quote: `startArchive`, `listArchives`, ... */
  name: "Archive" | "Broadcast";
  /** Statuses in which it still runs (and may need a stop). */
  running: readonly string[];
  start(client: OpenTok, sessionId: string, body: Record<string, unknown>, done: Done<T>): void;
  list(client: OpenTok, query: Record<string, unknown>, done: Done<T[]>): void;
  stop(client: OpenTok, id: string, done: Done<T>): void;
  get(client: OpenTok, id: string, done: Done<T>): void;
}

const ARCHIVES: ResourceApi<OpenTok.Archive> = {
  name: "Archive",
  running: ["started", "paused"],
  start: (client, sessionId, body, done) => client.startArchive(sessionId, body, done),
  list: (client, query, done) => client.listArchives(query, (error, items) => done(error, items)),
  stop: (client, id, done) => client.stopArchive(id, done),
  get: (client, id, done) => client.getArchive(id, done),
};

const BROADCASTS: ResourceApi<OpenTok.Broadcast> = {
  name: "Broadcast",
  running: ["started"],
  start: (client, sessionId, body, done) => client.startBroadcast(sessionId, body, done),
  list: (client, query, done) => client.listBroadcasts(query, (error, items) => done(error, items)),
  stop: (client, id, done) => client.stopBroadcast(id, done),
  get: (client, id, done) => client.getBroadcast(id, done),
};

/** Tried once; after a failure, what runs on the session is adopted (a conflict or a lost answer may mean ours runs). */
async function startOnce<T extends { id: string; status: string }>(
  api: ResourceApi<T>,
  credentials: VonageCredential,
  sessionId: string,
  body: Record<string, unknown>,
): Promise<T> {
  const client = vonageClient(credentials);
  try {
    return await callVonage<T>(`start${api.name}`, (done) => api.start(client, sessionId, body, done));
  } catch (error) {
    const running = await findRunning(api, credentials, sessionId).catch(() => undefined);
    if (running) return running;
    throw error;
  }
}

async function findRunning<T extends { id: string; status: string }>(
  api: ResourceApi<T>,
  credentials: VonageCredential,
  sessionId: string,
): Promise<T | undefined> {
  const client = vonageClient(credentials);
  const items = await withRetry(() => callVonage<T[]>(`list${api.name}s`, (done) => api.list(client, { sessionId, count: 50 }, done)));
  return items.find((item) => api.running.includes(item.status));
}

/** Stops one; one that is already stopped (or further along) counts as stopped. */
async function stopRunning<T extends { id: string; status: string }>(
  api: ResourceApi<T>,
  credentials: VonageCredential,
  id: string,
): Promise<T> {
  const client = vonageClient(credentials);
  try {
    return await withRetry(() => callVonage<T>(`stop${api.name}`, (done) => api.stop(client, id, done)));
  } catch (error) {
    const current = await read(api, credentials, id);
    if (!api.running.includes(current.status)) return current;
    throw error;
  }
}

function read<T extends { id: string; status: string }>(api: ResourceApi<T>, credentials: VonageCredential, id: string): Promise<T> {
  const client = vonageClient(credentials);
  return withRetry(() => callVonage<T>(`get${api.name}`, (done) => api.get(client, id, done)));
}

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

export function startArchive(
  credentials: VonageCredential,
  sessionId: string,
  options: { name: string; outputMode: "composed" | "individual" },
): Promise<OpenTok.Archive> {
  return startOnce(ARCHIVES, credentials, sessionId, { name: options.name, outputMode: options.outputMode });
}

export const findStartedArchive = (credentials: VonageCredential, sessionId: string) => findRunning(ARCHIVES, credentials, sessionId);
export const stopArchive = (credentials: VonageCredential, archiveId: string) => stopRunning(ARCHIVES, credentials, archiveId);
export const getArchive = (credentials: VonageCredential, archiveId: string) => read(ARCHIVES, credentials, archiveId);

export function startBroadcast(
  credentials: VonageCredential,
  sessionId: string,
  outputs: { hls: boolean; rtmp: RtmpTarget[] },
): Promise<OpenTok.Broadcast> {
  return startOnce(BROADCASTS, credentials, sessionId, {
    outputs: {
      ...(outputs.hls ? { hls: {} } : {}),
      ...(outputs.rtmp.length ? { rtmp: outputs.rtmp.map((output, index) => ({ id: `rtmp${index + 1}`, ...output })) } : {}),
    },
    maxDuration: 4 * 3600,
  });
}

export const findStartedBroadcast = (credentials: VonageCredential, sessionId: string) => findRunning(BROADCASTS, credentials, sessionId);
export const stopBroadcast = (credentials: VonageCredential, broadcastId: string) => stopRunning(BROADCASTS, credentials, broadcastId);
export const getBroadcast = (credentials: VonageCredential, broadcastId: string) => read(BROADCASTS, credentials, broadcastId);

export { VonageError };

// ---- moderation (force-disconnect, mute, signal, streams): our own REST calls (./rest) ----------

const seg = (value: string) => encodeURIComponent(value);

/** Force-disconnects one connection; one Vonage no longer knows (404) is already gone. */
export async function forceDisconnect(
  credentials: VonageCredential,
  sessionId: string,
  connectionId: string,
): Promise<"disconnected" | "gone"> {
  try {
    await withRetry(() => projectRest(credentials, "DELETE", `/session/${seg(sessionId)}/connection/${seg(connectionId)}`));
    return "disconnected";
  } catch (error) {
    if (error instanceof VonageError && error.kind === "notFound") return "gone";
    throw error;
  }
}

/** Mutes one stream's audio (the client cannot unmute it). Idempotent, so retried. */
export async function muteStream(credentials: VonageCredential, sessionId: string, streamId: string): Promise<void> {
  await withRetry(() => projectRest(credentials, "POST", `/session/${seg(sessionId)}/stream/${seg(streamId)}/mute`));
}

/** Mutes every stream of a session but `excludedStreamIds` (also streams published later), or lifts that for new streams. */
export async function muteSession(
  credentials: VonageCredential,
  sessionId: string,
  options: { active: boolean; excludedStreamIds: string[] },
): Promise<void> {
  await withRetry(() => projectRest(credentials, "POST", `/session/${seg(sessionId)}/mute`, options));
}

/** The streams a session has now. */
export async function listStreams(credentials: VonageCredential, sessionId: string): Promise<Array<{ id: string }>> {
  const answer = await withRetry(() => projectRest(credentials, "GET", `/session/${seg(sessionId)}/stream`));
  const items = (answer.body as { items?: Array<{ id?: unknown }> } | null)?.items ?? [];
  return items.filter((item): item is { id: string } => typeof item?.id === "string");
}

/** A signal to one connection or the whole session. Not retried: a lost answer must not deliver it twice. */
export async function sendSignal(
  credentials: VonageCredential,
  sessionId: string,
  connectionId: string | null,
  signal: { type: string; data: string },
): Promise<void> {
  const target = connectionId ? `/session/${seg(sessionId)}/connection/${seg(connectionId)}/signal` : `/session/${seg(sessionId)}/signal`;
  await projectRest(credentials, "POST", target, signal);
}
