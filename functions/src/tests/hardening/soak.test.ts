/**
 * The soak: a live show with constant churn for SOAK_MINUTES (15 in `npm run test:stress`, a quarter
 * of a minute in `npm test`), through the real callables against the test database server and the
 * Vonage stand-in. Fans join, reload (the old tab's claim goes, as its `onDisconnect` removes it, and
 * the fan joins again), leave, are sent to HLS once the seats are full, and every Vonage connection
 * reports its `connectionCreated`/`connectionDestroyed` callbacks (some twice, some late, in any
 * order). Throughout, every instance cache stays within its bound and the seats held are exactly
 * the seated fans present; at the end the attendance is exactly the connections made, and the close
 * stops everything.
 */
import assert from "node:assert/strict";
import { fft } from "../../testing/harness";
import { asAdmin, asFan, eventIn, lifecycleWorld, seatHolders, stored, type LifecycleWorld } from "../../testing/lifecycleFixtures";
import { archivesOf, broadcastsOf } from "../../testing/vonageStandin";
import { connectionCallback, postCallback } from "../../testing/callbackRequests";
import { figure, heapUsedAfterGc } from "../../testing/figures";
import { cacheSizes, cacheTotals } from "../../platform/cache";
import { db } from "../../platform/firebase";
import { resetRateLimits } from "../../platform/rateLimit";
import { resetSeatWatchesForTests } from "../../seats/gate";
import { resetEventIdentitiesForTests } from "../../seats/showTokens";
import type { EventRecord } from "../../events/model";
import { createTokensFan } from "../../seats/functions/createTokensFan";
import { changeStatus } from "../../events/functions/changeStatus";
import { getEventByKey } from "../../events/functions/getEventByKey";

const MINUTES = Number(process.env.SOAK_MINUTES ?? 0.25);
const FANS = 90;
const SEATS = 25;
const LANES = 4;

interface Connection {
  id: string;
  createdAt: number;
  leftAt?: number;
}
interface Fan {
  uid: string;
  present: boolean;
  seatPath?: string;
  connection?: Connection;
}
type Callback = Record<string, unknown>;

describe("hardening: a soak with constant churn", function () {
  this.timeout(MINUTES * 60_000 + 600_000);
  let world: LifecycleWorld;
  const wrap = (fn: unknown) => fft.wrap(fn as never) as unknown as (request: unknown) => Promise<Record<string, unknown>>;
  const join = wrap(createTokensFan);
  const status = wrap(changeStatus);
  const landing = wrap(getEventByKey);

  beforeEach(async () => {
    world = await lifecycleWorld({ hls: true, drainSeconds: 0 });
    resetRateLimits();
    resetSeatWatchesForTests();
    resetEventIdentitiesForTests();
  });

  it(`${MINUTES} minutes of joins, reloads, leaves, HLS and callbacks: caches bounded, seats and attendance exact`, async () => {
    const event = await eventIn("live", { archiveEvent: true, interactiveLimit: SEATS });
    const fans: Fan[] = Array.from({ length: FANS }, (_, i) => ({ uid: `soakfan${i}`, present: false }));
    const connections = new Map<string, Connection & { participantId: string }>();
    const late: Callback[] = [];
    const counts: Record<string, number> = { join: 0, reload: 0, leave: 0, hls: 0, landing: 0, callbacks: 0, redelivered: 0 };
    let connectionSeq = 0;
    let clock = Date.now();
    const peak = new Map<string, number>();
    const heap: number[] = [];

    const deliver = async (body: Callback) => {
      for (let attempt = 1; ; attempt++) {
        const res = await postCallback(body);
        counts.callbacks++;
        if (res.statusCode < 300) return;
        assert.ok(res.statusCode === 503 && attempt < 20, `callback answered ${res.statusCode}`);
        counts.redelivered++;
        await new Promise((resolve) => setTimeout(resolve, 25 * attempt));
      }
    };
    /** Sends now, twice, or later (out of order with what follows). */
    const report = async (body: Callback, n: number) => {
      if (n % 5 === 0) late.push(body);
      else await deliver(body);
      if (n % 7 === 0) await deliver(body);
    };
    const connect = async (fan: Fan) => {
      const id = `soakconn${++connectionSeq}`;
      const connection = { id, createdAt: (clock += 3), participantId: fan.uid };
      connections.set(id, connection);
      fan.connection = connection;
      await report(connectionCallback(event, "connectionCreated", id, { participantId: fan.uid }, connection.createdAt), connectionSeq);
    };
    const disconnect = async (fan: Fan) => {
      const connection = fan.connection;
      if (!connection) return;
      fan.connection = undefined;
      const record = connections.get(connection.id)!;
      record.leftAt = clock += 3;
      await report(
        connectionCallback(event, "connectionDestroyed", connection.id, { participantId: fan.uid }, connection.createdAt, record.leftAt),
        connectionSeq + 3,
      );
    };
    const enter = async (fan: Fan) => {
      const answer = (await join({ data: { fanId: `${fan.uid}-tab` }, auth: asFan(fan.uid, "adm1", event.id) })) as {
        mode: string;
        seatPath?: string;
      };
      fan.present = true;
      if (answer.mode === "interactive") {
        fan.seatPath = answer.seatPath;
        await connect(fan);
      } else {
        assert.equal(answer.mode, "hls");
        counts.hls++;
      }
    };
    /** The tab goes: its onDisconnect removes the claim, Vonage reports the connection gone. */
    const exit = async (fan: Fan) => {
      if (fan.seatPath) await db().ref(fan.seatPath).remove();
      fan.seatPath = undefined;
      fan.present = false;
      await disconnect(fan);
    };

    let seed = 16;
    /** A seeded generator: the same churn on every run, so a failure can be replayed. */
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const action = async (fan: Fan) => {
      const roll = Math.floor(random() * 10);
      if (!fan.present) {
        counts.join++;
        await enter(fan);
      } else if (roll < 4) {
        counts.reload++;
        await exit(fan);
        await enter(fan);
      } else if (roll < 8) {
        counts.leave++;
        await exit(fan);
      } else {
        counts.landing++;
        await landing({ data: { adminId: "adm1", slug: event.fanUrl }, auth: asFan(fan.uid, "adm1", event.id) });
      }
      if (late.length > 20) await deliver(late.shift()!);
    };
    // Other suites of the same run may have filled caches before: what counts is the soak's growth.
    const before = cacheTotals();
    const sample = async () => {
      for (const cache of cacheSizes()) {
        assert.ok(cache.size <= cache.max, `${cache.label}: ${cache.size} > ${cache.max}`);
      }
      for (const [label, total] of cacheTotals()) {
        // Caches hold per fan at most, never per join, claim, connection or callback (those are many more).
        const growth = total - (before.get(label) ?? 0);
        assert.ok(growth <= FANS + 10, `${label} grows with the churn: ${growth} entries more`);
        peak.set(label, Math.max(peak.get(label) ?? 0, total));
      }
      heap.push(heapUsedAfterGc());
    };
    /** Seats held are exactly the present fans with a seat (checked while no lane is mid-change). */
    const assertSeats = async () => {
      const holders = await seatHolders(event.id);
      const seated = fans.filter((fan) => fan.seatPath).map((fan) => fan.uid);
      assert.deepEqual(holders, seated.sort(), "the seats held are the seated fans present");
      assert.ok(seated.length <= SEATS);
    };

    const until = Date.now() + MINUTES * 60_000;
    let rounds = 0;
    while (Date.now() < until) {
      // LANES actions at once on distinct fans, then a check of the seats and caches.
      const batch = [...new Set(Array.from({ length: LANES }, () => fans[Math.floor(random() * FANS)]))];
      await Promise.all(batch.map(action));
      rounds++;
      if (rounds % 10 === 0) {
        await assertSeats();
        await sample();
      }
    }
    await assertSeats();
    // Everyone leaves; the late callbacks arrive last.
    for (const fan of fans.filter((candidate) => candidate.present)) await exit(fan);
    for (const body of late.splice(0)) await deliver(body);
    await sample();
    await assertSeats();

    const attendance = (await stored<{ connections?: Record<string, Record<string, unknown>> } | null>(`attendance/${event.id}`)) ?? {};
    const expected: Record<string, Record<string, unknown>> = {};
    for (const [id, connection] of connections) {
      expected[id] = {
        participantId: connection.participantId,
        userType: "fan",
        session: "stage",
        joinedAt: connection.createdAt,
        leftAt: connection.leftAt,
        reason: "clientDisconnected",
      };
    }
    assert.deepEqual(attendance.connections ?? {}, expected, "one interval per connection, each with its join and leave");

    const closed = (await status({ data: { id: event.id, status: "closed" }, auth: asAdmin("adm1") })) as unknown as EventRecord;
    assert.equal(closed.status, "closed");
    const final = await stored<EventRecord>(`events/${event.id}`);
    assert.equal(final.lifecycle?.pending, undefined, "the close finished");
    assert.ok(archivesOf(world.standin, event.stageSessionId).every((archive) => archive.status !== "started"));
    assert.ok(broadcastsOf(world.standin, event.stageSessionId).every((broadcast) => broadcast.status !== "started"));

    figure(`soak (${MINUTES} min): actions`, counts);
    figure(`soak (${MINUTES} min): connections recorded`, connections.size);
    figure(
      `soak (${MINUTES} min): peak cache sizes (entries, all caches made at each place)`,
      [...peak].filter(([, size]) => size > 0).map(([label, size]) => `${label} ${size}`),
    );
    const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;
    figure(
      `soak (${MINUTES} min): heap used after GC (MB) first/max/last sample`,
      `${mb(heap[0])}/${mb(Math.max(...heap))}/${mb(heap.at(-1)!)}`,
    );
  });
});
