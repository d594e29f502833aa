/**
 * `createEvent`: an admin creates an event (a superAdmin may create one for another admin). Both Vonage
 * sessions (backstage and stage) are created with the owner's credentials; the fan slug is claimed
 * atomically; host and celebrity get unguessable secrets (IBS derived both from the name: flaw 5).
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { db } from "../../platform/firebase";
import { paths } from "../../platform/paths";
import { defaultInteractiveLimit } from "../../platform/config";
import { alreadyExists, failedPrecondition, notFound, permissionDenied, unavailable } from "../../platform/errors";
import { eventIndexPatch, slugFromName, type EventRecord } from "../model";
import { id } from "../../platform/schemas";
import {
  MAX_INTERACTIVE_LIMIT,
  checkDates,
  checkImageOwner,
  dateTime,
  eventImage,
  eventName,
  httpsUrl,
  interactiveLimit,
  rtmpOutputs,
  slug,
} from "../input";
import { claimFanSlug, readAdmin } from "../store";
import { tenantCredentials } from "../../admins/tenants";
import { credentialRef } from "../../platform/vonage/credentials";
import { createRoutedSession } from "../../platform/vonage/operations";
import { VonageError } from "../../platform/vonage/client";
import { failureOf, VONAGE_SECRETS } from "../lifecycle/runner";

const input = z
  .object({
    adminId: id.optional(),
    name: eventName,
    fanUrl: slug.optional(),
    archiveEvent: z.boolean().optional(),
    uncomposed: z.boolean().optional(),
    redirectUrl: httpsUrl.optional(),
    rtmpOutputs: rtmpOutputs.optional(),
    interactiveLimit: interactiveLimit.optional(),
    dateTimeStart: dateTime.optional(),
    dateTimeEnd: dateTime.optional(),
    startImage: eventImage.optional(),
    endImage: eventImage.optional(),
  })
  .strict();

/** 18 random bytes = 144 bits, 24 base64url characters. */
export function linkSecret(): string {
  return randomBytes(18).toString("base64url");
}

/** The configured default, kept within 1..MAX (IBS turned a limit of 0 into Infinity: flaw 18). */
function defaultLimit(): number {
  const value = defaultInteractiveLimit.value();
  return Number.isInteger(value) && value >= 1 ? Math.min(value, MAX_INTERACTIVE_LIMIT) : 1;
}

/** Derived slugs try `name`, `name-2`, `name-3`... */
const MAX_SLUG_ATTEMPTS = 50;

export const createEvent = validatedCallable({
  name: "createEvent",
  input,
  allow: ["admin"],
  secrets: VONAGE_SECRETS,
  options: { timeoutSeconds: 60 },
  handler: async (data, caller) => {
    const adminId = data.adminId ?? caller.uid;
    if (adminId !== caller.uid && !caller.superAdmin) throw permissionDenied("Only a superAdmin creates events for another admin.");
    const admin = await readAdmin(adminId);
    if (!admin) throw notFound(`No admin ${adminId}.`);
    checkImageOwner(adminId, { startImage: data.startImage, endImage: data.endImage });
    checkDates(data.dateTimeStart, data.dateTimeEnd);

    const credentials = await tenantCredentials(adminId);
    let sessionId: string;
    let stageSessionId: string;
    try {
      [sessionId, stageSessionId] = await Promise.all([createRoutedSession(credentials), createRoutedSession(credentials)]);
    } catch (error) {
      const failure = failureOf("commit", error);
      if (error instanceof VonageError && error.kind === "auth") {
        throw failedPrecondition(`Vonage refused this admin's credentials; fix them with updateAdmin. Nothing was created.`);
      }
      throw unavailable(`Could not create the Vonage sessions (${failure.message}); nothing was created, retry.`);
    }

    const now = Date.now();
    const hostUrl = linkSecret();
    let celebrityUrl = linkSecret();
    while (celebrityUrl === hostUrl) celebrityUrl = linkSecret();
    const event: EventRecord = {
      id: db().ref(paths.events()).push().key,
      adminId,
      name: data.name,
      fanUrl: "",
      hostUrl,
      celebrityUrl,
      status: "notStarted",
      archiveEvent: data.archiveEvent ?? false,
      uncomposed: data.uncomposed ?? false,
      interactiveLimit: data.interactiveLimit ?? defaultLimit(),
      sessionId,
      stageSessionId,
      // Tokens and archive/broadcast calls for these sessions must use this same credential.
      vonage: credentialRef(credentials),
      createdAt: now,
      updatedAt: now,
    };
    if (data.redirectUrl) event.redirectUrl = data.redirectUrl;
    if (data.rtmpOutputs?.length) event.rtmpOutputs = data.rtmpOutputs;
    if (data.dateTimeStart) event.dateTimeStart = data.dateTimeStart;
    if (data.dateTimeEnd) event.dateTimeEnd = data.dateTimeEnd;
    if (data.startImage) event.startImage = data.startImage;
    if (data.endImage) event.endImage = data.endImage;

    if (data.fanUrl) {
      if (!(await claimFanSlug(event, data.fanUrl))) {
        throw alreadyExists(`The fan URL "${data.fanUrl}" is used by another open event of this admin; choose another.`);
      }
      event.fanUrl = data.fanUrl;
    } else {
      const base = slugFromName(data.name);
      for (let attempt = 1; attempt <= MAX_SLUG_ATTEMPTS && !event.fanUrl; attempt++) {
        const candidate = attempt === 1 ? base : `${base}-${attempt}`;
        if (await claimFanSlug(event, candidate)) event.fanUrl = candidate;
      }
      if (!event.fanUrl) throw alreadyExists(`Too many open events named like "${data.name}"; pass a fanUrl.`);
    }

    try {
      await db()
        .ref()
        .update(eventIndexPatch(event, null, admin.hls === true));
    } catch (error) {
      await db()
        .ref(paths.eventKey(adminId, "fan", event.fanUrl))
        .remove()
        .catch(() => undefined);
      throw error;
    }
    return event;
  },
});
