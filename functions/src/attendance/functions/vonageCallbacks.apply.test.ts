import assert from "node:assert/strict";
import {
  connectionCallback,
  everything,
  liveEventForCallbacks,
  outcome,
  postCallback as post,
  T0,
  attendanceOf,
  type ConnectionArgs,
} from "../../testing/callbackRequests";
import { connectionData } from "../../seats/connectionData";
import { db } from "../../platform/firebase";
import type { EventRecord } from "../../events/model";

const MIN = 60_000;

describe("analytics/vonageCallbacks: applying callbacks", () => {
  let event: EventRecord;

  const connectionEvent = (...args: ConnectionArgs) => connectionCallback(event, ...args);

  const attendance = () => attendanceOf(event);

  beforeEach(async () => {
    event = await liveEventForCallbacks();
  });

  describe("attendance", () => {
    it("records a connection keyed by the participant id from our connection data, with the callback's times", async () => {
      await post(connectionEvent("connectionCreated", "c1", { participantId: "fan1", name: "Ann" }, T0, T0 + 5));
      await post(connectionEvent("connectionDestroyed", "c1", { participantId: "fan1", name: "Ann" }, T0, T0 + 10 * MIN));
      const backstage = connectionEvent("connectionCreated", "c2", { participantId: "fan1" }, T0 + MIN, T0 + MIN, event.sessionId);
      await post(backstage);
      assert.deepEqual((await attendance()).connections, {
        c1: {
          participantId: "fan1",
          userType: "fan",
          name: "Ann",
          session: "stage",
          joinedAt: T0,
          leftAt: T0 + 10 * MIN,
          reason: "clientDisconnected",
        },
        c2: { participantId: "fan1", userType: "fan", session: "backstage", joinedAt: T0 + MIN },
      });
    });

    it("counts a connection whose data we did not mint under its connection id, userType unknown", async () => {
      await post(connectionEvent("connectionCreated", "c-raw", { raw: "hello" }, T0));
      await post(
        connectionEvent(
          "connectionCreated",
          "c-other",
          { raw: JSON.stringify({ userType: "producer", participantId: "p", eventId: "another-event" }) },
          T0,
        ),
      );
      const { connections } = await attendance();
      assert.deepEqual(connections["c-raw"], { participantId: "c-raw", userType: "unknown", session: "stage", joinedAt: T0 });
      assert.equal(connections["c-other"].userType, "unknown", "connection data of another event is not trusted");
    });

    it("deduplicates a redelivery: the second delivery is a no-op answered 2xx", async () => {
      const created = connectionEvent("connectionCreated", "c1", { participantId: "fan1" }, T0);
      assert.equal(outcome(await post(created)), "applied");
      const first = await everything();
      const again = await post(created); // new token, same content: a platform retry
      assert.equal(again.statusCode, 200);
      assert.equal(outcome(again), "duplicate");
      assert.deepEqual(await everything(), first);
      assert.equal(Object.keys((await db().ref(`processedCallbacks/${event.id}`).once("value")).val()).length, 1);
    });

    it("tolerates out-of-order delivery: a destroy before its create yields one closed interval", async () => {
      await post(connectionEvent("connectionDestroyed", "c1", { participantId: "fan1" }, T0, T0 + 7 * MIN));
      assert.deepEqual((await attendance()).connections.c1, {
        participantId: "fan1",
        userType: "fan",
        session: "stage",
        joinedAt: T0,
        leftAt: T0 + 7 * MIN,
        reason: "clientDisconnected",
      });
      assert.equal(outcome(await post(connectionEvent("connectionCreated", "c1", { participantId: "fan1" }, T0, T0 + 2))), "applied");
      const record = (await attendance()).connections.c1;
      assert.equal(record.joinedAt, T0);
      assert.equal(record.leftAt, T0 + 7 * MIN, "the late create does not reopen the interval");
    });

    it("records published streams, in either order", async () => {
      const stream = (type: "streamCreated" | "streamDestroyed", timestamp: number) => ({
        sessionId: event.stageSessionId,
        event: type,
        timestamp,
        stream: {
          id: "s1",
          createdAt: T0 + MIN,
          name: "host cam",
          videoType: "camera",
          connection: { id: "c9", createdAt: T0, data: connectionData({ userType: "host", participantId: "host1", eventId: event.id }) },
        },
      });
      assert.equal(outcome(await post(stream("streamDestroyed", T0 + 9 * MIN))), "applied");
      assert.equal(outcome(await post(stream("streamCreated", T0 + MIN))), "applied");
      assert.deepEqual((await attendance()).streams.s1, {
        connectionId: "c9",
        participantId: "host1",
        videoType: "camera",
        startedAt: T0 + MIN,
        endedAt: T0 + 9 * MIN,
      });
    });

    it("a delivery that finds the same callback being processed gets 503 (retry), a stale claim is taken over", async () => {
      const created = connectionEvent("connectionCreated", "c1", { participantId: "fan1" }, T0);
      const { callbackDedupeKey } = await import("../callbacks");
      const claimPath = `processedCallbacks/${event.id}/${callbackDedupeKey(created)}`;
      await db().ref(claimPath).set({ state: "processing", event: "connectionCreated", claimedAt: Date.now() });
      const busy = await post(created);
      assert.equal(busy.statusCode, 503);
      assert.equal(busy.headers["Retry-After"], "5");
      assert.equal(await attendance(), null);
      await db()
        .ref(claimPath)
        .set({ state: "processing", event: "connectionCreated", claimedAt: Date.now() - 10 * MIN });
      assert.equal(outcome(await post(created)), "applied");
      assert.equal((await db().ref(claimPath).once("value")).val().state, "done");
    });
  });

  describe("archive and broadcast status", () => {
    const archiveCallback = (status: string, extra: Record<string, unknown> = {}) => ({
      event: "archive",
      id: "arch-1",
      sessionId: event.stageSessionId,
      partnerId: 47000001,
      status,
      createdAt: T0,
      updatedAt: T0 + MIN,
      url: null,
      reason: "",
      ...extra,
    });
    const archive = async () => (await db().ref(`events/${event.id}/archive`).once("value")).val();
    const broadcast = async () => (await db().ref(`events/${event.id}/broadcast`).once("value")).val();

    it("moves the event's archive forward and records where it is when available", async () => {
      await db().ref(`events/${event.id}/archive`).set({ id: "arch-1", status: "started", outputMode: "composed" });
      assert.equal(outcome(await post(archiveCallback("stopped"))), "applied");
      assert.equal(
        outcome(await post(archiveCallback("available", { url: "https://example.com/a.mp4", updatedAt: T0 + 2 * MIN }))),
        "applied",
      );
      assert.deepEqual(await archive(), {
        id: "arch-1",
        status: "available",
        outputMode: "composed",
        url: "https://example.com/a.mp4",
        updatedAt: T0 + 2 * MIN,
      });
      // A late `started` (out of order) does not move it back.
      const late = await post(archiveCallback("started"));
      assert.equal(late.statusCode, 200);
      assert.equal(outcome(late), "stale");
      assert.equal((await archive()).status, "available");
    });

    it("records a failure with Vonage's reason", async () => {
      await db().ref(`events/${event.id}/archive`).set({ id: "arch-1", status: "started" });
      await post(archiveCallback("failed", { reason: "storage upload failed" }));
      assert.deepEqual(await archive(), {
        id: "arch-1",
        status: "failed",
        updatedAt: T0 + MIN,
        error: "Vonage reported the archive failed: storage upload failed",
      });
    });

    it("ignores another archive id, statuses it does not model, and events without an archive", async () => {
      await db().ref(`events/${event.id}/archive`).set({ id: "arch-1", status: "started" });
      assert.equal(outcome(await post(archiveCallback("stopped", { id: "arch-other" }))), "stale");
      assert.equal(outcome(await post(archiveCallback("paused"))), "stale");
      assert.deepEqual(await archive(), { id: "arch-1", status: "started" });
      await db().ref(`events/${event.id}/archive`).remove();
      assert.equal(outcome(await post(archiveCallback("stopped"))), "stale");
      assert.equal(await archive(), null, "no archive node is invented");
    });

    it("moves the event's broadcast status forward only, for the broadcast it knows", async () => {
      await db().ref(`events/${event.id}/broadcast`).set({ id: "b-1", status: "started", hlsUrl: "https://cdn.example/x.m3u8" });
      const cb = (status: string, id = "b-1") => ({
        event: "broadcast",
        id,
        sessionId: event.stageSessionId,
        projectId: "47000001",
        status,
        updatedAt: T0 + 5 * MIN,
      });
      assert.equal(outcome(await post(cb("stopped", "b-other"))), "stale");
      assert.equal(outcome(await post(cb("stopped"))), "applied");
      assert.equal(outcome(await post(cb("started"))), "stale");
      assert.deepEqual(await broadcast(), { id: "b-1", status: "stopped", hlsUrl: "https://cdn.example/x.m3u8", updatedAt: T0 + 5 * MIN });
    });
  });
});
