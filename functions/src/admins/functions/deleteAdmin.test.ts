import assert from "node:assert/strict";
import { expectHttpsError, fft, LOCAL_VONAGE, resetDatabase, useFakeAuth, type FakeAuth } from "../../testing/harness";
import { callers, HUGE, NON_ADMINS, type CallerName } from "../../testing/callers";
import { testVonage, type TestVonage } from "../../testing/vonageStandin";
import { seedAdmin, seedEvent } from "../../testing/fixtures";
import { db } from "../../platform/firebase";
import { eventKeyRecord, type EventRecord } from "../../events/model";
import { startArchive, startBroadcast } from "../../platform/vonage/operations";
import { deleteAdmin } from "./deleteAdmin";

/**
 * Every leaf of the database as `path = value`, for "what remains" checks; the revocation time that
 * refuses the removed admin's ID tokens until they expire (platform/revocation) is meant to stay.
 */
function leaves(value: unknown, prefix = ""): string[] {
  if (prefix === "tokenRevocations") return [];
  if (value === null || typeof value !== "object") return [`${prefix} = ${JSON.stringify(value)}`];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => leaves(child, prefix ? `${prefix}/${key}` : key));
}

describe("admins/deleteAdmin", () => {
  const call = fft.wrap(deleteAdmin);
  let auth: FakeAuth;
  let vonage: TestVonage;
  const as = (name: CallerName, data: unknown) =>
    call({ data, auth: callers[name] } as never) as Promise<{ id: string; existed: boolean; removedEvents: number }>;
  const dump = async () => ((await db().ref().once("value")).val() ?? {}) as Record<string, unknown>;
  const session = () => vonage.createSession({ apiKey: LOCAL_VONAGE.apiKey }).sessionId;
  const image = (adminId: string, name: string) => ({
    id: `eventImages/${adminId}/${name}`,
    url: `https://storage.example/${adminId}/${name}`,
  });

  /** One admin with everything an admin can have: events in every state, live records, seats, attendance, running Vonage work, images. */
  async function seedFullAdmin(adminId: string): Promise<{ events: EventRecord[]; archives: string[]; broadcasts: string[] }> {
    await seedAdmin(adminId);
    await auth.createUser({ uid: adminId, email: `${adminId}@example.com` });
    const events: EventRecord[] = [];
    events.push(await seedEvent(adminId, { startImage: image(adminId, "start.png"), endImage: image(adminId, "end.png") }));
    const preshow = await seedEvent(adminId, { status: "preshow", sessionId: session(), stageSessionId: session() });
    events.push(preshow);
    // Live, with an archive and an HLS broadcast we know the ids of.
    const live = await seedEvent(adminId, {
      status: "live",
      sessionId: session(),
      stageSessionId: session(),
      startImage: image(adminId, "live.png"),
    });
    const archive = await startArchive(LOCAL_VONAGE, live.stageSessionId, { name: live.name, outputMode: "composed" });
    const broadcast = await startBroadcast(LOCAL_VONAGE, live.stageSessionId, { hls: true, rtmp: [] });
    await db()
      .ref(`events/${live.id}`)
      .update({
        archive: { id: archive.id, status: "started", outputMode: "composed" },
        broadcast: { id: broadcast.id, status: "started", hlsUrl: broadcast.broadcastUrls?.hls ?? "" },
        showStartedAt: Date.now(),
      });
    events.push(live);
    // Live, but the archive start's answer was lost: Vonage runs an archive whose id we never stored.
    const lost = await seedEvent(adminId, { status: "live", sessionId: session(), stageSessionId: session(), archiveEvent: true });
    const lostArchive = await startArchive(LOCAL_VONAGE, lost.stageSessionId, { name: lost.name, outputMode: "composed" });
    await db().ref(`events/${lost.id}/archive`).set({ status: "starting" });
    events.push(lost);
    // Closed, its broadcast still draining.
    const closed = await seedEvent(adminId, {
      status: "closed",
      sessionId: session(),
      stageSessionId: session(),
      endImage: image(adminId, "bye.png"),
    });
    const draining = await startBroadcast(LOCAL_VONAGE, closed.stageSessionId, { hls: true, rtmp: [] });
    await db()
      .ref(`events/${closed.id}/broadcast`)
      .set({ id: draining.id, status: "started", stopAfter: Date.now() + 30_000 });
    events.push(closed);

    const fanUid = `fanof${adminId}`;
    await db()
      .ref()
      .update({
        [`currentEvents/${adminId}`]: eventKeyRecord(live),
        [`activeBroadcasts/${adminId}/${live.fanUrl}`]: {
          eventId: live.id,
          status: "live",
          producerActive: true,
          activeFans: { [`${fanUid}-tab1`]: { id: `${fanUid}-tab1`, name: "Fan", snapshot: "data:image/png;base64,AAAA" } },
        },
        [`activeBroadcasts/${adminId}/${preshow.fanUrl}`]: { eventId: preshow.id, status: "preshow" },
        [`stageGates/${live.id}/shards/s0/${fanUid}`]: { c1: { at: Date.now() } },
        [`attendance/${live.id}/participants/${fanUid}`]: { minutes: 3 },
        [`attendance/${closed.id}/participants/${fanUid}`]: { minutes: 40 },
        [`processedCallbacks/${live.id}/cb1`]: { at: Date.now() },
      });
    return { events, archives: [archive.id, lostArchive.id], broadcasts: [broadcast.id, draining.id] };
  }

  before(async () => {
    vonage = await testVonage();
    process.env.IMAGE_DELETIONS_TO_DATABASE = "true";
  });
  after(() => {
    delete process.env.IMAGE_DELETIONS_TO_DATABASE;
  });

  beforeEach(async () => {
    vonage.reset();
    auth = useFakeAuth();
    await resetDatabase();
    await seedAdmin("sup1", { superAdmin: true });
    await auth.createUser({ uid: "sup1", email: "sup1@example.com" });
  });

  it("removes the admin and everything of theirs; the database is exactly what it was without them, other admins untouched", async () => {
    // The other admin, with a live show of their own, seeded first: the expected end state.
    await seedAdmin("adm2");
    await auth.createUser({ uid: "adm2", email: "adm2@example.com" });
    const other = await seedEvent("adm2", {
      status: "live",
      sessionId: session(),
      stageSessionId: session(),
      startImage: image("adm2", "x.png"),
    });
    const otherBroadcast = await startBroadcast(LOCAL_VONAGE, other.stageSessionId, { hls: true, rtmp: [] });
    await db().ref(`activeBroadcasts/adm2/${other.fanUrl}`).set({ eventId: other.id, status: "live" });
    await db().ref(`processedCallbacks/${other.id}/cb2`).set({ at: 1 });
    const expected = await dump();

    const seeded = await seedFullAdmin("adm1");
    const result = await as("superAdmin", { id: "adm1" });
    assert.deepEqual(result, { id: "adm1", existed: true, removedEvents: seeded.events.length });

    // The one deliberate leftover: the revocation time that refuses the removed admin's ID tokens
    // until they expire (platform/revocation drops it after that).
    const { localImageDeletions, tokenRevocations, ...remaining } = await dump();
    assert.deepEqual(Object.keys(tokenRevocations as object), ["adm1"]);
    assert.deepEqual(remaining, expected);
    const identifiers = [
      "adm1",
      ...seeded.events.flatMap((event) => [event.id, event.sessionId, event.stageSessionId, event.hostUrl, event.celebrityUrl]),
    ];
    const leftovers = leaves(remaining).filter((leaf) => identifiers.some((identifier) => leaf.includes(identifier)));
    assert.deepEqual(leftovers, [], "nothing of the deleted admin remains");

    assert.equal(auth.users.has("adm1"), false);
    assert.equal(auth.users.has("adm2"), true);

    const deletions = JSON.stringify(localImageDeletions);
    for (const name of ["start.png", "end.png", "live.png", "bye.png"]) assert.ok(deletions.includes(`eventImages/adm1/${name}`), name);
    assert.ok(deletions.includes('"prefix":"eventImages/adm1/"'), "the whole image folder, unattached uploads included");
    assert.ok(!deletions.includes("adm2"));

    const state = vonage.state();
    for (const archiveId of seeded.archives) assert.notEqual(state.archives.find((a) => a.id === archiveId)?.status, "started", archiveId);
    for (const broadcastId of seeded.broadcasts)
      assert.equal(state.broadcasts.find((b) => b.id === broadcastId)?.status, "stopped", broadcastId);
    assert.equal(state.broadcasts.find((b) => b.id === otherBroadcast.id)?.status, "started", "the other admin's show goes on");
  });

  it("is idempotent: a retry after a failure part-way finishes the job, a second call is harmless", async () => {
    await seedFullAdmin("adm1");
    const deleteUser = auth.deleteUser.bind(auth);
    let failures = 1;
    auth.deleteUser = async (uid: string) => {
      if (failures-- > 0) throw new Error("auth backend hiccup");
      return deleteUser(uid);
    };
    await expectHttpsError(as("superAdmin", { id: "adm1" }), "internal");
    assert.equal(auth.users.get("adm1")?.disabled, true, "the account was disabled before the cleanup");
    const retry = await as("superAdmin", { id: "adm1" });
    assert.equal(retry.existed, true, "the Auth user was still there");
    assert.equal(auth.users.has("adm1"), false);
    const again = await as("superAdmin", { id: "adm1" });
    assert.deepEqual(again, { id: "adm1", existed: false, removedEvents: 0 });
    const { localImageDeletions: _ignored, ...remaining } = await dump();
    assert.deepEqual(
      leaves(remaining).filter((leaf) => leaf.includes("adm1")),
      [],
    );
  });

  it("still deletes everything when Vonage is down (stops are best effort)", async () => {
    const seeded = await seedFullAdmin("adm1");
    vonage.injectFault({ pathRegex: "^/v2/", status: 500, count: 0 });
    await as("superAdmin", { id: "adm1" });
    vonage.clearFaults();
    const { localImageDeletions: _ignored, ...remaining } = await dump();
    assert.deepEqual(
      leaves(remaining).filter((leaf) => leaf.includes("adm1") || seeded.events.some((event) => leaf.includes(event.id))),
      [],
    );
  });

  it("deletes an admin who never had events or credentials of their own", async () => {
    await seedAdmin("adm3", {}, null);
    await auth.createUser({ uid: "adm3", email: "adm3@example.com" });
    assert.deepEqual(await as("superAdmin", { id: "adm3" }), { id: "adm3", existed: true, removedEvents: 0 });
    assert.equal((await db().ref("admins/adm3").once("value")).exists(), false);
  });

  it("a superAdmin cannot delete themselves", async () => {
    await expectHttpsError(as("superAdmin", { id: "sup1" }), "failed-precondition");
    assert.equal(auth.users.has("sup1"), true);
  });

  it("IBS flaw 3: only a superAdmin deletes admins; an admin cannot even delete themselves", async () => {
    await seedAdmin("adm1");
    await auth.createUser({ uid: "adm1", email: "adm1@example.com" });
    await expectHttpsError(call({ data: { id: "adm1" } } as never), "unauthenticated");
    for (const name of [...NON_ADMINS, "admin", "otherAdmin"] as const)
      await expectHttpsError(as(name, { id: "adm1" }), "permission-denied");
    assert.equal(auth.users.has("adm1"), true);
    assert.equal((await db().ref("admins/adm1").once("value")).exists(), true);
  });

  it("bad inputs get invalid-argument", async () => {
    for (const data of [{}, { id: null }, { id: "" }, { id: HUGE }, { id: "../admins" }, { id: "adm1", cascade: false }]) {
      await expectHttpsError(as("superAdmin", data), "invalid-argument");
    }
  });
});
