/**
 * The database server restarted in the middle of a live show: every connection drops (the functions'
 * firebase-admin and the fans' web SDKs), the server is down a moment, and comes back on the same port
 * with its persisted data (testing/harness `restartTestDatabase`, the stack's persistence). Fans are
 * real web SDK clients doing what a fan client must do on every (re)connect: keep
 * `onDisconnect().remove()` on its seat claim (the server's queued ops do not survive a restart), or
 * join again when the claim is gone. A close is in flight, inside a slow Vonage call, when the server
 * goes down.
 */
import assert from "node:assert/strict";
import { deleteApp, initializeApp, setLogLevel, type FirebaseApp } from "firebase/app";
import { connectDatabaseEmulator, get, getDatabase, goOffline, onDisconnect, onValue, ref, remove, type Database } from "firebase/database";
import { fft, restartTestDatabase, testDatabase } from "../../testing/harness";
import { asAdmin, asFan, eventIn, lifecycleWorld, seatHolders, sleep, stored, type LifecycleWorld } from "../../testing/lifecycleFixtures";
import { archivesOf, broadcastsOf } from "../../testing/vonageStandin";
import { figure } from "../../testing/figures";
import { resetRateLimits } from "../../platform/rateLimit";
import { resetSeatWatchesForTests } from "../../seats/gate";
import { resetEventIdentitiesForTests } from "../../seats/showTokens";
import { finishDueCloses } from "../../events/scheduled";
import type { EventRecord } from "../../events/model";
import { createTokensFan } from "../../seats/functions/createTokensFan";
import { changeStatus } from "../../events/functions/changeStatus";

const SEATS = 4;
const DOWN_MS = 1_500;

async function waitFor(what: string, probe: () => Promise<boolean> | boolean, deadlineMs = 60_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (!(await probe())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

interface FanClient {
  uid: string;
  app: FirebaseApp;
  db: Database;
  mode?: string;
  seatPath?: string;
  connects: number;
  rejoins: number;
  error?: string;
  stop(): void;
}

describe("hardening: the database server restarted in the middle of a live show", function () {
  this.timeout(240_000);
  let world: LifecycleWorld;
  const fans: FanClient[] = [];
  const wrap = (fn: unknown) => fft.wrap(fn as never) as unknown as (request: unknown) => Promise<Record<string, unknown>>;
  const join = wrap(createTokensFan);
  const status = wrap(changeStatus);

  beforeEach(async () => {
    setLogLevel("silent");
    world = await lifecycleWorld({ hls: true, drainSeconds: 0 });
    resetRateLimits();
    resetSeatWatchesForTests();
    resetEventIdentitiesForTests();
  });
  afterEach(async () => {
    world.standin.clearFaults();
    for (const fan of fans.splice(0)) {
      fan.stop();
      await deleteApp(fan.app).catch(() => undefined);
    }
  });

  /** A fan's page: joins, then on every connect keeps its claim's onDisconnect, or joins again. */
  async function fanOf(event: EventRecord, uid: string): Promise<FanClient> {
    const { port } = await testDatabase();
    const app = initializeApp({ projectId: process.env.GCLOUD_PROJECT, databaseURL: `http://127.0.0.1:${port}?ns=restart` }, uid);
    const db = getDatabase(app);
    connectDatabaseEmulator(db, "127.0.0.1", port, {
      mockUserToken: { sub: uid, user_id: uid, role: "fan", adminId: "adm1", eventId: event.id },
    });
    const fan: FanClient = { uid, app, db, connects: 0, rejoins: 0, stop: () => undefined };
    const enter = async () => {
      const answer = (await join({ data: {}, auth: asFan(uid, "adm1", event.id) })) as { mode: string; seatPath?: string };
      fan.mode = answer.mode;
      fan.seatPath = answer.seatPath;
    };
    await enter();
    let first = true;
    fan.stop = onValue(ref(db, ".info/connected"), (snapshot) => {
      if (snapshot.val() !== true) return;
      fan.connects++;
      if (first) {
        first = false;
        if (fan.seatPath) void onDisconnect(ref(db, fan.seatPath)).remove();
        return;
      }
      void (async () => {
        if (fan.mode !== "interactive" || !fan.seatPath) return;
        const claim = await get(ref(db, fan.seatPath));
        if (claim.exists()) await onDisconnect(ref(db, fan.seatPath)).remove();
        else {
          fan.rejoins++;
          await enter();
          if (fan.seatPath) await onDisconnect(ref(db, fan.seatPath)).remove();
        }
      })().catch((error: { code?: string; message: string }) => {
        // The show closed meanwhile: the page ends (it reads the live record's status).
        if (error.code === "failed-precondition") fan.mode = "ended";
        else fan.error = error.message;
      });
    });
    await waitFor(`${uid} connected`, () => fan.connects > 0);
    fans.push(fan);
    return fan;
  }
  const holders = (event: EventRecord) => seatHolders(event.id);

  it("fans reconnect and their seats stay exact; a close in flight completes once the server is back", async () => {
    const event = await eventIn("live", { archiveEvent: true, interactiveLimit: SEATS });
    const everyone: FanClient[] = [];
    for (let i = 0; i < SEATS + 2; i++) everyone.push(await fanOf(event, `rsfan${i}`));
    const seated = everyone.filter((fan) => fan.mode === "interactive");
    assert.equal(seated.length, SEATS);
    assert.deepEqual(
      everyone.filter((fan) => fan.mode !== "interactive").map((fan) => fan.mode),
      ["hls", "hls"],
    );
    assert.deepEqual(await holders(event), seated.map((fan) => fan.uid).sort());

    // First restart, during the show: every fan's connection drops and comes back.
    await restartTestDatabase(DOWN_MS);
    await waitFor("every fan reconnected", () => everyone.every((fan) => fan.connects >= 2));
    await sleep(500); // the reconnect handlers' onDisconnect registrations
    assert.deepEqual(await holders(event), seated.map((fan) => fan.uid).sort(), "the same seats, no more, no fewer");

    // A seated fan's tab closes after the restart: its re-registered onDisconnect frees the seat,
    // and the next fan gets it.
    const leaving = seated[0];
    goOffline(leaving.db);
    await waitFor("the seat freed", async () => !(await holders(event)).includes(leaving.uid));
    const newcomer = await fanOf(event, "rsfanNew");
    assert.equal(newcomer.mode, "interactive", "the freed seat is given again");
    assert.deepEqual(await holders(event), [...seated.slice(1).map((fan) => fan.uid), newcomer.uid].sort());
    // A seated fan leaving explicitly (the page's leave) frees the seat too.
    await remove(ref(seated[1].db, seated[1].seatPath));
    seated[1].mode = "left";
    seated[1].seatPath = undefined;
    await waitFor("the explicit leave", async () => !(await holders(event)).includes(seated[1].uid));
    const late = await fanOf(event, "rsfanLate");
    assert.equal(late.mode, "interactive");

    // Second restart, while a close runs: it is inside a slow archive stop when the server goes down.
    world.standin.injectFault({ method: "POST", pathRegex: "/archive/[^/]+/stop$", delayMs: DOWN_MS });
    const closing = status({ data: { id: event.id, status: "closed" }, auth: asAdmin("adm1") }).then(
      (value) => ({ value }),
      (error: Error) => ({ error }),
    );
    await waitFor("the close under way", async () => (await stored<EventRecord>(`events/${event.id}`)).status === "closed");
    await restartTestDatabase(DOWN_MS);
    const answer = await closing;
    const answered = "error" in answer ? ((answer.error as { code?: string }).code ?? "thrown") : "ok";
    figure("database restart: the close call's answer", answered);
    // A dropped connection is a transient: the producer may be told to retry, never an internal error.
    assert.ok(["ok", "unavailable"].includes(answered), `the close answered ${answered}: ${"error" in answer ? answer.error.message : ""}`);
    // Whatever the call answered, the change completes: by the call itself, else by the backstop.
    let saved = await stored<EventRecord>(`events/${event.id}`);
    if (saved.lifecycle?.pending?.length) {
      await finishDueCloses(100);
      saved = await stored<EventRecord>(`events/${event.id}`);
    }
    assert.equal(saved.status, "closed");
    assert.equal(saved.lifecycle?.pending, undefined, `the close finished: ${JSON.stringify(saved.lifecycle)}`);
    assert.equal(saved.lifecycle?.lease, undefined, "the lease was released after the reconnect");
    assert.match(archivesOf(world.standin, event.stageSessionId)[0].status, /^(stopped|available|uploaded)$/);
    assert.equal(broadcastsOf(world.standin, event.stageSessionId)[0].status, "stopped");
    assert.equal(await stored(`activeBroadcasts/adm1/${event.fanUrl}`), null);
    assert.deepEqual(
      fans.filter((fan) => fan.error).map((fan) => `${fan.uid}: ${fan.error}`),
      [],
      "no fan's reconnect failed",
    );
    figure(
      "database restart: fan reconnects, rejoins",
      fans.map((fan) => `${fan.uid} ${fan.connects}/${fan.rejoins}`),
    );
  });
});
