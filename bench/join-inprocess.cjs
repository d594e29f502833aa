/**
 * One side of the join comparisons (bench/run.cjs, item 4), run in a process of its own so its CPU
 * time is the function side only (the database server runs in the parent). Every side uses
 * firebase-admin against the same local database server, the way a function instance would:
 * - "ours": loginFan's one read of the login lookup record, then the compiled fanJoin (one seat shard
 *   transaction + two tokens from the cached per-tenant signer);
 * - "ibs": the original IBS pattern: query `events` by fanUrl, keep the admin's event, read the
 *   admin, then two tokens with the opentok SDK's default generateToken, a new client per call, for
 *   the same legacy pair as ours (HS256, the only kind IBS knew);
 * - "handler": createTokensFan's handler alone (fanJoin), expecting an interactive seat;
 * - "hls": the same handler on a show whose seats are all taken, expecting an HLS answer;
 * - "burst": the handler, BURST_JOINS joins then BURST_HLS HLS answers, BURST_IN_FLIGHT at a time.
 * Input: BENCH_JOIN (JSON) in the environment. Output: messages to the parent: {warm}, {mark} (the
 * parent snapshots its database counters and answers), {done, result}.
 */
"use strict";
const path = require("node:path");
const { randomBytes } = require("node:crypto");

const input = JSON.parse(process.env.BENCH_JOIN);
const root = path.resolve(__dirname, "..");
const lib = (name) => require(path.join(root, "functions", "lib", `${name}.js`));

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const fromParent = () => new Promise((resolve) => process.once("message", resolve));
/** Tells the parent where a phase starts or ends and waits until it has taken its counters. */
async function mark(name) {
  process.send?.({ mark: name });
  await fromParent();
}

async function main() {
  const { db } = lib("platform/firebase");
  const { paths } = lib("contract/paths");
  const { readEventKey } = lib("access/eventLogin");
  const { fanJoin } = lib("seats/fanJoin");
  const OpenTok = require("opentok");

  const newUid = () => `fan${randomBytes(16).toString("hex")}`;
  const handlerJoin = (expected) => async () => {
    const answer = await fanJoin({
      uid: newUid(),
      role: "fan",
      adminId: input.adminId,
      eventId: input.eventId,
      superAdmin: false,
      anonymous: false,
    });
    if (answer.mode !== expected) throw new Error(`${input.side}: expected ${expected}, got ${answer.mode}`);
  };

  const ours = async () => {
    const key = await readEventKey(paths.eventKey(input.adminId, "fan", input.slug));
    const answer = await fanJoin({
      uid: newUid(),
      role: "fan",
      adminId: input.adminId,
      eventId: key.eventId,
      superAdmin: false,
      anonymous: false,
    });
    if (answer.mode !== "interactive") throw new Error(`ours: expected an interactive seat, got ${answer.mode}`);
  };

  const ibs = async () => {
    const found = (await db().ref("events").orderByChild("fanUrl").equalTo(input.slug).once("value")).val() ?? {};
    const event = Object.values(found).find((candidate) => candidate.adminId === input.adminId);
    if (!event) throw new Error("ibs: no event");
    const admin = (await db().ref(`admins/${input.adminId}`).once("value")).val();
    if (!admin) throw new Error("ibs: no admin");
    // IBS built an OpenTok client from the admin's pair on every call.
    const opentok = new OpenTok(input.apiKey, input.apiSecret);
    const uid = newUid();
    const data = JSON.stringify({ userType: "backstageFan", uid, eventId: event.id });
    opentok.generateToken(event.sessionId, { role: "publisher", data });
    opentok.generateToken(event.stageSessionId, { role: "subscriber", data: JSON.stringify({ userType: "fan", uid, eventId: event.id }) });
  };

  if (input.side === "burst") return burst(handlerJoin);

  const join = { ours, ibs, handler: handlerJoin("interactive"), hls: handlerJoin("hls") }[input.side];
  for (let i = 0; i < input.warmup; i++) await join();
  process.send?.({ warm: true });
  await fromParent(); // the parent resets its counters

  const latencies = [];
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let i = 0; i < input.joins; i++) {
    const t0 = process.hrtime.bigint();
    await join();
    latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const cpu = process.cpuUsage(cpuBefore);
  latencies.sort((a, b) => a - b);
  process.send?.({
    done: true,
    result: {
      joins: input.joins,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      joinsPerSecond: input.joins / (wallMs / 1000),
      cpuMsPerJoin: (cpu.user + cpu.system) / 1000 / input.joins,
    },
  });
  // firebase-admin keeps its socket open: leave once the parent has the figures.
  await fromParent();
  process.exit(0);
}

/** The show-scale burst: seats fill up, then the HLS crowd arrives; CPU and wall time per phase. */
async function burst(handlerJoin) {
  const { flushSeatCounters } = lib("seats/counters");
  const phase = async (name, count, expected) => {
    const call = handlerJoin(expected);
    await mark(`${name}:start`);
    const cpuBefore = process.cpuUsage();
    const started = process.hrtime.bigint();
    let next = 0;
    const worker = async () => {
      while (next < count) {
        next++;
        await call();
      }
    };
    await Promise.all(Array.from({ length: input.inFlight }, worker));
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const cpu = process.cpuUsage(cpuBefore);
    await mark(`${name}:end`);
    return { calls: count, wallMs, cpuMsPerCall: (cpu.user + cpu.system) / 1000 / count };
  };
  await handlerJoin("interactive")(); // warm: the view, the signer
  process.send?.({ warm: true });
  await fromParent();
  const joins = await phase("joins", input.burstJoins - 1, "interactive");
  const hls = await phase("hls", input.burstHls, "hls");
  // The batched counters of the whole burst, written now rather than by the timer.
  await mark("flush:start");
  await flushSeatCounters();
  await mark("flush:end");
  process.send?.({ done: true, result: { joins, hls } });
  await fromParent();
  process.exit(0);
}

main().catch((error) => {
  process.send?.({ error: String(error?.stack ?? error) });
  process.exit(1);
});
