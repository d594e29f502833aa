// @ts-check
/**
 * One side of the join comparisons (bench/run.cjs, items 4 and 5), run in a process of its own so its CPU
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
 * Input: BENCH_JOIN (JSON) in the environment. Every side but "burst" warms up, sends {warm}, then
 * answers the parent's orders: {run: n} runs n sequential calls and sends {chunk} (its CPU and wall
 * time, each call's latency), "release" gives back the seats those calls took and sends {released},
 * "exit" ends it: the parent interleaves the sides chunk by chunk and takes the database counters
 * around each chunk. "burst" sends {mark} around its phases (the parent answers once it has its
 * counters) and {done, result} at the end.
 */
"use strict";
const { randomBytes } = require("node:crypto");

/**
 * What bench/run.cjs sends in BENCH_JOIN (burstJoins, burstHls, inFlight: the burst side only).
 * @typedef {{
 *   side: "ours" | "ibs" | "handler" | "hls" | "burst", warmup: number, adminId: string, slug: string, eventId: string,
 *   apiKey: string, apiSecret: string, burstJoins: number, burstHls: number, inFlight: number,
 * }} JoinInput
 */
/** An order of the parent: run n calls, give the seats back, or end. @typedef {{ run: number } | "release" | "exit"} Order */
/**
 * A chunk's figures: its calls, their wall and CPU time, each call's latency (ms).
 * @typedef {{ joins: number, wallMs: number, cpuMs: number, latencies: number[] }} Chunk
 */
/** A phase of the burst: its calls, their wall time and the CPU a call. @typedef {{ calls: number, wallMs: number, cpuMsPerCall: number }} BurstPhase */
/**
 * What a side tells the parent, one field a message (the parent waits for a message by its field).
 * @typedef {{
 *   warm?: true, chunk?: Chunk, released?: true, mark?: string, done?: true,
 *   result?: { joins: BurstPhase, hls: BurstPhase }, error?: string,
 * }} SideMessage
 */

/** @type {JoinInput} */
const input = JSON.parse(/** @type {string} */ (process.env.BENCH_JOIN)); // set by bench/run.cjs

/** @param {SideMessage} message */
const tell = (message) => process.send?.(message);
/** @returns {Promise<Order>} */
const fromParent = () => new Promise((resolve) => process.once("message", resolve));
/**
 * Tells the parent where a phase starts or ends and waits until it has taken its counters.
 * @param {string} name
 */
async function mark(name) {
  tell({ mark: name });
  await fromParent();
}

async function main() {
  const { db } = require("../functions/lib/platform/firebase.js");
  const { paths } = require("../functions/lib/contract/paths.js");
  const { readEventKey } = require("../functions/lib/access/eventLogin.js");
  const { fanJoin } = require("../functions/lib/seats/fanJoin.js");
  const OpenTok = require("opentok");

  const newUid = () => `fan${randomBytes(16).toString("hex")}`;
  /** @param {"interactive" | "hls"} expected @returns {() => Promise<string | undefined>} */
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
    // An HLS answer holds no seat: nothing to give back.
    return answer.mode === "interactive" ? answer.seatPath : undefined;
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
    return answer.seatPath;
  };

  const ibs = async () => {
    const found = (await db().ref("events").orderByChild("fanUrl").equalTo(input.slug).once("value")).val() ?? {};
    const event = Object.values(
      /** @type {Record<string, { id: string, adminId: string, sessionId: string, stageSessionId: string }>} */ (found),
    ).find((candidate) => candidate.adminId === input.adminId);
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

  /** @type {() => Promise<string | undefined | void>} */
  const join = { ours, ibs, handler: handlerJoin("interactive"), hls: handlerJoin("hls") }[input.side];
  /** @type {string[]} */
  const seatPaths = [];
  const counted = async () => {
    const seatPath = await join();
    if (seatPath) seatPaths.push(seatPath);
  };
  // Warm-up: the view, the signer, the JIT; in chunks, seats given back after each, as in a round.
  for (let chunk = 0; chunk < 5; chunk++) {
    for (let i = 0; i < input.warmup; i++) await counted();
    await releaseSeats(seatPaths);
  }
  tell({ warm: true });
  // Chunks on demand: the parent interleaves the sides chunk by chunk (round by round), taking its
  // database counters around each chunk, so the noise of the shared machine hits every side alike.
  for (;;) {
    const order = await fromParent();
    if (order === "exit") break;
    if (order === "release") {
      // Outside the measured chunk: give the seats back so the show stays at the seats held it
      // stands for, and let the live view settle before the next side runs.
      await releaseSeats(seatPaths);
      tell({ released: true });
      continue;
    }
    /** @type {number[]} */
    const latencies = [];
    const cpuBefore = process.cpuUsage();
    const started = process.hrtime.bigint();
    for (let i = 0; i < order.run; i++) {
      const t0 = process.hrtime.bigint();
      await counted();
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const cpu = process.cpuUsage(cpuBefore);
    tell({ chunk: { joins: order.run, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, latencies } });
  }
  // firebase-admin keeps its socket open.
  process.exit(0);

  /**
   * Removes the claims the last chunk took (one multi-path write), then waits a moment for the echo.
   * @param {string[]} list
   */
  async function releaseSeats(list) {
    if (list.length === 0) return;
    const patch = Object.fromEntries(list.map((seatPath) => [seatPath, null]));
    list.length = 0;
    await db().ref().update(patch);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The show-scale burst: seats fill up, then the HLS crowd arrives; CPU and wall time per phase.
 * @param {(expected: "interactive" | "hls") => () => Promise<unknown>} handlerJoin
 */
async function burst(handlerJoin) {
  const { flushSeatCounters } = require("../functions/lib/seats/counters.js");
  /** @param {string} name @param {number} count @param {"interactive" | "hls"} expected */
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
  tell({ warm: true });
  await fromParent();
  const joins = await phase("joins", input.burstJoins - 1, "interactive");
  const hls = await phase("hls", input.burstHls, "hls");
  // The batched counters of the whole burst, written now rather than by the timer.
  await mark("flush:start");
  await flushSeatCounters();
  await mark("flush:end");
  tell({ done: true, result: { joins, hls } });
  await fromParent();
  process.exit(0);
}

main().catch((error) => {
  tell({ error: String(error?.stack ?? error) });
  process.exit(1);
});
