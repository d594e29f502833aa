/**
 * Every record schema of the contract (contract/records.ts) against what the real functions store: a
 * short show run through the callables, the signed Vonage callbacks and the continuity handler, with
 * the Vonage stand-in; each stored record is parsed with its schema made strict at every depth (an
 * unknown key anywhere fails), and every exported `*Record` schema must have parsed at least one value,
 * so a schema nobody writes, or a flow that stops writing a record, shows here.
 */
import assert from "node:assert/strict";
import { z } from "zod";
import * as records from "../contract/records";
import { paths } from "../contract/paths";
import { authFor, expectHttpsError, fft, useFakeAuth } from "../testing/harness";
import { asAdmin, asSuperAdmin, eventIn, lifecycleWorld, statusAs, stored, type LifecycleWorld } from "../testing/lifecycleFixtures";
import { connectionCallback, postCallback } from "../testing/callbackRequests";
import { testApplication } from "../testing/vonageKeys";
import { connectionData } from "../seats/connectionData";
import { restoreContinuity } from "../live/continuity";
import { createAdmin } from "../admins/functions/createAdmin";
import { updateAdmin } from "../admins/functions/updateAdmin";
import { login } from "../access/functions/login";
import { createTokensFan } from "../seats/functions/createTokensFan";
import { askForSeat } from "../seats/functions/askForSeat";
import { releaseSeat } from "../seats/functions/releaseSeat";
import { joinLine } from "../live/functions/joinLine";
import { bringBackstage } from "../live/functions/bringBackstage";
import { getAuditLog } from "../live/functions/getAuditLog";
import { db } from "../platform/firebase";
import { hasGaps, type LineEntry } from "../live/line";
import type { EventRecord } from "../events/model";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const wrap = (fn: unknown) => fft.wrap(fn as any) as unknown as (request: { data: unknown; auth?: unknown }) => Promise<any>;

/** The exported `*Record` schemas of contract/records.ts, by name. */
const recordSchemas = new Map<z.ZodType, string>(
  Object.entries(records as Record<string, unknown>).flatMap(([name, value]) =>
    name.endsWith("Record") && value instanceof z.ZodType ? [[value, name] as const] : [],
  ),
);

/**
 * `schema` with every object in it strict (unknown keys refused), and every exported record schema
 * inside it noting its name in `parsed` when a value passes through it.
 */
function deepStrict(schema: z.ZodType, parsed: Set<string>, memo = new Map<z.ZodType, z.ZodType>()): z.ZodType {
  const known = memo.get(schema);
  if (known) return known;
  const again = (inner: z.ZodType) => deepStrict(inner, parsed, memo);
  const def = schema._zod.def as unknown as Record<string, unknown>;
  const rebuild = (changes: Record<string, unknown>) => new (schema.constructor as new (def: unknown) => z.ZodType)({ ...def, ...changes });
  let strict: z.ZodType = schema;
  if (schema instanceof z.ZodObject) {
    const shape = Object.fromEntries(Object.entries(schema.shape).map(([key, value]) => [key, again(value as z.ZodType)]));
    strict = rebuild({ shape, catchall: z.never() });
  } else if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) {
    strict = rebuild({ innerType: again(schema.unwrap() as z.ZodType) });
  } else if (schema instanceof z.ZodArray) {
    strict = rebuild({ element: again(schema.element as z.ZodType) });
  } else if (schema instanceof z.ZodRecord) {
    strict = rebuild({ keyType: again(schema.keyType as z.ZodType), valueType: again(schema.valueType as z.ZodType) });
  } else if (schema instanceof z.ZodUnion) {
    strict = rebuild({ options: (schema.options as z.ZodType[]).map(again) });
  }
  const name = recordSchemas.get(schema);
  if (name) {
    strict = strict.refine(() => {
      parsed.add(name);
      return true;
    });
  }
  memo.set(schema, strict);
  return strict;
}

const SECRET = "contract-callback-signature-secret-01";
const image = (name: string) => ({ id: `eventImages/adm1/${name}.png`, url: `https://cdn.example.com/${name}.png` });

describe("contract: every record schema against what the functions store (strict, every depth)", function () {
  this.timeout(120_000);
  let world: LifecycleWorld;
  const parsed = new Set<string>();
  const checked: string[] = [];
  const memo = new Map<z.ZodType, z.ZodType>();
  const expect = (schema: z.ZodType, value: unknown, what: string) => {
    assert.notEqual(value, null, `${what}: nothing stored`);
    const result = deepStrict(schema, parsed, memo).safeParse(value);
    assert.ok(result.success, `${what}: ${result.success ? "" : JSON.stringify(result.error.issues)}\n${JSON.stringify(value)}`);
    checked.push(what);
  };
  /** Every child of `path` (a map), or of its maps `depth` levels down. */
  const children = async (path: string, depth = 1): Promise<Array<[string, unknown]>> => {
    let level: Array<[string, unknown]> = [[path, await stored(path)]];
    for (let i = 0; i < depth; i++) {
      level = level.flatMap(([where, value]) =>
        Object.entries((value ?? {}) as Record<string, unknown>).map(([key, child]) => [`${where}/${key}`, child] as [string, unknown]),
      );
    }
    assert.ok(level.length > 0, `${path}: nothing stored`);
    return level;
  };

  before(async () => {
    world = await lifecycleWorld();
  });
  afterEach(() => world.standin.clearFaults());

  it("a show run end to end stores only what the schemas declare", async () => {
    // An admin through createAdmin (own Vonage application, own callback secret), their login and an update.
    useFakeAuth();
    const app = testApplication();
    // Other suites register other keys under this id in the shared stand-in: this run's key is the one.
    world.standin.addApplication(app.applicationId, app.publicKeyPem, { video: true });
    const { admin } = (await wrap(createAdmin)({
      data: {
        displayName: "Contract Ada",
        email: "contract-ada@example.com",
        password: "contract-password-1",
        vonageApplicationId: app.applicationId,
        vonagePrivateKey: app.privateKeyPkcs8,
        vonageCallbackSecret: SECRET,
      },
      auth: asSuperAdmin("sup1"),
    })) as { admin: { id: string } };
    await wrap(login)({ data: {}, auth: asAdmin(admin.id) });
    await wrap(updateAdmin)({ data: { id: admin.id, hls: true }, auth: asSuperAdmin("sup1") });
    expect(records.adminRecord, await stored(paths.admin(admin.id)), "admins/{uid} (createAdmin, login, updateAdmin)");

    // adm1's show: created with everything a show can carry, then live with archive and HLS + RTMP broadcast.
    const event = await eventIn("live", {
      archiveEvent: true,
      interactiveLimit: 2,
      redirectUrl: "https://example.com/after",
      rtmpOutputs: [{ serverUrl: "rtmp://live.example.com/app", streamName: "contract" }],
      dateTimeStart: "2026-01-10T18:00:00.000Z",
      dateTimeEnd: "2026-01-10T20:00:00.000Z",
      startImage: image("start"),
      endImage: image("end"),
    });
    const fan = (uid: string) => authFor(uid, { role: "fan", adminId: "adm1", eventId: event.id });

    // Fans: two seated, the third on HLS asks for a seat (waiting), one seated fan leaves (offered, held).
    const modes = [];
    for (const uid of ["fa", "fb", "fc"])
      modes.push((await wrap(createTokensFan)({ data: { fanId: `${uid}-tab1` }, auth: fan(uid) })).mode);
    assert.deepEqual(modes, ["interactive", "interactive", "hls"]);
    assert.equal((await wrap(askForSeat)({ data: {}, auth: fan("fc") })).status, "waiting");
    expect(records.seatOfferRecord, await stored(paths.seatOffer(event.id, "fc")), "seatOffers/{eventId}/{uid} (waiting)");
    await wrap(releaseSeat)({ data: {}, auth: fan("fb") });
    expect(records.seatOfferRecord, await stored(paths.seatOffer(event.id, "fc")), "seatOffers/{eventId}/{uid} (offered)");
    for (const [where, claims] of await children(`${paths.stageGate(event.id)}/shards`, 2)) {
      for (const [claimId, claim] of Object.entries(claims as Record<string, unknown>)) {
        expect(records.seatClaimRecord, claim, `${where}/${claimId} (seat claim)`);
      }
    }

    // The line: fa's presence record (the fan's client writes it), joinLine, the producer brings them backstage.
    const record = paths.liveRecord("adm1", event.fanUrl);
    await db()
      .ref(`${record}/activeFans/${"fa-tab1"}`)
      .set({ id: "fa-tab1", name: "Fan A", browser: "Firefox", os: "Linux", mobile: false });
    await wrap(joinLine)({ data: { fanId: "fa-tab1", name: "Fan A" }, auth: fan("fa") });
    await wrap(bringBackstage)({ data: { eventId: event.id, fanId: "fa-tab1" }, auth: asAdmin("adm1") });
    for (const [where, entry] of await children(`liveLines/${event.id}/fans`)) expect(records.lineEntryRecord, entry, where);

    // Attendance from signed session-monitoring callbacks: a fan's connection (joined, left) and a stream.
    const now = Date.now();
    const created = connectionCallback(event, "connectionCreated", "conn-fa", { participantId: "fa", name: "Fan A" }, now);
    const destroyed = connectionCallback(
      event,
      "connectionDestroyed",
      "conn-fa",
      { participantId: "fa", name: "Fan A" },
      now,
      now + 60_000,
    );
    const stream = {
      sessionId: event.stageSessionId,
      event: "streamCreated",
      timestamp: now + 1000,
      stream: {
        id: "stream-fa",
        createdAt: now + 1000,
        name: "Fan A",
        videoType: "camera",
        connection: { id: "conn-fa", createdAt: now, data: connectionData({ userType: "fan", participantId: "fa", eventId: event.id }) },
      },
    };
    for (const body of [created, destroyed, stream]) assert.equal((await postCallback(body)).statusCode, 200);
    for (const [where, value] of await children(`${paths.attendance(event.id)}/connections`)) {
      expect(records.attendanceConnectionRecord, value, where);
    }
    for (const [where, value] of await children(`${paths.attendance(event.id)}/streams`))
      expect(records.attendanceStreamRecord, value, where);

    // Continuity: Vonage rotates the stage session's media server; the handler restarts archive and broadcast.
    (world.standin as unknown as { rotateSession(sessionId: string): unknown }).rotateSession(event.stageSessionId);
    const report = await restoreContinuity({ eventId: event.id, cause: "serverRotation", at: Date.now() }, 2000);
    assert.deepEqual(report.restarted, ["archive", "broadcast"]);

    // A second show whose go-live fails on the broadcast: its lifecycle keeps the pending steps and the error.
    const failing = await eventIn("preshow", { name: "Contract failing show" });
    world.standin.injectFault({ method: "POST", pathRegex: "/broadcast$", status: 500, count: 1 });
    await expectHttpsError(statusAs(asAdmin("adm1"), failing.id, "live"), "unavailable");
    const failed = await stored<EventRecord>(paths.event(failing.id));
    assert.ok(failed.lifecycle?.errors && failed.lifecycle.pending?.length, "the failed go-live left its steps and error");

    for (const id of [event.id, failing.id]) expect(records.eventRecord, await stored(paths.event(id)), `events/${id}`);
    for (const kind of ["fan", "host", "celebrity"] as const) {
      for (const [where, value] of await children(`${paths.eventKeys("adm1")}/${kind}`)) expect(records.eventKeyRecord, value, where);
    }
    expect(records.eventKeyRecord, await stored(paths.currentEvent("adm1")), "currentEvents/{adminId}");
    expect(records.liveRecordRecord, await stored(record), "activeBroadcasts/{adminId}/{fanUrl}");

    // The audit trail: as stored (its key is the entry's id) and as getAuditLog answers it.
    for (const [where, value] of await children(paths.auditLog(event.id))) {
      expect(records.auditEntryRecord, { id: where.split("/").pop(), ...(value as object) }, where);
    }
    const page = (await wrap(getAuditLog)({ data: { eventId: event.id, pageSize: 200 }, auth: asAdmin("adm1") })) as { entries: unknown[] };
    for (const entry of page.entries) expect(records.auditEntryRecord, entry, "getAuditLog entry");
  });

  it("the strict form refuses an unknown key at any depth, and stays the schema otherwise", () => {
    const strictEvent = deepStrict(records.eventRecord, new Set());
    const event = {
      id: "e1",
      adminId: "adm1",
      name: "Show",
      fanUrl: "show",
      hostUrl: "h",
      celebrityUrl: "c",
      status: "live",
      archiveEvent: true,
      uncomposed: false,
      interactiveLimit: 2,
      sessionId: "s1",
      stageSessionId: "s2",
      archive: { id: "a1", status: "started" },
      lifecycle: { target: "live", errors: { broadcast: "Vonage said 500" }, startedAt: 1, updatedAt: 2 },
      createdAt: 1,
      updatedAt: 2,
    };
    assert.ok(strictEvent.safeParse(event).success);
    assert.ok(!strictEvent.safeParse({ ...event, extra: 1 }).success, "top level");
    assert.ok(!strictEvent.safeParse({ ...event, archive: { ...event.archive, extra: 1 } }).success, "a nested object");
    assert.ok(!strictEvent.safeParse({ ...event, lifecycle: { ...event.lifecycle, errors: { nowhere: "x" } } }).success, "a record's keys");
    assert.ok(!strictEvent.safeParse({ ...event, status: "running" }).success, "an enum");
    const strictOffer = deepStrict(records.seatOfferRecord, new Set());
    assert.ok(strictOffer.safeParse({ status: "waiting", askedAt: 1 }).success);
    assert.ok(!strictOffer.safeParse({ status: "waiting", askedAt: 1, offeredAt: 2 }).success, "a union's option");
  });

  it("a line read back from the database, with a fan backstage (stored without position), has no gaps", async () => {
    assert.ok(checked.length, "the run above checked nothing (its own failure says why)");
    const byEvent = (await stored<Record<string, { fans?: Record<string, LineEntry> }> | null>("liveLines")) ?? {};
    const lines = Object.values(byEvent).map((line) => line.fans ?? {});
    assert.ok(lines.some((fans) => Object.values(fans).some((entry) => entry.state === "backstage" && entry.position === undefined)));
    for (const fans of lines) assert.equal(hasGaps(fans), false);
  });

  it("every exported *Record schema of contract/records.ts was exercised by the run above", () => {
    assert.ok(checked.length, "the run above checked nothing (its own failure says why)");
    const unexercised = [...recordSchemas.values()].filter((name) => !parsed.has(name)).sort();
    assert.deepEqual(unexercised, [], "record schemas no stored record went through: extend the run, or drop the schema");
  });
});
