/**
 * A function instance killed (SIGKILL, as the platform does at a timeout, a crash or a scale-down) in
 * the middle of a status change: the instance is a process of its own (testing/statusChangeInstance)
 * running the real runner against the test database server and the Vonage stand-in, held inside a
 * Vonage call by an injected delay, then killed. Its lease is left behind; while it holds, nobody
 * runs the change twice; once it expires (LEASE_MS, longer than any function timeout: here the
 * stored lease is aged, as three minutes would) the producer's retry or the scheduled backstop
 * takes over and finishes only what is missing.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import { fft } from "../../testing/harness";
import { asAdmin, eventIn, lifecycleWorld, sleep, stored, type LifecycleWorld } from "../../testing/lifecycleFixtures";
import { archivesOf, broadcastsOf } from "../../testing/vonageStandin";
import { figure } from "../../testing/figures";
import { db } from "../../platform/firebase";
import { finishDueCloses } from "../../events/scheduled";
import type { EventRecord } from "../../events/model";
import { changeStatus } from "../../events/functions/changeStatus";

const INSTANCE = path.join(__dirname, "..", "..", "testing", "statusChangeInstance.js");
/** How long the stand-in holds the call the instance is killed in (it then answers 503, too late). */
const HOLD_MS = 8_000;

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, deadlineMs = 60_000): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe("hardening: a function instance killed in the middle of a status change", function () {
  this.timeout(180_000);
  let world: LifecycleWorld;
  let instance: ChildProcess | undefined;
  const wrap = (fn: unknown) => fft.wrap(fn as never) as unknown as (request: unknown) => Promise<Record<string, unknown>>;
  const status = wrap(changeStatus);
  const change = (id: string, to: string) => status({ data: { id, status: to }, auth: asAdmin("adm1") }) as unknown as Promise<EventRecord>;

  beforeEach(async () => {
    world = await lifecycleWorld({ hls: true, drainSeconds: 0 });
  });
  afterEach(() => {
    world.standin.clearFaults();
    if (instance && instance.exitCode === null) instance.kill("SIGKILL");
  });

  /** Starts the instance on `target` and kills it once it is inside the Vonage call `method path`. */
  async function killInside(event: EventRecord, target: string, method: string, pathRegex: string): Promise<void> {
    world.standin.injectFault({ method, pathRegex, delayMs: HOLD_MS, status: 503, count: 0 });
    const regex = new RegExp(pathRegex);
    let output = "";
    instance = spawn(process.execPath, [INSTANCE, event.id, target], {
      // The test's own database server and stand-in, and a Vonage deadline beyond the hold.
      env: { ...process.env, VONAGE_TIMEOUT_MS: String(HOLD_MS * 4), FUNCTIONS_LOG_QUIET: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    instance.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    instance.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => instance!.once("exit", (code) => resolve(code)));
    await waitFor(`the instance inside ${method} ${pathRegex} (output: ${output})`, async () => {
      if (instance!.exitCode !== null) throw new Error(`the instance ended before the kill: ${output}`);
      // The held call: matching, under the injected fault, not answered yet. (Not "after index N": the
      // stand-in keeps only its last 500 requests, so indexes shift once a long run has filled it.)
      return world.standin
        .state()
        .requests.some((request) => request.method === method && regex.test(request.path) && request.fault && request.status == null);
    });
    instance.kill("SIGKILL");
    assert.equal(await exited, null, "killed, not finished");
    world.standin.clearFaults();
  }
  const ageLease = (id: string) =>
    db()
      .ref(`events/${id}/lifecycle/lease/until`)
      .set(Date.now() - 1);

  it("killed in the broadcast start of a go-live: the show stays preshow under the lease; after it, the retry goes live with one archive and one broadcast", async () => {
    const event = await eventIn("preshow", { archiveEvent: true });
    await killInside(event, "live", "POST", "/broadcast$");

    const left = await stored<EventRecord>(`events/${event.id}`);
    assert.equal(left.status, "preshow", "nothing is half-live");
    assert.ok(left.lifecycle?.lease, "the dead instance's lease is left");
    assert.deepEqual(left.lifecycle?.pending, ["broadcast", "commit", "currentEvent"], "the archive step was done and recorded");
    assert.equal(left.archive?.status, "started");

    // While the lease holds, a retry runs nothing (the holder might still be alive).
    const busy = await change(event.id, "live");
    assert.equal(busy.status, "preshow");
    assert.equal(archivesOf(world.standin, event.stageSessionId).length, 1, "no second archive");
    assert.equal(broadcastsOf(world.standin, event.stageSessionId).length, 0, "the held start never went through");

    await ageLease(event.id);
    const live = await change(event.id, "live");
    assert.equal(live.status, "live");
    const saved = await stored<EventRecord>(`events/${event.id}`);
    assert.equal(saved.lifecycle?.lease, undefined, "the lease is released");
    assert.equal(saved.lifecycle?.pending, undefined);
    assert.equal(saved.archive?.id, left.archive?.id, "the same archive");
    const archives = archivesOf(world.standin, event.stageSessionId);
    const broadcasts = broadcastsOf(world.standin, event.stageSessionId);
    assert.deepEqual(
      archives.map((archive) => [archive.id, archive.status]),
      [[left.archive?.id, "started"]],
    );
    assert.deepEqual(
      broadcasts.map((broadcast) => [broadcast.id, broadcast.status]),
      [[saved.broadcast!.id, "started"]],
    );
    assert.equal((await stored<{ status: string }>(`activeBroadcasts/adm1/${event.fanUrl}`)).status, "live");
    assert.equal((await stored<{ status: string }>(`stageGates/${event.id}`)).status, "live");
  });

  it("killed in the archive stop of a close: closed at once; under the lease the backstop waits; after it, the backstop stops the archive and the broadcast", async () => {
    const event = await eventIn("live", { archiveEvent: true });
    await killInside(event, "closed", "POST", "/archive/[^/]+/stop$");

    const left = await stored<EventRecord>(`events/${event.id}`);
    assert.equal(left.status, "closed", "the close took effect at once");
    assert.ok(left.lifecycle?.lease);
    assert.ok(left.lifecycle?.pending?.includes("archiveStop"));
    assert.equal(left.broadcast?.stopAfter, undefined, "killed before the drain was set: only the unfinished close marks it");

    await finishDueCloses(100);
    assert.equal(archivesOf(world.standin, event.stageSessionId)[0].status, "started", "the backstop does not run under a live lease");

    await ageLease(event.id);
    await finishDueCloses(100);
    const saved = await stored<EventRecord>(`events/${event.id}`);
    assert.equal(saved.lifecycle?.pending, undefined, `the backstop finished the close: ${JSON.stringify(saved.lifecycle)}`);
    assert.equal(saved.lifecycle?.lease, undefined);
    assert.equal(saved.lifecycle?.unfinishedSince, undefined);
    assert.equal(saved.archive?.status, "stopped");
    assert.equal(saved.broadcast?.status, "stopped");
    assert.match(archivesOf(world.standin, event.stageSessionId)[0].status, /^(stopped|available|uploaded)$/);
    assert.equal(broadcastsOf(world.standin, event.stageSessionId)[0].status, "stopped");
    assert.equal(await stored(`activeBroadcasts/adm1/${event.fanUrl}`), null, "the live record is gone");
    figure("instance kill: steps left by the killed close", left.lifecycle?.pending);
  });
});
