import assert from "node:assert/strict";
import { expectHttpsError, fft } from "../../testing/harness";
import { asAdmin, asSuperAdmin, createAs, lifecycleWorld, statusAs, stored, type LifecycleWorld } from "../../testing/lifecycleFixtures";
import { eventGoLive } from "../functions/eventGoLive";
import { endBroadcast } from "../functions/endBroadcast";
import { startArchive } from "../functions/startArchive";
import { stopArchive } from "../functions/stopArchive";
import { stopBroadcastAfterDrain } from "../functions/stopBroadcastAfterDrain";
import { auditPage, type AuditEntry } from "../../live/audit";
import type { EventRecord } from "../model";

/** [who, role, what, outcome, details] of every entry, oldest first. */
const rows = (entries: AuditEntry[]) =>
  entries.map((entry) => [
    entry.actor.uid,
    entry.actor.role,
    entry.action,
    entry.outcome,
    entry.details?.step ?? null,
    entry.details?.to ?? null,
  ]);

describe("events/lifecycle: status changes and archive actions in the audit trail", () => {
  let world: LifecycleWorld;
  const trail = async (eventId: string) => (await auditPage(eventId, 200)).entries;
  const act = (fn: unknown, id: string, auth = asAdmin("adm1")) =>
    (fft.wrap(fn as never) as unknown as (request: unknown) => Promise<unknown>)({ data: { id }, auth });

  beforeEach(async () => {
    world = await lifecycleWorld({ drainSeconds: 0 });
  });
  afterEach(() => world.standin.clearFaults());

  it("records who moved the show through each status and what each Vonage step did, with the system's drain stop", async () => {
    world = await lifecycleWorld({ drainSeconds: 1 });
    const event = await createAs(asAdmin("adm1"), { name: "Audited show", archiveEvent: true });
    await statusAs(asAdmin("adm1"), event.id, "preshow");
    await act(eventGoLive, event.id, asSuperAdmin("root1"));
    const live = await stored<EventRecord>(`events/${event.id}`);
    await act(endBroadcast, event.id);
    const [task] = world.tasks.filter((queued) => queued.functionName === "stopBroadcastAfterDrain");
    await stopBroadcastAfterDrain.run({ data: task.data } as never);

    const entries = await trail(event.id);
    assert.deepEqual(rows(entries), [
      ["adm1", "admin", "changeStatus", "ok", null, "preshow"],
      ["root1", "superAdmin", "eventGoLive", "ok", "archive", "live"],
      ["root1", "superAdmin", "eventGoLive", "ok", "broadcast", "live"],
      ["root1", "superAdmin", "eventGoLive", "ok", null, "live"],
      ["adm1", "admin", "endBroadcast", "ok", null, "closed"],
      ["adm1", "admin", "endBroadcast", "ok", "archiveStop", "closed"],
      ["system", "system", "stopBroadcastAfterDrain", "ok", "broadcastStop", "closed"],
    ]);
    const commit = entries[3];
    assert.equal(commit.details?.from, "preshow");
    assert.equal(commit.details?.archiveId, live.archive!.id);
    assert.equal(entries[1].target?.archiveId, live.archive!.id);
    assert.equal(entries[2].details?.hlsUrl, live.broadcast!.hlsUrl);
    assert.equal(entries[6].target?.broadcastId, live.broadcast!.id);
    assert.equal(entries[4].details?.from, "live");
    // Server time, in order.
    assert.ok(entries.every((entry, index) => typeof entry.at === "number" && (index === 0 || entry.at >= entries[index - 1].at)));
  });

  it("records a refused change and a Vonage failure with its error, and the retry that finished it", async () => {
    const event = await createAs(asAdmin("adm1"), { name: "Faulty show", archiveEvent: true });
    await expectHttpsError(statusAs(asAdmin("adm1"), event.id, "live"), "failed-precondition");
    await statusAs(asAdmin("adm1"), event.id, "preshow");
    world.standin.injectFault({ method: "POST", pathRegex: "/archive$", status: 500, count: 0 });
    await expectHttpsError(act(eventGoLive, event.id), "unavailable");
    world.standin.clearFaults();
    await act(eventGoLive, event.id);

    const entries = await trail(event.id);
    assert.deepEqual(rows(entries), [
      ["adm1", "admin", "changeStatus", "failed", null, "live"],
      ["adm1", "admin", "changeStatus", "ok", null, "preshow"],
      // The first click: the archive fails, the broadcast starts, nothing commits.
      ["adm1", "admin", "eventGoLive", "failed", "archive", "live"],
      ["adm1", "admin", "eventGoLive", "ok", "broadcast", "live"],
      // The retry does only what is missing.
      ["adm1", "admin", "eventGoLive", "ok", "archive", "live"],
      ["adm1", "admin", "eventGoLive", "ok", null, "live"],
    ]);
    assert.equal(entries[0].error?.code, "failed-precondition");
    assert.match(entries[0].error.message, /Cannot change the event from notStarted to live/);
    assert.equal(entries[2].error?.code, "rejected");
    assert.match(entries[2].error.message, /startArchive/);
  });

  it("records the producer's archive stop and start, and a refused start, with the archive worked on", async () => {
    const event = await createAs(asAdmin("adm1"), { name: "Archive show" });
    await expectHttpsError(act(startArchive, event.id), "failed-precondition");
    await statusAs(asAdmin("adm1"), event.id, "preshow");
    await statusAs(asAdmin("adm1"), event.id, "live");
    await act(startArchive, event.id);
    const first = (await stored<EventRecord>(`events/${event.id}`)).archive!;
    await act(stopArchive, event.id);
    // Someone else's caller leaves no trace here.
    await expectHttpsError(act(stopArchive, event.id, asAdmin("adm2")), "permission-denied");

    const archiveRows = (await trail(event.id))
      .filter((entry) => entry.action.endsWith("Archive"))
      .map((entry) => [entry.actor.uid, entry.action, entry.outcome, entry.target?.archiveId ?? null, entry.error?.code ?? null]);
    assert.deepEqual(archiveRows, [
      ["adm1", "startArchive", "failed", null, "failed-precondition"],
      ["adm1", "startArchive", "ok", first.id, null],
      ["adm1", "stopArchive", "ok", first.id, null],
    ]);
  });
});
