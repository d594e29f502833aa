import assert from "node:assert/strict";
import { liveEventForCallbacks, outcome, postCallback as post, T0 } from "../testing/callbackRequests";
import { setTaskEnqueuerForTests, type EnqueueOptions } from "../platform/tasks";
import { db } from "../platform/firebase";
import type { EventRecord } from "../events/model";
import { auditPage } from "../live/audit";
import { CONTINUITY_FUNCTION } from "./continuityNotices";

interface Captured {
  functionName: string;
  data: Record<string, unknown>;
  options: EnqueueOptions;
}

describe("analytics/vonageCallbacks: rotation notices and ended runs call for show continuity", () => {
  let event: EventRecord;
  let tasks: Captured[];
  const names = new Set<string>();

  const notice = (
    type: "sessionNotification" | "sessionDestroyed",
    extra: Record<string, unknown> = {},
    sessionId = event.stageSessionId,
  ) => ({
    sessionId,
    projectId: "12345678",
    event: type,
    timestamp: T0 + 1000,
    ...extra,
  });
  const report = (kind: "archive" | "broadcast", id: string, status: string) => ({
    event: kind,
    id,
    sessionId: event.stageSessionId,
    status,
    updatedAt: T0 + 2000,
    partnerId: "12345678",
  });
  const trail = async () => (await auditPage(event.id, 50)).entries.map((entry) => [entry.action, entry.actor.uid, entry.target?.session]);

  beforeEach(async () => {
    event = await liveEventForCallbacks();
    await db()
      .ref(`events/${event.id}`)
      .update({ archive: { id: "arch-1", status: "started" }, broadcast: { id: "bc-1", status: "started", hlsUrl: "https://x/1.m3u8" } });
    tasks = [];
    names.clear();
    // Cloud Tasks refuses a second task with the same name, as here.
    setTaskEnqueuerForTests(async (functionName, data, options) => {
      if (options.id && names.has(options.id))
        throw Object.assign(new Error("Task already exists"), { code: "functions/task-already-exists" });
      if (options.id) names.add(options.id);
      tasks.push({ functionName, data, options });
    });
  });

  it("a stage rotation is audited (system) and enqueues one continuity task, however often it is delivered", async () => {
    const body = notice("sessionDestroyed", { reason: "serverRotation" });
    assert.equal(outcome(await post(body)), "applied");
    assert.equal(outcome(await post(body)), "duplicate");
    assert.deepEqual(
      tasks.map((task) => [task.functionName, task.data]),
      [[CONTINUITY_FUNCTION, { eventId: event.id, cause: "serverRotation", at: T0 + 1000 }]],
    );
    assert.deepEqual(await trail(), [["serverRotation", "system", "stage"]]);
  });

  it("the advance notice and a backstage rotation are audited only; an ordinary session end is ignored", async () => {
    await post(notice("sessionNotification"));
    await post(notice("sessionDestroyed", { reason: "serverRotation" }, event.sessionId));
    await post(notice("sessionDestroyed", { reason: "clientDisconnected", timestamp: T0 + 5000 }));
    assert.deepEqual(tasks, []);
    assert.deepEqual(await trail(), [
      ["serverRotationNotice", "system", "stage"],
      ["serverRotation", "system", "backstage"],
    ]);
  });

  it("a failed or stopped report of the live show's current run enqueues a check; other runs' and other statuses' do not", async () => {
    await post(report("broadcast", "bc-1", "failed"));
    await post(report("archive", "arch-1", "stopped"));
    await post(report("archive", "arch-0", "failed"));
    await post(report("archive", "arch-1", "started"));
    assert.deepEqual(
      tasks.map((task) => task.data),
      [
        { eventId: event.id, cause: "failed", at: T0 + 2000, kind: "broadcast", runId: "bc-1" },
        { eventId: event.id, cause: "stopped", at: T0 + 2000, kind: "archive", runId: "arch-1" },
      ],
    );
    // The report itself is applied as before.
    assert.equal((await db().ref(`events/${event.id}/broadcast/status`).once("value")).val(), "failed");
  });

  it("answers 500 and keeps no claim when the task cannot be enqueued, so the platform's retry enqueues it", async () => {
    setTaskEnqueuerForTests(async () => {
      throw new Error("Cloud Tasks unavailable");
    });
    const body = notice("sessionDestroyed", { reason: "serverRotation" });
    assert.equal((await post(body)).statusCode, 500);
    setTaskEnqueuerForTests(async (functionName, data, options) => {
      tasks.push({ functionName, data, options });
    });
    assert.equal(outcome(await post(body)), "applied");
    assert.equal(tasks.length, 1);
  });
});
