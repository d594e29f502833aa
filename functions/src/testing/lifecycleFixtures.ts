/**
 * Shared set-up of the event and lifecycle unit tests: callers with the claims the login functions
 * give, events made through the real callables against the in-process Vonage stand-in, and captured
 * Cloud Tasks.
 */
import { authFor, fft, resetDatabase, useFakeAuth } from "./harness";
import { seedAdmin } from "./fixtures";
import { useVonageStandin, type VonageStandin } from "./vonageStandin";
import { setTaskEnqueuerForTests, type EnqueueOptions } from "../platform/tasks";
import { db } from "../platform/firebase";
import type { EventRecord } from "../events/model";
import { createEvent } from "../events/functions/createEvent";
import { changeStatus } from "../events/functions/changeStatus";

// Params read process.env at run time; outside the emulator nobody fills in their defaults.
process.env.VONAGE_TIMEOUT_MS ??= "4000";
process.env.DEFAULT_INTERACTIVE_LIMIT ??= "50";
process.env.IMAGE_RETENTION_DAYS ??= "3";
process.env.FUNCTIONS_REGION ??= "us-central1";

export const asAdmin = (uid: string) => authFor(uid, { role: "admin", superAdmin: false }, "password");
export const asSuperAdmin = (uid: string) => authFor(uid, { role: "admin", superAdmin: true }, "password");
export const asFan = (uid: string, adminId: string, eventId: string) => authFor(uid, { role: "fan", adminId, eventId });
export const asHost = (uid: string, adminId: string, eventId: string) => authFor(uid, { role: "host", adminId, eventId });

export interface QueuedTask {
  functionName: string;
  data: Record<string, unknown>;
  options: EnqueueOptions;
}

export interface LifecycleWorld {
  standin: VonageStandin;
  tasks: QueuedTask[];
}

/** Fresh database with admin `adm1` (HLS on) and `adm2`, tasks captured, the stand-in in use. */
export async function lifecycleWorld(options: { hls?: boolean; drainSeconds?: number } = {}): Promise<LifecycleWorld> {
  useFakeAuth();
  await resetDatabase();
  const standin = await useVonageStandin();
  process.env.BROADCAST_DRAIN_SECONDS = String(options.drainSeconds ?? 0);
  process.env.IMAGE_DELETIONS_TO_DATABASE = "true";
  await seedAdmin("adm1", { hls: options.hls ?? true });
  await seedAdmin("adm2", { hls: false });
  const tasks: QueuedTask[] = [];
  setTaskEnqueuerForTests(async (functionName, data, enqueueOptions) => {
    tasks.push({ functionName, data, options: enqueueOptions });
  });
  return { standin, tasks };
}

const createCall = fft.wrap(createEvent);
const statusCall = fft.wrap(changeStatus);

export async function createAs(auth: ReturnType<typeof authFor>, data: Record<string, unknown>): Promise<EventRecord> {
  return await createCall({ data, auth } as never);
}

export async function statusAs(auth: ReturnType<typeof authFor>, id: string, status: string): Promise<EventRecord> {
  return await statusCall({ data: { id, status }, auth } as never);
}

/** An event of `adm1` moved to `status` through the callables. */
export async function eventIn(
  status: "notStarted" | "preshow" | "live" | "closed",
  data: Record<string, unknown> = {},
): Promise<EventRecord> {
  let event = await createAs(asAdmin("adm1"), { name: `Show ${Math.random().toString(36).slice(2, 8)}`, ...data });
  for (const next of ["preshow", "live", "closed"] as const) {
    if (event.status === status) break;
    event = await statusAs(asAdmin("adm1"), event.id, next);
  }
  return event;
}

export async function stored<T = unknown>(path: string): Promise<T> {
  return (await db().ref(path).once("value")).val() as T;
}

/** The uids holding a seat of an event, over all its shards (`stageGates/{id}/shards/{shard}/{uid}`), sorted. */
export async function seatHolders(eventId: string): Promise<string[]> {
  const shards = (await stored<Record<string, Record<string, unknown>> | null>(`stageGates/${eventId}/shards`)) ?? {};
  return Object.values(shards)
    .flatMap((shard) => Object.keys(shard ?? {}))
    .sort();
}

export function imageDeletions(): Promise<string[]> {
  return stored<Record<string, { path: string }> | null>("localImageDeletions").then((value) =>
    Object.values(value ?? {}).map((entry) => entry.path),
  );
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
