/**
 * The producer's own archive control during a live show (startArchive, stopArchive), under the event's
 * lease so it never interleaves with a status change. Both are idempotent: a running archive is
 * answered as is; a stopped one is refreshed from Vonage (the URL appears once the file is available).
 */
import type { Caller } from "../../platform/roles";
import * as vonage from "../../platform/vonage/operations";
import type { EventRecord } from "../model";
import { updateOwnLiveRecord } from "../liveRecord";
import { loadOwnedEvent } from "../queries";
import { withEventLease } from "./lease";
import { stepContext, type StepContext } from "./context";
import { ARCHIVE, archiveStatusFrom, isRunning, startRun, stopWhatRuns } from "./vonageResource";
import { failureOf, vonageFailure } from "./failures";
import { appendAudit } from "../../live/audit";
import { actorFor, auditError } from "./auditing";

/** Runs a producer's archive action and appends its entry: the archive it left, or why it failed. */
async function audited(
  eventId: string,
  caller: Caller,
  action: "startArchive" | "stopArchive",
  run: () => Promise<EventRecord>,
): Promise<EventRecord> {
  const actor = actorFor(caller);
  let event: EventRecord;
  try {
    event = await run();
  } catch (error) {
    // A caller who is not the owner leaves no trace in another tenant's trail.
    const code = (error as { code?: string }).code;
    if (code !== "permission-denied" && code !== "not-found") {
      await appendAudit(eventId, {
        actor,
        action,
        outcome: "failed",
        error: auditError(error, action === "startArchive" ? "archive" : "archiveStop"),
      });
    }
    throw error;
  }
  await appendAudit(eventId, {
    actor,
    action,
    target: { archiveId: event.archive?.id ?? null },
    outcome: "ok",
    details: { status: event.archive?.status ?? null },
  });
  return event;
}

export function startArchiveNow(eventId: string, caller: Caller): Promise<EventRecord> {
  return audited(eventId, caller, "startArchive", () => startArchiveRun(eventId, caller));
}

export function stopArchiveNow(eventId: string, caller: Caller): Promise<EventRecord> {
  return audited(eventId, caller, "stopArchive", () => stopArchiveRun(eventId, caller));
}

async function startArchiveRun(eventId: string, caller: Caller): Promise<EventRecord> {
  await loadOwnedEvent(eventId, caller);
  const { event } = await withEventLease(
    eventId,
    (current) => {
      if (current.status !== "live") return { refuse: `Archives start only during a live show; the event is ${current.status}.` };
      return { noop: isRunning(current.archive) };
    },
    async (stored) => {
      const ctx = stepContext(stored);
      try {
        await startRun(ARCHIVE, ctx);
      } catch (error) {
        throw vonageFailure(failureOf("archive", error), `Starting the archive failed: `, ctx.event);
      }
      await setArchivingFlag(ctx.event, true);
    },
  );
  return event;
}

async function stopArchiveRun(eventId: string, caller: Caller): Promise<EventRecord> {
  await loadOwnedEvent(eventId, caller);
  const { event } = await withEventLease(
    eventId,
    (current) => ({ noop: !current.archive }),
    async (stored) => {
      const ctx = stepContext(stored);
      const archive = ctx.event.archive;
      const wasRunning = isRunning(archive) || (!archive?.id && archive?.status !== "stopped");
      if (wasRunning) {
        try {
          await stopWhatRuns(ARCHIVE, ctx);
        } catch (error) {
          throw vonageFailure(failureOf("archiveStop", error), `Stopping the archive failed: `, ctx.event);
        }
      } else if (archive?.id) {
        await refreshStoppedArchive(ctx, archive.id);
      }
      // A close that could not stop the archive left its step pending: this stop is that step.
      const pending = ctx.event.lifecycle?.pending ?? [];
      if (pending.includes("archiveStop")) {
        const rest = pending.filter((step) => step !== "archiveStop");
        await ctx.save({ "lifecycle/pending": rest.length ? rest : null, "lifecycle/errors/archiveStop": null });
      }
      await setArchivingFlag(ctx.event, false);
    },
  );
  return event;
}

/** Already stopped: refresh where it is (Vonage sets the URL once the file is available). */
async function refreshStoppedArchive(ctx: StepContext, archiveId: string): Promise<void> {
  const current = await vonage.getArchive(await ctx.credentials(), archiveId).catch(() => null);
  if (!current) return;
  await ctx.save({
    "archive/status": archiveStatusFrom(current.status),
    "archive/url": current.url ?? null,
    "archive/updatedAt": Date.now(),
  });
}

async function setArchivingFlag(event: EventRecord, archiving: boolean): Promise<void> {
  if (event.status !== "live") return;
  await updateOwnLiveRecord(event, { archiving });
}
