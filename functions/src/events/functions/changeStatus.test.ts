import assert from "node:assert/strict";
import { expectHttpsError, fft } from "../../testing/harness";
import {
  asAdmin,
  asFan,
  asHost,
  asSuperAdmin,
  eventIn,
  lifecycleWorld,
  stored,
  type LifecycleWorld,
} from "../../testing/lifecycleFixtures";
import { archivesOf, broadcastsOf } from "../../testing/vonageStandin";
import { changeStatus } from "./changeStatus";
import { db } from "../../platform/firebase";
import type { EventRecord } from "../model";
import { paths } from "../../contract/paths";

describe("events/changeStatus", () => {
  const call = fft.wrap(changeStatus);
  let world: LifecycleWorld;
  const change = (id: string, status: string, auth = asAdmin("adm1")) =>
    call({ data: { id, status }, auth } as never) as Promise<EventRecord>;

  beforeEach(async () => {
    world = await lifecycleWorld();
  });

  describe("refused transitions (IBS flaw 21): failed-precondition naming the allowed next states, nothing changes", () => {
    const refused: Array<[from: "notStarted" | "preshow" | "live" | "closed", to: string, allowed: RegExp]> = [
      ["notStarted", "live", /allowed next: preshow, closed/],
      ["preshow", "notStarted", /allowed next: live, closed/],
      ["live", "preshow", /allowed next: closed/],
      ["live", "notStarted", /allowed next: closed/],
      ["closed", "live", /closed event is final/],
      ["closed", "preshow", /closed event is final/],
      ["closed", "notStarted", /closed event is final/],
    ];
    for (const [from, to, allowed] of refused) {
      it(`${from} -> ${to}`, async () => {
        const event = await eventIn(from, { archiveEvent: true });
        const before = await stored<EventRecord>(`events/${event.id}`);
        const liveRecordBefore = await stored(`activeBroadcasts/adm1/${event.fanUrl}`);
        const archivesBefore = archivesOf(world.standin, event.stageSessionId).length;
        const error = await expectHttpsError(change(event.id, to), "failed-precondition");
        assert.match(error.message, allowed);
        assert.deepEqual(await stored(`events/${event.id}`), before);
        assert.deepEqual(await stored(`activeBroadcasts/adm1/${event.fanUrl}`), liveRecordBefore);
        assert.equal((await stored<{ status: string }>(`stageGates/${event.id}`)).status, from);
        assert.equal(archivesOf(world.standin, event.stageSessionId).length, archivesBefore);
      });
    }
  });

  it("preshow creates the live record without wiping fans already there (IBS flaw 20) and points currentEvents at it", async () => {
    const event = await eventIn("notStarted", {
      interactiveLimit: 7,
      startImage: { id: "eventImages/adm1/s.png", url: "https://cdn.example.com/s.png" },
    });
    await db()
      .ref(paths.liveRecord("adm1", event.fanUrl))
      .set({ eventId: event.id, activeFans: { "fan1-a": { id: "fan1-a", name: "Early" } } });
    const result = await change(event.id, "preshow");
    assert.equal(result.status, "preshow");
    assert.equal(result.lifecycle?.pending, undefined);
    const record = await stored<Record<string, unknown>>(`activeBroadcasts/adm1/${event.fanUrl}`);
    assert.deepEqual(record, {
      eventId: event.id,
      name: event.name,
      status: "preshow",
      interactiveLimit: 7,
      hlsEnabled: true,
      archiving: false,
      startImage: { id: "eventImages/adm1/s.png", url: "https://cdn.example.com/s.png" },
      activeFans: { "fan1-a": { id: "fan1-a", name: "Early" } },
    });
    assert.equal((await stored<{ eventId: string; status: string }>("currentEvents/adm1")).eventId, event.id);
    assert.equal((await stored<{ status: string }>(`stageGates/${event.id}`)).status, "preshow");
    assert.equal((await stored<{ status: string }>(`eventKeys/adm1/fan/${event.fanUrl}`)).status, "preshow");
  });

  it("live stamps showStartedAt, starts a composed archive and the HLS + RTMP broadcast on the stage session and stores their ids (IBS flaws 13, 14)", async () => {
    const rtmpOutputs = [{ serverUrl: "rtmp://live.example.com/app", streamName: "stream-key" }];
    const event = await eventIn("preshow", { archiveEvent: true, rtmpOutputs });
    const live = await change(event.id, "live");
    assert.equal(live.status, "live");
    assert.equal(typeof live.showStartedAt, "number");
    const [archive] = archivesOf(world.standin, event.stageSessionId);
    assert.equal(archive.status, "started");
    assert.equal(archive.outputMode, "composed");
    const [broadcast] = broadcastsOf(world.standin, event.stageSessionId) as unknown as Array<{
      id: string;
      status: string;
      broadcastUrls: { hls: string; rtmp: Array<{ serverUrl: string; streamName: string }> };
    }>;
    assert.equal(broadcast.status, "started");
    assert.deepEqual(
      broadcast.broadcastUrls.rtmp.map(({ serverUrl, streamName }) => ({ serverUrl, streamName })),
      rtmpOutputs,
      "the current request shape: an array of {serverUrl, streamName}",
    );
    assert.equal(
      archivesOf(world.standin, event.sessionId).length + broadcastsOf(world.standin, event.sessionId).length,
      0,
      "nothing on backstage",
    );
    assert.equal(live.archive?.id, archive.id);
    assert.equal(live.archive?.status, "started");
    assert.equal(live.broadcast?.id, broadcast.id);
    assert.equal(live.broadcast?.hlsUrl, broadcast.broadcastUrls.hls);
    const record = await stored<Record<string, unknown>>(`activeBroadcasts/adm1/${event.fanUrl}`);
    assert.equal(record.status, "live");
    assert.equal(record.archiving, true);
    assert.equal(record.hlsUrl, broadcast.broadcastUrls.hls);
    assert.equal((await stored<{ hlsUrl: string }>(`stageGates/${event.id}`)).hlsUrl, broadcast.broadcastUrls.hls);
    assert.doesNotMatch(JSON.stringify(record), /stream-key/, "the RTMP stream key never reaches the live record (IBS flaw 7)");
  });

  it("live with uncomposed archives individual streams; without HLS or RTMP no broadcast starts", async () => {
    const event = await eventIn("preshow", { archiveEvent: true, uncomposed: true });
    await db().ref("admins/adm1/hls").set(false);
    const live = await change(event.id, "live");
    assert.equal(archivesOf(world.standin, event.stageSessionId)[0].outputMode, "individual");
    assert.equal(broadcastsOf(world.standin, event.stageSessionId).length, 0);
    assert.equal(live.broadcast, undefined);
    assert.equal((await stored<Record<string, unknown>>(`activeBroadcasts/adm1/${event.fanUrl}`)).hlsUrl, undefined);
  });

  it("exactly once: concurrent go-lives by two producers start one archive and one broadcast", async () => {
    const event = await eventIn("preshow", { archiveEvent: true });
    const results = await Promise.all([change(event.id, "live"), change(event.id, "live", asSuperAdmin("root")), change(event.id, "live")]);
    assert.ok(results.every((result) => result.id === event.id));
    assert.equal(archivesOf(world.standin, event.stageSessionId).length, 1);
    assert.equal(broadcastsOf(world.standin, event.stageSessionId).length, 1);
    const stored1 = await stored<EventRecord>(`events/${event.id}`);
    assert.equal(stored1.status, "live");
    // A later repeat changes nothing either.
    const startedAt = stored1.showStartedAt;
    const again = await change(event.id, "live");
    assert.equal(again.showStartedAt, startedAt);
    assert.equal(archivesOf(world.standin, event.stageSessionId).length, 1);
  });

  it("closed stamps showEndedAt, stops the archive, marks the record closed, drains then stops the broadcast and removes the record", async () => {
    world = await lifecycleWorld({ drainSeconds: 60 });
    const event = await eventIn("live", { archiveEvent: true });
    const closed = await change(event.id, "closed");
    assert.equal(closed.status, "closed");
    assert.equal(typeof closed.showEndedAt, "number");
    assert.match(archivesOf(world.standin, event.stageSessionId)[0].status, /^(stopped|available|uploaded)$/, "no longer recording");
    assert.equal(closed.archive?.status, "stopped");
    // The broadcast drains: still running, a task is queued for when the drain ends.
    assert.equal(broadcastsOf(world.standin, event.stageSessionId)[0].status, "started");
    assert.ok(closed.broadcast?.stopAfter && closed.broadcast.stopAfter >= closed.showEndedAt! + 59_000);
    assert.deepEqual(
      world.tasks.map((task) => [task.functionName, task.data]),
      [["stopBroadcastAfterDrain", { eventId: event.id }]],
    );
    assert.ok(world.tasks[0].options.scheduleDelaySeconds > 58);
    assert.deepEqual(closed.lifecycle?.pending, ["broadcastStop", "removeLiveRecord"]);
    assert.equal((await stored<{ status: string }>(`activeBroadcasts/adm1/${event.fanUrl}`)).status, "closed");
    // The fan link answers "closed" (loginFan: failed-precondition); a new event may claim the slug.
    assert.equal(
      (await stored<{ status: string }>(`eventKeys/adm1/fan/${event.fanUrl}`)).status,
      "closed",
      "the slug entry is marked closed",
    );
    assert.equal((await stored<{ status: string }>(`eventKeys/adm1/host/${event.hostUrl}`)).status, "closed");
    assert.equal(await stored("currentEvents/adm1"), null);
    // A repeated close before the drain ends changes nothing.
    await change(event.id, "closed");
    assert.equal(broadcastsOf(world.standin, event.stageSessionId)[0].status, "started");
  });

  it("closed without a broadcast removes the live record at once; notStarted -> closed needs no record", async () => {
    await db().ref("admins/adm1/hls").set(false);
    const event = await eventIn("live");
    await change(event.id, "closed");
    assert.equal(await stored(`activeBroadcasts/adm1/${event.fanUrl}`), null);
    const never = await eventIn("notStarted");
    const closed = await change(never.id, "closed");
    assert.equal(closed.status, "closed");
    assert.equal(await stored(`activeBroadcasts/adm1/${never.fanUrl}`), null);
  });

  it("currentEvents and the stored pointer follow the newest live, else newest preshow event (IBS flaw 19)", async () => {
    const older = await eventIn("live");
    const newerPreshow = await eventIn("preshow");
    assert.equal((await stored<{ eventId: string }>("currentEvents/adm1")).eventId, older.id, "live beats a newer preshow");
    const newerLive = await change(newerPreshow.id, "live");
    assert.equal((await stored<{ eventId: string }>("currentEvents/adm1")).eventId, newerLive.id);
  });

  it("only the owner or a superAdmin changes the status (IBS flaw 3)", async () => {
    const event = await eventIn("notStarted");
    await expectHttpsError(change(event.id, "preshow", asAdmin("adm2")), "permission-denied");
    await expectHttpsError(change(event.id, "preshow", asFan("f1", "adm1", event.id)), "permission-denied");
    await expectHttpsError(change(event.id, "preshow", asHost("h1", "adm1", event.id)), "permission-denied");
    await expectHttpsError(call({ data: { id: event.id, status: "preshow" } } as never), "unauthenticated");
    assert.equal((await stored<EventRecord>(`events/${event.id}`)).status, "notStarted");
    assert.equal((await change(event.id, "preshow", asSuperAdmin("root"))).status, "preshow");
    await expectHttpsError(change("missing-event", "preshow"), "not-found");
    await expectHttpsError(change(event.id, "started"), "invalid-argument");
  });

  it("a stale lease of a crashed runner is taken over by the next call", async () => {
    const event = await eventIn("preshow", { archiveEvent: true });
    // A runner that claimed go-live and died before starting anything.
    await db()
      .ref(`events/${event.id}/lifecycle`)
      .set({
        target: "live",
        pending: ["archive", "broadcast", "commit", "currentEvent"],
        lease: { id: "dead", until: Date.now() - 1 },
        hls: true,
        startedAt: 1,
        updatedAt: 1,
      });
    const live = await change(event.id, "live");
    assert.equal(live.status, "live");
    assert.equal(archivesOf(world.standin, event.stageSessionId).length, 1);
  });

  it("a live lease makes a concurrent different transition fail with failed-precondition", async () => {
    const event = await eventIn("preshow");
    await db()
      .ref(`events/${event.id}/lifecycle`)
      .set({ target: "live", pending: ["commit"], lease: { id: "busy", until: Date.now() + 60_000 }, startedAt: 1, updatedAt: 1 });
    const error = await expectHttpsError(change(event.id, "closed"), "failed-precondition");
    assert.match(error.message, /in progress/);
    assert.equal((await stored<EventRecord>(`events/${event.id}`)).status, "preshow");
  });
});
