import assert from "node:assert/strict";
import { eventIn, lifecycleWorld, stored, asAdmin, type LifecycleWorld } from "../testing/lifecycleFixtures";
import { archivesOf, broadcastsOf } from "../testing/vonageStandin";
import { fft } from "../testing/harness";
import type { EventRecord } from "../events/model";
import { stopArchive } from "../events/functions/stopArchive";
import { auditPage, type AuditEntry } from "./audit";
import { restoreContinuity, START_ATTEMPTS } from "./continuity";

interface RotatingStandin {
  rotateSession(sessionId: string, options?: { status?: string }): { archives: string[]; broadcasts: string[] };
  setBroadcastStatus(broadcastId: string, status: string): unknown;
  setArchiveStatus(archiveId: string, status: string, reason?: string): unknown;
}

describe("live/continuity: restarting what a live show runs", () => {
  let world: LifecycleWorld;
  let event: EventRecord;
  const standin = () => world.standin as unknown as RotatingStandin;
  const rotation = () => restoreContinuity({ eventId: event.id, cause: "serverRotation", at: Date.now() }, 2000);
  const counts = () => [archivesOf(world.standin, event.stageSessionId).length, broadcastsOf(world.standin, event.stageSessionId).length];
  const systemTrail = async (): Promise<AuditEntry[]> =>
    (await auditPage(event.id, 200)).entries.filter((entry) => entry.actor.role === "system");

  beforeEach(async () => {
    world = await lifecycleWorld();
    event = await eventIn("live", { archiveEvent: true });
  });
  afterEach(() => world.standin.clearFaults());

  it("after a rotation restarts the archive and the broadcast once each: new ids, new HLS URL for participants, the trail in order", async () => {
    const before = await stored<EventRecord>(`events/${event.id}`);
    standin().rotateSession(event.stageSessionId);
    const report = await rotation();
    assert.deepEqual(report.restarted, ["archive", "broadcast"]);
    assert.deepEqual(counts(), [2, 2]);

    const after = await stored<EventRecord>(`events/${event.id}`);
    assert.notEqual(after.archive!.id, before.archive!.id);
    assert.equal(after.archive!.status, "started");
    assert.equal(after.previousArchives!.at(-1)!.id, before.archive!.id);
    assert.notEqual(after.broadcast!.id, before.broadcast!.id);
    assert.equal(after.previousBroadcasts!.at(-1)!.id, before.broadcast!.id);
    assert.notEqual(after.broadcast!.hlsUrl, before.broadcast!.hlsUrl);
    assert.equal(after.continuity!.archive!.restarts, 1);
    assert.equal(after.continuity!.broadcast!.previousId, before.broadcast!.id);

    const record = await stored<Record<string, unknown>>(`activeBroadcasts/adm1/${event.fanUrl}`);
    assert.equal(record.hlsUrl, after.broadcast!.hlsUrl);
    assert.equal(record.archiving, true);
    const continuity = record.continuity as { broadcast: { cause: string; restartedAt: number }; rotationAt: number };
    assert.equal(continuity.broadcast.cause, "serverRotation");
    assert.equal(typeof continuity.broadcast.restartedAt, "number");
    assert.equal(await stored(`stageGates/${event.id}/hlsUrl`), after.broadcast!.hlsUrl);

    // The same notice again, and the old runs' stop reports: nothing more starts.
    assert.deepEqual((await rotation()).restarted, []);
    const stale = await restoreContinuity({
      eventId: event.id,
      cause: "stopped",
      at: Date.now(),
      kind: "archive",
      runId: before.archive!.id,
    });
    assert.deepEqual(stale.restarted, []);
    assert.deepEqual(counts(), [2, 2]);

    assert.deepEqual(
      (await systemTrail()).map((entry) => [entry.action, entry.outcome, entry.target?.archiveId ?? entry.target?.broadcastId]),
      [
        ["archiveEnded", "ok", before.archive!.id],
        ["archiveRestarted", "ok", after.archive!.id],
        ["broadcastEnded", "ok", before.broadcast!.id],
        ["broadcastRestarted", "ok", after.broadcast!.id],
      ],
    );
    const restarted = (await systemTrail())[3];
    assert.equal(restarted.details?.hlsUrl, after.broadcast!.hlsUrl);
    assert.equal(restarted.details?.previousId, before.broadcast!.id);
  });

  it("restarts once when checks race (instances handling duplicated callbacks at once)", async () => {
    standin().rotateSession(event.stageSessionId);
    const reports = await Promise.all([rotation(), rotation(), rotation()]);
    assert.equal(reports.flatMap((report) => report.restarted).length, 2);
    assert.deepEqual(counts(), [2, 2]);
    // One restart each, not three that happened to adopt the same new run.
    const restarted = (await systemTrail()).filter((entry) => entry.action.endsWith("Restarted")).map((entry) => entry.action);
    assert.deepEqual(restarted, ["archiveRestarted", "broadcastRestarted"]);
    const after = await stored<EventRecord>(`events/${event.id}`);
    assert.deepEqual([after.continuity!.archive!.restarts, after.continuity!.broadcast!.restarts], [1, 1]);
    assert.equal(after.previousArchives!.length, 1);
  });

  it("handles the reports in any order: stops before the notice, or the notice before Vonage stops anything", async () => {
    const first = await stored<EventRecord>(`events/${event.id}`);
    standin().rotateSession(event.stageSessionId);
    // The stop reports first: with no rotation known they are ends on their own...
    const early = await restoreContinuity({
      eventId: event.id,
      cause: "stopped",
      at: Date.now(),
      kind: "archive",
      runId: first.archive!.id,
    });
    assert.deepEqual(early.restarted, []);
    // ...until the notice arrives.
    assert.deepEqual((await rotation()).restarted, ["archive", "broadcast"]);

    // The next rotation's notice comes before Vonage ends anything: nothing yet, then each stop restarts.
    const second = await stored<EventRecord>(`events/${event.id}`);
    assert.deepEqual((await rotation()).restarted, []);
    standin().rotateSession(event.stageSessionId);
    const archive = await restoreContinuity({
      eventId: event.id,
      cause: "stopped",
      at: Date.now(),
      kind: "archive",
      runId: second.archive!.id,
    });
    assert.deepEqual(archive.restarted, ["archive"]);
    const broadcast = await restoreContinuity({
      eventId: event.id,
      cause: "stopped",
      at: Date.now(),
      kind: "broadcast",
      runId: second.broadcast!.id,
    });
    assert.deepEqual(broadcast.restarted, ["broadcast"]);
    assert.deepEqual(counts(), [3, 3]);
    assert.equal((await stored<EventRecord>(`events/${event.id}`)).continuity!.archive!.restarts, 2);
  });

  it("restarts a failed broadcast without any rotation, and leaves an archive the producer stopped", async () => {
    const live = await stored<EventRecord>(`events/${event.id}`);
    standin().setBroadcastStatus(live.broadcast!.id!, "failed");
    const report = await restoreContinuity({
      eventId: event.id,
      cause: "failed",
      at: Date.now(),
      kind: "broadcast",
      runId: live.broadcast!.id,
    });
    assert.deepEqual(report.restarted, ["broadcast"]);
    const after = await stored<EventRecord>(`events/${event.id}`);
    assert.equal(after.continuity!.broadcast!.cause, "failed");
    assert.equal(after.previousBroadcasts![0].status, "failed");

    await fft.wrap(stopArchive)({ data: { id: event.id }, auth: asAdmin("adm1") } as never);
    const stoppedArchive = (await stored<EventRecord>(`events/${event.id}`)).archive!;
    const afterStop = await restoreContinuity({ eventId: event.id, cause: "serverRotation", at: Date.now() });
    assert.equal(afterStop.decisions.archive?.restart, false);
    assert.deepEqual(counts(), [1, 2]);
    assert.equal((await stored<EventRecord>(`events/${event.id}`)).archive!.id, stoppedArchive.id);
  });

  it("retries a failing start a bounded number of times, records each failure, and the next check finishes the restart", async () => {
    const live = await stored<EventRecord>(`events/${event.id}`);
    standin().setArchiveStatus(live.archive!.id!, "failed", "disk");
    standin().setBroadcastStatus(live.broadcast!.id!, "failed");
    world.standin.injectFault({ method: "POST", pathRegex: "/archive$", status: 500, count: START_ATTEMPTS });
    await assert.rejects(
      // A rotation notice: Vonage is asked about both runs, and both failed.
      rotation(),
      /Restarting the archive failed 3 times/,
    );
    const pending = await stored<EventRecord>(`events/${event.id}`);
    assert.equal(pending.continuity!.archive!.pending, true);
    // The broadcast was restarted all the same.
    assert.equal(pending.continuity!.broadcast!.restarts, 1);
    assert.deepEqual(counts(), [1, 2]);
    const failures = (await systemTrail()).filter((entry) => entry.action === "archiveRestart");
    assert.deepEqual(
      failures.map((entry) => [entry.outcome, entry.details?.attempt]),
      [
        ["failed", 1],
        ["failed", 2],
        ["failed", 3],
      ],
    );
    assert.ok(failures.every((entry) => entry.error?.message));

    // The task's retry: the fault is gone, the pending restart completes, once.
    const retry = await restoreContinuity({ eventId: event.id, cause: "failed", at: Date.now(), kind: "archive", runId: live.archive!.id });
    assert.deepEqual(retry.restarted, ["archive"]);
    const done = await stored<EventRecord>(`events/${event.id}`);
    assert.equal(done.archive!.status, "started");
    assert.equal(done.continuity!.archive!.pending, undefined);
    assert.equal(done.continuity!.archive!.restarts, 1);
    assert.equal(archivesOf(world.standin, event.stageSessionId).filter((archive) => archive.status === "started").length, 1);
  });

  it("does nothing outside a live show", async () => {
    const closed = await eventIn("closed", { archiveEvent: true });
    const report = await restoreContinuity({ eventId: closed.id, cause: "serverRotation", at: Date.now() });
    assert.deepEqual(report, { checked: false, restarted: [], decisions: {} });
  });
});
