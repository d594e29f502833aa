import assert from "node:assert/strict";
import { expectHttpsError, fft } from "../../testing/harness";
import {
  asAdmin,
  asFan,
  asSuperAdmin,
  createAs,
  lifecycleWorld,
  statusAs,
  stored,
  type LifecycleWorld,
} from "../../testing/lifecycleFixtures";
import { createEvent } from "./createEvent";
import type { EventRecord } from "../model";

describe("events/createEvent", () => {
  const call = fft.wrap(createEvent);
  let world: LifecycleWorld;

  beforeEach(async () => {
    world = await lifecycleWorld();
  });

  it("creates both routed sessions on Vonage, the derived nodes, and returns the full event to its owner", async () => {
    const event = await createAs(asAdmin("adm1"), { name: "Late Night Show", archiveEvent: true, uncomposed: true });
    assert.equal(event.adminId, "adm1");
    assert.equal(event.status, "notStarted");
    assert.equal(event.fanUrl, "late-night-show");
    assert.equal(event.interactiveLimit, 50, "DEFAULT_INTERACTIVE_LIMIT");
    assert.equal(event.archiveEvent, true);
    assert.equal(event.uncomposed, true);
    assert.notEqual(event.sessionId, event.stageSessionId);
    const sessions = world.standin.state().sessions.map((session) => session.id);
    assert.ok(sessions.includes(event.sessionId) && sessions.includes(event.stageSessionId));
    assert.deepEqual(await stored(`events/${event.id}`), event);
    assert.equal((await stored<{ eventId: string }>(`eventKeys/adm1/fan/late-night-show`)).eventId, event.id);
    assert.equal((await stored<{ eventId: string }>(`eventKeys/adm1/host/${event.hostUrl}`)).eventId, event.id);
    assert.equal((await stored<{ eventId: string }>(`eventKeys/adm1/celebrity/${event.celebrityUrl}`)).eventId, event.id);
    assert.deepEqual(await stored(`stageGates/${event.id}`), { adminId: "adm1", status: "notStarted", limit: 50, hlsEnabled: true });
    assert.deepEqual(await stored(`sessionIndex/${event.stageSessionId}`), { eventId: event.id, adminId: "adm1", kind: "stage" });
  });

  it("IBS flaw 5: host and celebrity secrets are random (144 bits), distinct, and not derived from the name", async () => {
    const first = await createAs(asAdmin("adm1"), { name: "Same Name" });
    const second = await createAs(asAdmin("adm1"), { name: "Same Name" });
    for (const event of [first, second]) {
      assert.match(event.hostUrl, /^[A-Za-z0-9_-]{24}$/);
      assert.match(event.celebrityUrl, /^[A-Za-z0-9_-]{24}$/);
      assert.notEqual(event.hostUrl, event.celebrityUrl);
      assert.doesNotMatch(event.hostUrl.toLowerCase(), /same/);
    }
    assert.notEqual(first.hostUrl, second.hostUrl);
    assert.notEqual(first.celebrityUrl, second.celebrityUrl);
  });

  it("derives a unique fan slug among open events (-2, -3), refuses a taken explicit one, and reuses a closed event's slug", async () => {
    const a = await createAs(asAdmin("adm1"), { name: "Q&A Night" });
    const b = await createAs(asAdmin("adm1"), { name: "Q&A night!" });
    const c = await createAs(asAdmin("adm1"), { name: "q a night" });
    assert.deepEqual([a.fanUrl, b.fanUrl, c.fanUrl], ["q-a-night", "q-a-night-2", "q-a-night-3"]);
    await expectHttpsError(call({ data: { name: "Other", fanUrl: "q-a-night-2" }, auth: asAdmin("adm1") } as never), "already-exists");
    // Another admin has their own slug space.
    assert.equal((await createAs(asAdmin("adm2"), { name: "Q&A Night" })).fanUrl, "q-a-night");
    await statusAs(asAdmin("adm1"), a.id, "closed");
    const again = await createAs(asAdmin("adm1"), { name: "Other", fanUrl: "q-a-night" });
    assert.equal(again.fanUrl, "q-a-night");
    assert.equal((await stored<{ eventId: string }>("eventKeys/adm1/fan/q-a-night")).eventId, again.id);
  });

  it("createEvent clicked twice with one requestId makes one event and answers it both times", async () => {
    const data = { name: "Twice", requestId: "7f0c2a3e-double-click" };
    const [first, second] = await Promise.all([createAs(asAdmin("adm1"), data), createAs(asAdmin("adm1"), data)]);
    assert.equal(first.id, second.id);
    assert.equal((await createAs(asAdmin("adm1"), data)).id, first.id, "a later retry too");
    assert.deepEqual(Object.keys((await stored<Record<string, unknown>>("events")) ?? {}), [first.id]);
    assert.notEqual((await createAs(asAdmin("adm1"), { name: "Twice" })).id, first.id, "without a requestId, a new event");
  });

  it("stores the optional fields it was given", async () => {
    const event = await createAs(asAdmin("adm1"), {
      name: "Full",
      fanUrl: "full-show",
      redirectUrl: "https://example.com/thanks",
      rtmpOutputs: [{ serverUrl: "rtmps://live.example.com/app", streamName: "key-1" }],
      interactiveLimit: 12,
      dateTimeStart: "2026-05-01T20:00:00+02:00",
      dateTimeEnd: "2026-05-01T22:00:00+02:00",
      startImage: { id: "eventImages/adm1/start.png", url: "https://cdn.example.com/start.png" },
    });
    const saved = await stored<EventRecord>(`events/${event.id}`);
    assert.equal(saved.fanUrl, "full-show");
    assert.equal(saved.interactiveLimit, 12);
    assert.deepEqual(saved.rtmpOutputs, [{ serverUrl: "rtmps://live.example.com/app", streamName: "key-1" }]);
    assert.equal(saved.startImage?.id, "eventImages/adm1/start.png");
  });

  it("lets a superAdmin create for another admin; an admin may not (IBS flaw 3)", async () => {
    const event = await createAs(asSuperAdmin("root"), { name: "For Two", adminId: "adm2" });
    assert.equal(event.adminId, "adm2");
    await expectHttpsError(call({ data: { name: "X", adminId: "adm2" }, auth: asAdmin("adm1") } as never), "permission-denied");
    await expectHttpsError(call({ data: { name: "X", adminId: "nobody" }, auth: asSuperAdmin("root") } as never), "not-found");
    assert.equal(await stored("eventKeys/adm2/fan/x"), null);
  });

  it("refuses callers who are not admins", async () => {
    await expectHttpsError(call({ data: { name: "X" } } as never), "unauthenticated");
    await expectHttpsError(call({ data: { name: "X" }, auth: asFan("f1", "adm1", "e1") } as never), "permission-denied");
    assert.equal(await stored("events"), null);
  });

  it("refuses bad input with invalid-argument and the zod issues", async () => {
    const bad: Array<Record<string, unknown>> = [
      {},
      { name: "" },
      { name: "X", status: "live" },
      { name: "X", archiveId: "a" },
      { name: "X", redirectUrl: "http://example.com" },
      { name: "X", redirectUrl: "javascript:alert(1)" },
      { name: "X", rtmpOutputs: [{ serverUrl: "http://x.com/app", streamName: "k" }] },
      { name: "X", rtmpOutputs: [{ serverUrl: "rtmp://x.com/app" }] },
      { name: "X", rtmpOutputs: Array.from({ length: 6 }, () => ({ serverUrl: "rtmp://x.com/app", streamName: "k" })) },
      { name: "X", interactiveLimit: 0 },
      { name: "X", interactiveLimit: 1.5 },
      { name: "X", interactiveLimit: 15_001 },
      { name: "X", fanUrl: "Has Spaces" },
      { name: "X", dateTimeStart: "tomorrow" },
      { name: "X", startImage: { id: "eventImages/adm2/a.png", url: "https://x.com/a.png" } },
      { name: "X", startImage: { id: "../a.png", url: "https://x.com/a.png" } },
      { name: "X", startImage: { id: "eventImages/adm1/a.png", url: "javascript:alert(1)" } },
      { name: "X", endImage: { id: "eventImages/adm1/a.png", url: "data:image/svg+xml,<svg onload=alert(1)>" } },
      { name: "X", endImage: { id: "eventImages/adm1/a.png", url: "http://x.com/a.png" } },
      { name: "X", dateTimeStart: "2026-05-01T22:00:00Z", dateTimeEnd: "2026-05-01T20:00:00Z" },
    ];
    for (const data of bad) {
      const error = await expectHttpsError(call({ data, auth: asAdmin("adm1") } as never), "invalid-argument");
      assert.ok(Array.isArray((error.details as { issues?: unknown[] }).issues), JSON.stringify(data));
    }
    assert.equal(await stored("events"), null);
  });

  it("IBS flaw 18: a DEFAULT_INTERACTIVE_LIMIT of 0 (or too large) still gives a storable, positive limit", async () => {
    const before = process.env.DEFAULT_INTERACTIVE_LIMIT;
    try {
      process.env.DEFAULT_INTERACTIVE_LIMIT = "0";
      assert.equal((await createAs(asAdmin("adm1"), { name: "Zero" })).interactiveLimit, 1);
      process.env.DEFAULT_INTERACTIVE_LIMIT = "100000";
      assert.equal((await createAs(asAdmin("adm1"), { name: "Huge" })).interactiveLimit, 15_000);
    } finally {
      process.env.DEFAULT_INTERACTIVE_LIMIT = before;
    }
  });

  it("answers unavailable and stores nothing when Vonage cannot create the sessions", async () => {
    world.standin.injectFault({ method: "POST", path: "/session/create", status: 500, count: 0 });
    await expectHttpsError(call({ data: { name: "No Sessions" }, auth: asAdmin("adm1") } as never), "unavailable");
    assert.equal(await stored("events"), null);
    assert.equal(await stored("eventKeys"), null);
    world.standin.clearFaults();
    assert.equal((await createAs(asAdmin("adm1"), { name: "No Sessions" })).fanUrl, "no-sessions");
  });
});
