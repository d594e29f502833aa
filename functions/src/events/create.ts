/**
 * Creating an event: both Vonage sessions (backstage and stage) are created with the owner's
 * credential, which the event remembers; the fan slug is claimed atomically; host and celebrity get
 * unguessable secrets (IBS derived both from the name: docs/ibs-flaws.md#5).
 */
import { randomBytes } from "node:crypto";
import { defaultInteractiveLimit } from "../platform/config";
import { alreadyExists, failedPrecondition, notFound, permissionDenied, unavailable } from "../platform/errors";
import type { Caller } from "../platform/roles";
import { credentialRef } from "../platform/vonage/credentials";
import { createRoutedSession } from "../platform/vonage/operations";
import { VonageError } from "../platform/vonage/client";
import { readAdmin } from "../admins/records";
import { tenantCredentials } from "../admins/tenants";
import { slugFromName, type EventImage, type EventRecord, type RtmpOutput } from "./model";
import { MAX_INTERACTIVE_LIMIT, checkDates, checkImageOwner } from "./input";
import { insertEvent, newEventId } from "./store";
import { claimFanSlug } from "./fanKeys";
import { failureOf } from "./lifecycle/failures";

export interface NewEvent {
  adminId?: string;
  name: string;
  fanUrl?: string;
  archiveEvent?: boolean;
  uncomposed?: boolean;
  redirectUrl?: string;
  rtmpOutputs?: RtmpOutput[];
  interactiveLimit?: number;
  dateTimeStart?: string;
  dateTimeEnd?: string;
  startImage?: EventImage;
  endImage?: EventImage;
}

/** 18 random bytes = 144 bits, 24 base64url characters. */
function linkSecret(): string {
  return randomBytes(18).toString("base64url");
}

/** The configured default, kept within 1..MAX (IBS turned a limit of 0 into Infinity: docs/ibs-flaws.md#18). */
function defaultLimit(): number {
  const value = defaultInteractiveLimit.value();
  return Number.isInteger(value) && value >= 1 ? Math.min(value, MAX_INTERACTIVE_LIMIT) : 1;
}

/** Derived slugs try `name`, `name-2`, `name-3`... */
const MAX_SLUG_ATTEMPTS = 50;

/** An admin creates an event (a superAdmin may create one for another admin). */
export async function createEventFor(caller: Caller, data: NewEvent): Promise<EventRecord> {
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
    id: newEventId(),
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

  event.fanUrl = await claimSlug(event, data.fanUrl, data.name);
  await insertEvent(event, admin.hls === true);
  return event;
}

/** The given fan slug, or the first free one derived from the name. */
async function claimSlug(event: EventRecord, given: string | undefined, name: string): Promise<string> {
  if (given) {
    if (!(await claimFanSlug(event, given))) {
      throw alreadyExists(`The fan URL "${given}" is used by another open event of this admin; choose another.`);
    }
    return given;
  }
  const base = slugFromName(name);
  for (let attempt = 1; attempt <= MAX_SLUG_ATTEMPTS; attempt++) {
    const candidate = attempt === 1 ? base : `${base}-${attempt}`;
    if (await claimFanSlug(event, candidate)) return candidate;
  }
  throw alreadyExists(`Too many open events named like "${name}"; pass a fanUrl.`);
}
