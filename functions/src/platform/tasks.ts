/**
 * Enqueueing Cloud Tasks for our own `onTaskDispatched` functions (firebase-admin/functions, loaded on
 * first use). In the Functions emulator firebase-admin sends them to the Cloud Tasks emulator, which
 * delivers them at once: it ignores `scheduleDelaySeconds`, so handlers must check their own due time.
 */
import { onTaskDispatched, type TaskQueueOptions } from "firebase-functions/v2/tasks";
import type { z } from "zod";
import { adminApp } from "./firebase";
import { functionsRegion, VONAGE_CREDENTIAL_SECRETS } from "./config";
import { warn } from "./logs";

export interface EnqueueOptions {
  scheduleDelaySeconds: number;
  /** Deduplicates: a second enqueue with the same id is refused by Cloud Tasks. */
  id?: string;
}

export type TaskEnqueuer = (functionName: string, data: Record<string, unknown>, options: EnqueueOptions) => Promise<void>;

let override: TaskEnqueuer | undefined;

/** Unit tests capture tasks instead of calling Cloud Tasks. */
export function setTaskEnqueuerForTests(enqueuer: TaskEnqueuer | undefined): void {
  override = enqueuer;
}

export async function enqueueTask(functionName: string, data: Record<string, unknown>, options: EnqueueOptions): Promise<void> {
  if (override) return override(functionName, data, options);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { getFunctions } = require("firebase-admin/functions") as typeof import("firebase-admin/functions");
  const queue = getFunctions(adminApp()).taskQueue(`locations/${functionsRegion.value()}/functions/${functionName}`);
  await queue.enqueue(data, {
    scheduleDelaySeconds: Math.max(0, Math.ceil(options.scheduleDelaySeconds)),
    ...(options.id ? { id: options.id } : {}),
  });
}

/** Cloud Tasks ids: letters, digits, '-' and '_' only. */
export function taskId(...parts: string[]): string {
  return parts
    .join("-")
    .replace(/[^A-Za-z0-9_-]/g, "_")
    .slice(0, 480);
}

/**
 * An `onTaskDispatched` function whose payload is checked first. A malformed task is logged and dropped
 * (retrying it could never succeed); a handler that throws makes Cloud Tasks retry it.
 */
export function validatedTask<Schema extends z.ZodType>(
  options: Omit<TaskQueueOptions, "region" | "secrets">,
  schema: Schema,
  what: string,
  handler: (data: z.infer<Schema>) => Promise<void>,
) {
  return onTaskDispatched({ region: functionsRegion, secrets: VONAGE_CREDENTIAL_SECRETS, ...options }, async (request) => {
    const parsed = schema.safeParse(request.data);
    if (!parsed.success) {
      warn(`dropping a malformed ${what} task`, { data: JSON.stringify(request.data).slice(0, 200) });
      return;
    }
    await handler(parsed.data);
  });
}
