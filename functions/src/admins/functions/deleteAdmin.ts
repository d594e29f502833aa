/**
 * `deleteAdmin` ({id}; superAdmin only, never yourself): removes the admin and everything that hangs
 * off them, so nothing is left orphaned (IBS left images, live records and the secret behind).
 *
 * Order, chosen so that a retry after any failure finishes the job (every step tolerates "already
 * gone"):
 *   1. disable the Auth user and revoke its refresh tokens (no new sessions while we clean up);
 *   2. stop on Vonage what still runs for the admin's events (best effort; needs the admin's
 *      credentials, so before they are deleted);
 *   3. delete the images (best effort);
 *   4. one atomic multi-path update removes the profile, the sealed secret, every event and every node
 *      derived from one (repeated if an event appeared meanwhile);
 *   5. delete the Auth user.
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { VONAGE_CREDENTIAL_SECRETS } from "../../platform/config";
import { failedPrecondition } from "../../platform/errors";
import { adminAuth, db } from "../../platform/firebase";
import { paths } from "../../platform/paths";
import { id } from "../../platform/schemas";
import { eventCredentials, forgetCredentials } from "../tenants";
import type { VonageCredential } from "../../platform/vonage/credentials";
import { deleteImageFolder, deleteImages } from "../../events/images";
import { warn } from "../../platform/logs";
import type { EventRecord } from "../../events/model";

export const deleteAdmin = validatedCallable({
  name: "deleteAdmin",
  input: z.object({ id }).strict(),
  allow: ["superAdmin"],
  secrets: VONAGE_CREDENTIAL_SECRETS,
  // Vonage stops are retried with backoff; leave room for them.
  options: { timeoutSeconds: 300 },
  handler: async (data, caller) => {
    if (data.id === caller.uid) throw failedPrecondition("You cannot delete your own account; ask another superAdmin.");
    const adminId = data.id;

    const authUserExisted = await disableAuthUser(adminId);
    const [recordSnap, events] = await Promise.all([db().ref(paths.admin(adminId)).once("value"), eventsOf(adminId)]);

    await stopVonageWork(adminId, events);
    await Promise.all([
      deleteImages(events.flatMap((event) => [event.startImage, event.endImage])).catch((error: Error) =>
        warn("deleteAdmin: image delete failed", { adminId, message: error.message }),
      ),
      Promise.resolve()
        .then(() => deleteImageFolder(adminId))
        .catch((error: Error) => warn("deleteAdmin: image folder delete failed", { adminId, message: error.message })),
    ]);

    let removedEvents = 0;
    let batch = events;
    // An event created while we cleaned up (the admin's ID token lives up to an hour) is caught by the
    // next sweep; three rounds are plenty for a disabled account.
    for (let round = 0; round < 3; round++) {
      await db().ref().update(removalPatch(adminId, batch));
      removedEvents += batch.length;
      batch = await eventsOf(adminId);
      if (batch.length === 0) break;
    }
    forgetCredentials(adminId);

    await adminAuth()
      .deleteUser(adminId)
      .catch((error: { code?: string }) => {
        if (error?.code !== "auth/user-not-found") throw error;
      });

    return { id: adminId, existed: recordSnap.exists() || authUserExisted || removedEvents > 0, removedEvents };
  },
});

/** Returns whether the Auth user was there (a retry after step 5 finds it gone). */
async function disableAuthUser(adminId: string): Promise<boolean> {
  try {
    await adminAuth().updateUser(adminId, { disabled: true });
    await adminAuth().revokeRefreshTokens(adminId);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === "auth/user-not-found") return false;
    throw error;
  }
}

async function eventsOf(adminId: string): Promise<EventRecord[]> {
  const snap = await db().ref(paths.events()).orderByChild("adminId").equalTo(adminId).once("value");
  const events: EventRecord[] = [];
  snap.forEach((child) => {
    const event = child.val() as EventRecord;
    events.push({ ...event, id: child.key });
  });
  return events;
}

/** The admin's nodes and every node derived from each event (see lib/events eventIndexPatch). */
function removalPatch(adminId: string, events: EventRecord[]): Record<string, null> {
  const patch: Record<string, null> = {
    [paths.admin(adminId)]: null,
    [paths.adminCredentials(adminId)]: null,
    [paths.eventKeys(adminId)]: null,
    [paths.currentEvent(adminId)]: null,
    [`activeBroadcasts/${adminId}`]: null,
  };
  for (const event of events) {
    patch[paths.event(event.id)] = null;
    patch[paths.stageGate(event.id)] = null;
    patch[paths.attendance(event.id)] = null;
    // Callback dedupe claims are grouped per event (analytics), so they go with it.
    patch[`processedCallbacks/${event.id}`] = null;
    if (event.sessionId) patch[paths.sessionIndex(event.sessionId)] = null;
    if (event.stageSessionId) patch[paths.sessionIndex(event.stageSessionId)] = null;
  }
  return patch;
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
  const ops = await import("../../platform/vonage/operations");
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
      const archiveIds = new Set<string>();
      const broadcastIds = new Set<string>();
      if (event.archive?.id && RUNNING.has(event.archive.status)) archiveIds.add(event.archive.id);
      if (event.broadcast?.id && RUNNING.has(event.broadcast.status)) broadcastIds.add(event.broadcast.id);
      for (const sessionId of [event.sessionId, event.stageSessionId].filter(Boolean)) {
        const [archive, broadcast] = await Promise.all([
          ops.findStartedArchive(credentials, sessionId).catch(() => undefined),
          ops.findStartedBroadcast(credentials, sessionId).catch(() => undefined),
        ]);
        if (archive) archiveIds.add(archive.id);
        if (broadcast) broadcastIds.add(broadcast.id);
      }
      const stops = await Promise.allSettled([
        ...[...archiveIds].map((archiveId) => ops.stopArchive(credentials, archiveId)),
        ...[...broadcastIds].map((broadcastId) => ops.stopBroadcast(credentials, broadcastId)),
      ]);
      if (stops.some((stop) => stop.status === "rejected")) throw new Error("a stop failed");
    }),
  );
  const failed = results.filter((result) => result.status === "rejected").length;
  if (failed) warn("deleteAdmin: some Vonage stops failed", { adminId, failed });
}
