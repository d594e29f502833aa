/**
 * A storm of Vonage callbacks to `vonageCallbacks` (10,000 in `npm run test:stress`, STORM_CALLBACKS
 * sets the number; 1,500 in `npm test`): every connection's created and destroyed callbacks, each
 * delivered once or more, in shuffled order (a destroy often before its create), many in flight at
 * once, and every non-2xx answer redelivered as Vonage does. Afterwards the attendance is exact and
 * every instance cache stayed within its bound.
 */
import assert from "node:assert/strict";
import { figure, heapUsedAfterGc } from "../../testing/figures";
import { attendanceOf, connectionCallback, liveEventForCallbacks, postCallback, T0 } from "../../testing/callbackRequests";
import { stored } from "../../testing/lifecycleFixtures";
import { cacheSizes, cacheTotals } from "../../platform/cache";
import { resetRateLimits } from "../../platform/rateLimit";
import type { EventRecord } from "../../events/model";

const CALLBACKS = Number(process.env.STORM_CALLBACKS ?? 1_500);
const IN_FLIGHT = 64;
const MAX_DELIVERIES = 20;

/** A deterministic shuffle (the storm is the same on every run, so a failure can be replayed). */
export function shuffled<T>(items: T[], seed = 16): T[] {
  const out = [...items];
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function inFlight<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let index = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (index < items.length) await work(items[index++]);
  });
  await Promise.all(lanes);
}

interface Expected {
  participantId: string;
  userType: string;
  session: string;
  joinedAt: number;
  leftAt?: number;
  reason?: string;
}

describe("hardening: a storm of duplicated, out-of-order callbacks", function () {
  this.timeout(900_000);
  let event: EventRecord;

  beforeEach(async () => {
    event = await liveEventForCallbacks();
    resetRateLimits();
  });

  it(`${CALLBACKS} callbacks: exact attendance, every cache within its bound`, async () => {
    // Connections with both callbacks (left) and with only the create (still watching), and each
    // callback sent once, twice or three times: about CALLBACKS deliveries in all.
    const connections = Math.max(10, Math.ceil(CALLBACKS / 3.4));
    const expected: Record<string, Expected> = {};
    const deliveries: Array<Record<string, unknown>> = [];
    for (let i = 0; i < connections; i++) {
      const id = `conn${String(i).padStart(6, "0")}`;
      const createdAt = T0 + i * 37;
      const participant = { participantId: `fan${i % Math.ceil(connections / 2)}`, userType: "fan" as const };
      const created = connectionCallback(event, "connectionCreated", id, participant, createdAt);
      const copies = (n: number) => 1 + (n % 3);
      for (let c = 0; c < copies(i); c++) deliveries.push(created);
      expected[id] = { participantId: participant.participantId, userType: "fan", session: "stage", joinedAt: createdAt };
      if (i % 4 !== 0) {
        const leftAt = createdAt + 60_000 + i;
        const destroyed = connectionCallback(event, "connectionDestroyed", id, participant, createdAt, leftAt);
        for (let c = 0; c < copies(i + 1); c++) deliveries.push(destroyed);
        Object.assign(expected[id], { leftAt, reason: "clientDisconnected" });
      }
    }
    const storm = shuffled(deliveries).slice(0, Math.max(CALLBACKS, 0));
    // Trimmed to CALLBACKS: what was cut may hold a connection's only copy, so expect what was sent.
    const sent = new Set(storm.map((body) => JSON.stringify(body)));
    for (const [id, want] of Object.entries(expected)) {
      const who = { participantId: want.participantId, userType: "fan" as const };
      const created = JSON.stringify(connectionCallback(event, "connectionCreated", id, who, want.joinedAt));
      const destroyed = want.leftAt
        ? JSON.stringify(connectionCallback(event, "connectionDestroyed", id, who, want.joinedAt, want.leftAt))
        : null;
      const hasCreate = sent.has(created);
      const hasDestroy = destroyed !== null && sent.has(destroyed);
      if (!hasCreate && !hasDestroy) delete expected[id];
      else if (!hasDestroy) {
        delete expected[id].leftAt;
        delete expected[id].reason;
      }
    }

    // Other suites of the same run may have filled caches before: what counts is the storm's growth.
    const before = cacheTotals();
    const heapBefore = heapUsedAfterGc();
    const answers: Record<string, number> = {};
    let redeliveries = 0;
    await inFlight(storm, IN_FLIGHT, async (body) => {
      for (let attempt = 1; ; attempt++) {
        const res = await postCallback(body);
        const key = `${res.statusCode} ${(res.body as { outcome?: string }).outcome ?? ""}`.trim();
        answers[key] = (answers[key] ?? 0) + 1;
        if (res.statusCode < 300) return;
        assert.ok([500, 503].includes(res.statusCode), `answered ${res.statusCode}: ${JSON.stringify(res.body)}`);
        assert.ok(attempt < MAX_DELIVERIES, "a callback was never accepted");
        redeliveries++;
        await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
      }
    });
    const heapAfter = heapUsedAfterGc();

    const attendance = (await attendanceOf(event)) as { connections?: Record<string, Expected> } | null;
    assert.deepEqual(attendance?.connections ?? {}, expected, "exactly one interval per connection, with its join and leave");
    const claims = (await stored<Record<string, { state: string }> | null>(`processedCallbacks/${event.id}`)) ?? {};
    assert.ok(
      Object.values(claims).every((claim) => claim.state === "done"),
      "no claim left processing",
    );
    const unique = new Set(storm.map((body) => JSON.stringify(body))).size;
    assert.equal(Object.keys(claims).length, unique, "one claim per distinct callback");
    assert.equal(answers["200 applied"], unique, "each distinct callback applied once");

    const caches = cacheSizes();
    for (const cache of caches) {
      assert.ok(cache.size <= cache.max, `${cache.label} holds ${cache.size} > ${cache.max}`);
      // One show, one signing secret: nothing may be cached per callback or per connection.
    }
    for (const [label, total] of cacheTotals()) {
      const growth = total - (before.get(label) ?? 0);
      assert.ok(growth <= 10, `${label} grows with the storm: ${growth} entries more`);
    }
    figure(`callback storm: deliveries (distinct callbacks, connections)`, `${storm.length} (${unique}, ${Object.keys(expected).length})`);
    figure("callback storm: answers", answers);
    figure("callback storm: redeliveries after 503/500", redeliveries);
    figure("callback storm: heap growth (MB, after GC)", Math.round((heapAfter - heapBefore) / 1e5) / 10);
    figure(
      "callback storm: instance caches (size/max)",
      caches.filter((cache) => cache.size > 0).map((cache) => `${cache.label} ${cache.size}/${cache.max}`),
    );
  });
});
