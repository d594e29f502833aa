/**
 * Deleting an admin (superAdmin only, never yourself) and everything that hangs off them, so nothing
 * is left orphaned (IBS left images, live records and the secret behind).
 *
 * Order, chosen so that a retry after any failure finishes the job (every step tolerates "already
 * gone"):
 *   1. disable the Auth user and revoke its refresh tokens (no new sessions while we clean up);
 *   2. stop on Vonage what still runs for the admin's events (best effort; needs the admin's
 *      credentials, so before they are deleted);
 *   3. delete the images (best effort);
 *   4. one atomic multi-path update removes the profile, the sealed secret, every event and every node
 *      derived from one (events/store `removeAdminEvents`, repeated if an event appeared meanwhile);
 *   5. delete the Auth user.
 */
import { forgetCallbackKey } from "./callbackSecret";
import { adminAuth } from "../platform/firebase";
import { paths } from "../contract/paths";
import { recordRevocation } from "../platform/revocation";
import { failedPrecondition } from "../platform/errors";
import { warn } from "../platform/logs";
import type { Caller } from "../platform/roles";
import type { VonageCredential } from "../platform/vonage/credentials";
import type { EventRecord } from "../events/model";
import { eventsOfAdmin, removeAdminEvents } from "../events/store";
import { deleteImageFolder, deleteImages } from "../events/images";
import { readAdmin } from "./records";
import { eventCredentials, forgetCredentials } from "./tenants";

export async function deleteAdminEverywhere(
  caller: Caller,
  adminId: string,
): Promise<{ id: string; existed: boolean; removedEvents: number }> {
  if (adminId === caller.uid) throw failedPrecondition("You cannot delete your own account; ask another superAdmin.");

  const authUserExisted = await disableAuthUser(adminId);
  const [record, events] = await Promise.all([readAdmin(adminId), eventsOfAdmin(adminId)]);

  await stopVonageWork(adminId, events);
  await Promise.all([
    deleteImages(events.flatMap((event) => [event.startImage, event.endImage])).catch((error: Error) =>
      warn("deleteAdmin: image delete failed", { adminId, message: error.message }),
    ),
    Promise.resolve()
      .then(() => deleteImageFolder(adminId))
      .catch((error: Error) => warn("deleteAdmin: image folder delete failed", { adminId, message: error.message })),
  ]);

  const removedEvents = await removeAdminEvents(adminId, events, {
    [paths.admin(adminId)]: null,
    [paths.adminCredentials(adminId)]: null,
    [paths.adminCallbackSecret(adminId)]: null,
  });
  forgetCredentials(adminId);
  forgetCallbackKey(adminId);

  await adminAuth()
    .deleteUser(adminId)
    .catch((error: { code?: string }) => {
      if (error?.code !== "auth/user-not-found") throw error;
    });

  return { id: adminId, existed: record !== null || authUserExisted || removedEvents > 0, removedEvents };
}

/** Returns whether the Auth user was there (a retry after step 5 finds it gone). */
async function disableAuthUser(adminId: string): Promise<boolean> {
  try {
    await adminAuth().updateUser(adminId, { disabled: true });
    await adminAuth().revokeRefreshTokens(adminId);
    await recordRevocation(adminId);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === "auth/user-not-found") return false;
    throw error;
  }
}

const RUNNING = new Set(["starting", "started", "paused", "stopping"]);

/**
 * Stops archives and broadcasts that may still run: the ids we stored, plus, for shows not closed or
 * with a start in flight, whatever Vonage lists on their sessions (an id lost to a timeout).
 */
async function stopVonageWork(adminId: string, events: EventRecord[]): Promise<void> {
  const candidates = events.filter(
    (event) =>
      event.status === "preshow" ||
      event.status === "live" ||
      RUNNING.has(event.archive?.status ?? "") ||
      RUNNING.has(event.broadcast?.status ?? ""),
  );
  if (candidates.length === 0) return;
  const ops = await import("../platform/vonage/operations");
  const kinds = [
    { field: "archive", find: ops.findStartedArchive, stop: ops.stopArchive },
    { field: "broadcast", find: ops.findStartedBroadcast, stop: ops.stopBroadcast },
  ] as const;
  // Each event's work runs under the credential that created its sessions (they may differ per event).
  const results = await Promise.allSettled(
    candidates.map(async (event) => {
      let credentials: VonageCredential;
      try {
        credentials = await eventCredentials(event);
      } catch (error) {
        warn("deleteAdmin: no usable Vonage credentials for an event, nothing stopped for it", {
          adminId,
          eventId: event.id,
          message: (error as Error).message,
        });
        throw error;
      }
      const sessions = [event.sessionId, event.stageSessionId].filter(Boolean);
      const stops = await Promise.allSettled(
        kinds.map(async (kind) => {
          const ids = new Set<string>();
          const state = event[kind.field];
          if (state?.id && RUNNING.has(state.status)) ids.add(state.id);
          for (const sessionId of sessions) {
            const found = await kind.find(credentials, sessionId).catch(() => undefined);
            if (found) ids.add(found.id);
          }
          const stopped = await Promise.allSettled([...ids].map((id) => kind.stop(credentials, id)));
          if (stopped.some((stop) => stop.status === "rejected")) throw new Error("a stop failed");
        }),
      );
      if (stops.some((stop) => stop.status === "rejected")) throw new Error("a stop failed");
    }),
  );
  const failed = results.filter((result) => result.status === "rejected").length;
  if (failed) warn("deleteAdmin: some Vonage stops failed", { adminId, failed });
}
