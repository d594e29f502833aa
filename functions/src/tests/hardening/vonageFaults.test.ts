/**
 * Vonage faults (500, 429, 409, timeout) on each Vonage call outside the lifecycle (that one has
 * events/changeStatus.vonageFaults.test.ts): session creation, the credential check, deleteEvent's
 * stops and the manual archive start/stop. For each: a clear answer (never internal), consistent stored
 * state, and a retry that succeeds once the fault is gone.
 */
import assert from "node:assert/strict";
import { fft, LOCAL_VONAGE } from "../../testing/harness";
import { asAdmin, eventIn, lifecycleWorld, sleep, stored, type LifecycleWorld } from "../../testing/lifecycleFixtures";
import { archivesOf, broadcastsOf } from "../../testing/vonageStandin";
import { callers } from "../../testing/callers";
import { forgetCredentials } from "../../admins/tenants";
import type { EventRecord } from "../../events/model";
import { figure } from "../../testing/figures";
import { assertNoSecrets, errorAnswer, localSecrets } from "../../testing/secrets";
import { tenantCredentials } from "../../admins/tenants";
import { createEvent } from "../../events/functions/createEvent";
import { deleteEvent } from "../../events/functions/deleteEvent";
import { createAdmin } from "../../admins/functions/createAdmin";
import { updateAdmin } from "../../admins/functions/updateAdmin";
import { startArchive } from "../../events/functions/startArchive";
import { stopArchive } from "../../events/functions/stopArchive";

type Fault = { name: string; status?: number; delayMs?: number };
const FAULTS: Fault[] = [
  { name: "500", status: 500 },
  { name: "429", status: 429 },
  { name: "409", status: 409 },
  { name: "timeout", delayMs: 900 },
];
const CLEAR = new Set(["unavailable", "failed-precondition"]);
/** A second Vonage project of the stand-in: a pair that differs from the one adm1 has stored. */
const NEW_PAIR = { kind: "legacy" as const, apiKey: "47000004", apiSecret: "faults0replacement0project0secret0000004" };

describe("hardening: Vonage faults on every call outside the lifecycle", function () {
  this.timeout(60_000);
  let world: LifecycleWorld;
  const timeoutBefore = process.env.VONAGE_TIMEOUT_MS;
  const wrap = (fn: unknown) => fft.wrap(fn as never) as unknown as (request: unknown) => Promise<Record<string, unknown>>;
  const create = wrap(createEvent);
  const remove = wrap(deleteEvent);
  const newAdmin = wrap(createAdmin);
  const editAdmin = wrap(updateAdmin);
  const archiveStart = wrap(startArchive);
  const archiveStop = wrap(stopArchive);

  beforeEach(async () => {
    world = await lifecycleWorld();
    world.standin.addProject(NEW_PAIR.apiKey, NEW_PAIR.apiSecret);
    forgetCredentials("adm1");
  });
  afterEach(() => {
    process.env.VONAGE_TIMEOUT_MS = timeoutBefore;
    world.standin.clearFaults();
  });

  /** Persistent until cleared: every retry inside the function meets it too. */
  function inject(fault: Fault, method: string, pathRegex: string): void {
    faulted = { method, regex: new RegExp(pathRegex), from: world.standin.state().requests.length, label: pathRegex };
    if (fault.delayMs) process.env.VONAGE_TIMEOUT_MS = "300";
    world.standin.injectFault({
      method,
      pathRegex,
      count: 0,
      ...(fault.status ? { status: fault.status } : { delayMs: fault.delayMs, status: 503 }),
    });
  }
  let faulted: { method: string; regex: RegExp; from: number; label: string } | undefined;
  /** How many times the function tried the faulted call (its retries), for the figures of docs/reliability.md. */
  function attempts(): number {
    if (!faulted) return 0;
    const { method, regex, from } = faulted;
    return world.standin
      .state()
      .requests.slice(from)
      .filter((r) => r.method === method && regex.test(r.path)).length;
  }
  async function clearAnswer(promise: Promise<unknown>, fault: Fault): Promise<string> {
    try {
      await promise;
      return "ok";
    } catch (error) {
      figure(`attempts at ${faulted?.method} ${faulted?.label} under the fault (${fault.name})`, attempts());
      const code = (error as { code: string }).code;
      assert.ok(CLEAR.has(code), `answered ${code}: ${(error as Error).message}`);
      assertNoSecrets(
        errorAnswer(error),
        [LOCAL_VONAGE.apiSecret, NEW_PAIR.apiSecret, ...localSecrets()],
        "the error (message and details)",
      );
      return code;
    }
  }
  const eventCount = async () => Object.keys((await stored<Record<string, unknown> | null>("events")) ?? {}).length;

  for (const fault of FAULTS) {
    it(`createEvent, session creation ${fault.name}: a clear error, no event stored, the retry creates one`, async () => {
      const before = await eventCount();
      inject(fault, "POST", "/session/create");
      assert.equal(await clearAnswer(create({ data: { name: "Faulty" }, auth: asAdmin("adm1") }), fault), "unavailable");
      assert.equal(await eventCount(), before, "no half-made event");
      world.standin.clearFaults();
      const event = (await create({ data: { name: "Faulty" }, auth: asAdmin("adm1") })) as unknown as EventRecord;
      assert.ok(event.sessionId && event.stageSessionId);
      assert.equal(await eventCount(), before + 1);
    });

    it(`createAdmin, credential check ${fault.name}: unavailable, nothing created, the retry creates the admin`, async () => {
      const data = {
        displayName: "Ada",
        email: `ada${fault.name}@example.com`,
        password: "a-good-password",
        otApiKey: LOCAL_VONAGE.apiKey,
        otSecret: LOCAL_VONAGE.apiSecret,
      };
      const admins = Object.keys((await stored<Record<string, unknown>>("admins")) ?? {}).length;
      inject(fault, "GET", "/archive");
      assert.equal(await clearAnswer(newAdmin({ data, auth: callers.superAdmin }), fault), "unavailable");
      assert.equal(Object.keys((await stored<Record<string, unknown>>("admins")) ?? {}).length, admins);
      world.standin.clearFaults();
      const { admin } = (await newAdmin({ data, auth: callers.superAdmin })) as { admin: { id: string } };
      assert.ok(await stored(`admins/${admin.id}`));
    });

    it(`updateAdmin, credential check ${fault.name}: unavailable, the stored pair stays, the retry replaces it`, async () => {
      const storedBefore = await stored<{ apiKey: string; secret: string }>(`adminCredentials/adm1`);
      assert.equal(storedBefore.apiKey, LOCAL_VONAGE.apiKey, "adm1 starts with the project-wide pair");
      inject(fault, "GET", "/archive");
      const data = { id: "adm1", otApiKey: NEW_PAIR.apiKey, otSecret: NEW_PAIR.apiSecret };
      assert.equal(await clearAnswer(editAdmin({ data, auth: callers.superAdmin }), fault), "unavailable");
      assert.deepEqual(await stored(`adminCredentials/adm1`), storedBefore);
      world.standin.clearFaults();
      const answer = await editAdmin({ data, auth: callers.superAdmin });
      assert.equal((answer.admin as { otApiKey?: string }).otApiKey, NEW_PAIR.apiKey);
      const storedAfter = await stored<{ apiKey: string; secret: string }>(`adminCredentials/adm1`);
      assert.equal(storedAfter.apiKey, NEW_PAIR.apiKey, "the new key is stored");
      assert.notEqual(storedAfter.secret, storedBefore.secret, "a new sealed secret");
      assertNoSecrets(answer, [NEW_PAIR.apiSecret, storedAfter.secret, ...localSecrets()], "updateAdmin's answer");
      forgetCredentials("adm1");
      assert.deepEqual(await tenantCredentials("adm1"), NEW_PAIR, "the functions now use the new pair");
    });

    it(`startArchive ${fault.name}: a clear error (unavailable), the failed start recorded, no archive id lost, the retry leaves exactly one archive`, async () => {
      const event = await eventIn("live");
      inject(fault, "POST", "/archive$");
      assert.equal(
        await clearAnswer(archiveStart({ data: { id: event.id }, auth: asAdmin("adm1") }), fault),
        "unavailable",
        "the Vonage fault is answered, not swallowed",
      );
      const after = await stored<EventRecord>(`events/${event.id}`);
      assert.notEqual(after.archive?.status, "started", "not marked started without an id from Vonage");
      assert.equal(after.archive?.status, "failed", "the failed start is recorded");
      assert.equal(after.archive?.id, undefined, "no archive id without one from Vonage");
      assert.ok(after.archive?.error, "with the reason");
      if (fault.delayMs) await sleep(fault.delayMs + 200); // the lost answer's archive now runs
      world.standin.clearFaults();
      const { archive } = (await archiveStart({ data: { id: event.id }, auth: asAdmin("adm1") })) as {
        archive: { id: string; status: string };
      };
      assert.equal(archive.status, "started");
      const running = archivesOf(world.standin, event.stageSessionId).filter((a) => a.status === "started");
      assert.deepEqual(
        running.map((a) => a.id),
        [archive.id],
        "exactly one running archive, the one stored",
      );
      assert.equal((await stored<EventRecord>(`events/${event.id}`)).archive?.id, archive.id);
    });

    it(`stopArchive ${fault.name}: unavailable, the archive id kept, the retry stops it`, async () => {
      const event = await eventIn("live", { archiveEvent: true });
      inject(fault, "POST", "/archive/[^/]+/stop$");
      assert.equal(await clearAnswer(archiveStop({ data: { id: event.id }, auth: asAdmin("adm1") }), fault), "unavailable");
      assert.equal((await stored<EventRecord>(`events/${event.id}`)).archive?.id, event.archive?.id);
      world.standin.clearFaults();
      const { archive } = (await archiveStop({ data: { id: event.id }, auth: asAdmin("adm1") })) as { archive: { status: string } };
      assert.equal(archive.status, "stopped");
      assert.match(archivesOf(world.standin, event.stageSessionId)[0].status, /^(stopped|available|uploaded)$/, "no longer recording");
    });

    it(`deleteEvent of a live show, stops ${fault.name}: unavailable, nothing deleted, the retry deletes and stops both`, async () => {
      const event = await eventIn("live", { archiveEvent: true });
      inject(fault, "POST", "/(archive|broadcast)/[^/]+/stop$");
      assert.equal(await clearAnswer(remove({ data: { id: event.id }, auth: asAdmin("adm1") }), fault), "unavailable");
      const kept = await stored<EventRecord>(`events/${event.id}`);
      assert.equal(kept.archive?.id, event.archive?.id);
      assert.equal(kept.broadcast?.id, event.broadcast?.id);
      world.standin.clearFaults();
      await remove({ data: { id: event.id }, auth: asAdmin("adm1") });
      assert.equal(await stored(`events/${event.id}`), null);
      assert.match(archivesOf(world.standin, event.stageSessionId)[0].status, /^(stopped|available|uploaded)$/, "no longer recording");
      assert.equal(broadcastsOf(world.standin, event.stageSessionId)[0].status, "stopped");
    });
  }
});
