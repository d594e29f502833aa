/**
 * Event images in Firebase Storage (`eventImages/{adminId}/{imageId}`). Deletion is best effort: a
 * missing file is already deleted, and a storage failure must not fail an event update.
 *
 * The storage emulator cannot run offline, so when no storage emulator is configured inside the
 * Functions emulator, deletions are recorded under `localImageDeletions` instead (tests read them).
 */
import { db, adminApp, SERVER_TIMESTAMP } from "../platform/firebase";
import type { EventImage } from "./model";
import { warn } from "../platform/logs";

export function imagePath(image: EventImage): string {
  return image.id.startsWith("eventImages/") ? image.id : `eventImages/${image.id}`;
}

function storageUnavailableLocally(): boolean {
  return process.env.FUNCTIONS_EMULATOR === "true" && !process.env.FIREBASE_STORAGE_EMULATOR_HOST;
}

export async function deleteImages(images: Array<EventImage | null | undefined>): Promise<void> {
  const targets = images.filter((image): image is EventImage => Boolean(image?.id));
  if (targets.length === 0) return;
  if (storageUnavailableLocally() || process.env.IMAGE_DELETIONS_TO_DATABASE === "true") {
    const updates: Record<string, unknown> = {};
    for (const image of targets) updates[db().ref("localImageDeletions").push().key] = { path: imagePath(image), at: SERVER_TIMESTAMP };
    await db().ref("localImageDeletions").update(updates);
    return;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { getStorage } = require("firebase-admin/storage") as typeof import("firebase-admin/storage");
  const bucket = getStorage(adminApp()).bucket();
  await Promise.all(
    targets.map((image) =>
      bucket
        .file(imagePath(image))
        .delete({ ignoreNotFound: true })
        .catch((error: Error) => warn("image delete failed", { path: imagePath(image), message: error.message })),
    ),
  );
}

/** Images of `before` that `after` no longer uses (an unchanged image is never deleted: docs/ibs-flaws.md#16). */
export function replacedImages(
  before: { startImage?: EventImage | null; endImage?: EventImage | null },
  after: { startImage?: EventImage | null; endImage?: EventImage | null },
): EventImage[] {
  const kept = new Set([after.startImage?.id, after.endImage?.id].filter(Boolean));
  return [before.startImage, before.endImage].filter((image): image is EventImage => Boolean(image?.id) && !kept.has(image!.id));
}

/**
 * Everything under one admin's image folder (`eventImages/{adminId}/`), uploads never attached to an
 * event included: used when the admin is deleted. Best effort, like `deleteImages`.
 */
export async function deleteImageFolder(adminId: string): Promise<void> {
  const prefix = `eventImages/${adminId}/`;
  if (storageUnavailableLocally() || process.env.IMAGE_DELETIONS_TO_DATABASE === "true") {
    await db().ref("localImageDeletions").push({ prefix, at: SERVER_TIMESTAMP });
    return;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { getStorage } = require("firebase-admin/storage") as typeof import("firebase-admin/storage");
  await getStorage(adminApp())
    .bucket()
    .deleteFiles({ prefix })
    .catch((error: Error) => warn("image folder delete failed", { prefix, message: error.message }));
}
