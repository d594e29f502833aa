// @ts-check
/**
 * Token minting cost on one core, for both kinds of credential, each signer against its peers in the
 * same process and run:
 *
 * - legacy (API key + secret, HS256): our `TokenSigner` (HMAC KeyObject, built once per tenant), the
 *   `opentok` SDK's default generateToken (JWT via jsonwebtoken with a string secret), its legacy T1
 *   format, and the bare HMAC floor (one createHmac + digest over a signing input as long as ours);
 * - application (application id + RSA private key, RS256): our `ApplicationTokenSigner` (RSA KeyObject,
 *   built once), the SDK's Vonage-mode generateToken (@vonage/jwt + jsonwebtoken, the PEM parsed on
 *   every call), and the bare RS256 floor (one crypto.sign over a signing input as long as ours).
 *
 * Every token is checked first: ours and the SDK's must verify with jsonwebtoken (the algorithm pinned,
 * RS256 with the public key only), carry the same claim names and our expiry, and each floor must
 * compute the very signature our token carries (so it signs the same bytes with the same key).
 *
 * Measurement: each group's rows take turns in short chunks (a few ms each) for a fixed time per
 * round, over several rounds with the order rotated, so that noise from the shared machine hits every
 * row alike. A row's figure is the median of its per-round us/op; a ratio is the median of its
 * per-round ratios (both sides measured in the same round, chunk by chunk).
 *
 * `node bench/tokens.cjs` prints one line per row and the ratios; `--json` prints the figures for
 * bench/run.cjs (which runs this file under the other Node version). BENCH_TOKEN_ROUNDS (default 5)
 * and BENCH_TOKEN_ROUND_MS (per row and round, default 300 for legacy rows and 2.5x that for
 * application rows) trade time for steadiness.
 */
"use strict";
const assert = require("node:assert/strict");
const crypto = require("node:crypto");
const jwt = require("jsonwebtoken");
const OpenTok = require("opentok");

const { TokenSigner, ApplicationTokenSigner } = require("../functions/lib/platform/vonage/tokens.js");

const apiKey = "47000001";
const apiSecret = "bench0000secret0000bench0000secret000001";
const applicationId = "0b1e7c3a-5d2f-4a6b-9c8d-7e6f5a4b3c2d";
const sessionId = "1_" + Buffer.from(`1~${apiKey}~~${new Date().toUTCString()}~0.5~`).toString("base64url");
const data = JSON.stringify({ userType: "fan", participantId: "uid-0123456789abcdef", eventId: "-Nabcdefghijklmn" });

/**
 * @typedef {import("../functions/src/platform/vonage/tokens").TokenRequest} TokenRequest
 * @typedef {import("opentok").TokenOptions} TokenOptions
 * @typedef {import("jsonwebtoken").VerifyOptions} VerifyOptions
 * @typedef {"legacy" | "application"} Group
 * @typedef {{ id: string, group: Group, label: string, fn: (i: number) => unknown }} Row a signer (or a floor) and its call
 * @typedef {{ id: string, group: Group, label: string, microsPerOp: number, opsPerSecond: number, samples: number[] }} RowResult
 *   a row's figures: its median us/op and its per-round us/op
 * @typedef {{ min: number, max?: undefined } | { max: number, min?: undefined }} Target at least `min`, or at most `max`
 * @typedef {"faster" | "overFloor"} RatioKind
 * @typedef {{
 *   id: string, label: string, kind: RatioKind, ours: string, peer: string, value: number, perRound: number[],
 *   target: Target | undefined, holds: boolean | undefined,
 * }} Ratio a ratio between two rows (its target and whether it holds, if it has one)
 * @typedef {{ node: string, seconds: number, rounds: number, results: RowResult[], ratios: Ratio[] }} TokenRun
 *   one run of both groups in one process (what `--json` prints)
 */

/**
 * The ratios the figures are held to: `faster` = peer time / ours, `overFloor` = ours / floor time.
 * @type {{ legacyVsSdk: Target, applicationVsSdk: Target, applicationVsFloor: Target }}
 */
const TARGETS = {
  legacyVsSdk: { min: 20 },
  applicationVsSdk: { min: 2 },
  applicationVsFloor: { max: 1.2 },
};

/** @param {number[]} values */
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Runs `fn` for `ms` milliseconds or `maxIterations` calls, whichever comes first, in batches of
 * `batch` calls between clock reads; returns the ops and the nanoseconds they took.
 * @param {(i: number) => unknown} fn
 * @param {number} ms
 * @param {{ batch?: number, maxIterations?: number }} [options]
 */
function timeBox(fn, ms, { batch = 1, maxIterations = Infinity } = {}) {
  const deadline = process.hrtime.bigint() + BigInt(Math.round(ms * 1e6));
  let ops = 0;
  let ns = 0n;
  while (ops < maxIterations) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) fn(i);
    const ended = process.hrtime.bigint();
    ns += ended - started;
    ops += batch;
    if (ended >= deadline) break;
  }
  return { ops, ns: Number(ns) };
}

/**
 * Measures a group of rows against each other: warm-up (time-boxed, which also sizes each row's chunk
 * to ~2 ms), then `rounds` rounds in which the rows take turns chunk by chunk for `roundMs` each
 * (the starting row rotates every round). Returns each row with its median us/op and per-round samples.
 * @param {Row[]} rows
 * @param {{ rounds: number, roundMs: number, warmupMs?: number, chunkMs?: number }} options
 * @returns {RowResult[]}
 */
function compareRows(rows, { rounds, roundMs, warmupMs = Math.max(100, roundMs / 2), chunkMs = 2 }) {
  const batches = rows.map((row) => {
    const warm = timeBox(row.fn, warmupMs, { batch: 10 });
    return Math.max(1, Math.round((chunkMs * 1e6) / (warm.ns / warm.ops)));
  });
  /** @type {number[][]} */
  const samples = rows.map(() => []);
  for (let round = 0; round < rounds; round++) {
    const totals = rows.map(() => ({ ops: 0, ns: 0 }));
    const order = rows.map((_, i) => (i + round) % rows.length);
    const deadline = process.hrtime.bigint() + BigInt(Math.round(roundMs * rows.length * 1e6));
    while (process.hrtime.bigint() < deadline) {
      for (const i of order) {
        const chunk = timeBox(rows[i].fn, 0, { batch: batches[i], maxIterations: batches[i] });
        totals[i].ops += chunk.ops;
        totals[i].ns += chunk.ns;
      }
    }
    totals.forEach((total, i) => samples[i].push(total.ns / total.ops / 1e3));
  }
  return rows.map((row, i) => {
    const microsPerOp = median(samples[i]);
    return { id: row.id, group: row.group, label: row.label, microsPerOp, opsPerSecond: 1e6 / microsPerOp, samples: samples[i] };
  });
}

/**
 * A ratio between two rows of a group, as the median of the per-round ratios.
 * @param {RowResult[]} results
 * @param {string} id
 * @param {string} label
 * @param {string} oursId
 * @param {string} peerId
 * @param {RatioKind} kind
 * @param {Target} [target]
 * @returns {Ratio}
 */
function ratioOf(results, id, label, oursId, peerId, kind, target) {
  const ours = rowOf(results, oursId);
  const peer = rowOf(results, peerId);
  // faster: how many times the peer's time ours takes less; overFloor: ours' time over the floor's.
  const perRound = ours.samples.map((sample, round) => (kind === "faster" ? peer.samples[round] / sample : sample / peer.samples[round]));
  const value = median(perRound);
  const holds = target === undefined ? undefined : target.min !== undefined ? value >= target.min : value <= target.max;
  return { id, label, kind, ours: oursId, peer: peerId, value, perRound, target, holds };
}

/**
 * The row of `results` with this id.
 * @param {RowResult[]} results
 * @param {string} id
 */
function rowOf(results, id) {
  const row = results.find((candidate) => candidate.id === id);
  if (!row) throw new Error(`no token row ${id}`);
  return row;
}

/** @returns {Row[]} */
function legacyRows() {
  const signer = new TokenSigner(apiKey, apiSecret);
  const sdk = new OpenTok(apiKey, apiSecret);
  const expireTime = Math.floor(Date.now() / 1000) + 3600;
  /** @satisfies {TokenOptions} */
  const options = { role: "subscriber", data, expireTime };
  /** @type {TokenRequest} */
  const request = { sessionId, ...options };

  // Correctness first: the figures only count for tokens that are accepted.
  const token = signer.mint(request);
  const ours = jwt.verify(token, apiSecret, { algorithms: ["HS256"] });
  const theirs = jwt.verify(sdk.generateToken(sessionId, options), apiSecret, { algorithms: ["HS256"] });
  // jsonwebtoken returns a string for a payload that is not JSON: these are claims.
  assert.ok(typeof ours !== "string" && typeof theirs !== "string", "JSON payloads");
  assert.deepEqual(Object.keys(ours).sort(), Object.keys(theirs).sort());
  assert.equal(ours.connection_data, data);
  assert.equal(ours.exp, expireTime);
  assert.equal(theirs.exp, expireTime);
  assert.match(sdk.generateToken(sessionId, options, true), /^T1==/);

  // The floor: one HMAC over as many bytes as our signing input (these very bytes), same key kind.
  const signingInput = Buffer.from(token.slice(0, token.lastIndexOf(".")));
  const key = crypto.createSecretKey(Buffer.from(apiSecret, "utf8"));
  const floor = () => crypto.createHmac("sha256", key).update(signingInput).digest();
  assert.equal(floor().toString("base64url"), token.slice(token.lastIndexOf(".") + 1));

  return [
    { id: "legacy.ours", group: "legacy", label: "legacy ours (HMAC KeyObject)", fn: () => signer.mint(request) },
    {
      id: "legacy.sdk",
      group: "legacy",
      label: "legacy opentok generateToken (default JWT)",
      fn: () => sdk.generateToken(sessionId, options),
    },
    { id: "legacy.t1", group: "legacy", label: "legacy opentok generateToken (T1)", fn: () => sdk.generateToken(sessionId, options, true) },
    { id: "legacy.floor", group: "legacy", label: "legacy floor (createHmac + digest)", fn: floor },
  ];
}

/** @returns {Row[]} */
function applicationRows() {
  // A 2048-bit key, as Vonage generates for an application; the SDK wants it as a PKCS#8 PEM string.
  const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pem = privateKey.export({ type: "pkcs8", format: "pem" });
  const signer = new ApplicationTokenSigner(applicationId, pem);
  const sdk = new OpenTok(applicationId, pem);
  const expireTime = Math.floor(Date.now() / 1000) + 3600;
  /** @type {TokenRequest} */
  const request = { sessionId, role: "subscriber", data, expireTime };
  // Vonage mode reads expire_time and ignores expireTime: pass it the same expiry the snake_case way.
  /** @type {TokenOptions & { expire_time: number }} */
  const sdkOptions = { role: "subscriber", data, expire_time: expireTime };

  const token = signer.mint(request);
  const sdkToken = sdk.generateToken(sessionId, sdkOptions);
  /** @type {VerifyOptions & { complete: true }} */
  const pinned = { algorithms: ["RS256"], complete: true };
  const ours = jwt.verify(token, publicKey, pinned);
  const theirs = jwt.verify(sdkToken, publicKey, pinned);
  assert.ok(typeof ours.payload !== "string" && typeof theirs.payload !== "string", "JSON payloads");
  assert.equal(ours.header.alg, "RS256");
  assert.equal(theirs.header.alg, "RS256");
  assert.deepEqual(Object.keys(ours.payload).sort(), Object.keys(theirs.payload).sort());
  for (const claim of [
    "application_id",
    "scope",
    "session_id",
    "role",
    "initial_layout_class_list",
    "connection_data",
    "sub",
    "acl",
    "exp",
  ]) {
    assert.deepEqual(ours.payload[claim], theirs.payload[claim], claim);
  }
  assert.equal(ours.payload.application_id, applicationId);
  assert.equal(ours.payload.connection_data, data);
  assert.equal(ours.payload.exp, expireTime);
  assert.throws(() => jwt.verify(token, apiSecret, { algorithms: ["HS256"] }));

  // The floor: one RSA signature over as many bytes as our signing input (these very bytes).
  const signingInput = Buffer.from(token.slice(0, token.lastIndexOf(".")));
  const key = crypto.createPrivateKey(pem);
  const floor = () => crypto.sign("sha256", signingInput, key);
  assert.equal(floor().toString("base64url"), token.slice(token.lastIndexOf(".") + 1));

  return [
    { id: "application.ours", group: "application", label: "application ours (RSA KeyObject)", fn: () => signer.mint(request) },
    {
      id: "application.sdk",
      group: "application",
      label: "application opentok generateToken (Vonage)",
      fn: () => sdk.generateToken(sessionId, sdkOptions),
    },
    { id: "application.floor", group: "application", label: "application floor (crypto.sign RS256)", fn: floor },
  ];
}

/**
 * A positive number from the environment, or the default.
 * @param {string} name
 * @param {number} fallback
 */
function fromEnv(name, fallback) {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/**
 * Both groups, measured in this process; returns `{ node, seconds, rounds, results, ratios }`.
 * @param {{ rounds?: number, roundMs?: number }} [options]
 * @returns {TokenRun}
 */
function runTokenBench({
  rounds = Math.max(1, Math.round(fromEnv("BENCH_TOKEN_ROUNDS", 5))),
  roundMs = fromEnv("BENCH_TOKEN_ROUND_MS", 300),
} = {}) {
  const started = process.hrtime.bigint();
  const legacy = compareRows(legacyRows(), { rounds, roundMs });
  const application = compareRows(applicationRows(), { rounds, roundMs: roundMs * 2.5 });
  const results = [...legacy, ...application];
  const ratios = [
    ratioOf(results, "legacy.vsSdk", "legacy ours vs SDK default", "legacy.ours", "legacy.sdk", "faster", TARGETS.legacyVsSdk),
    ratioOf(results, "legacy.vsT1", "legacy ours vs SDK T1", "legacy.ours", "legacy.t1", "faster"),
    ratioOf(results, "legacy.vsFloor", "legacy ours / HMAC floor", "legacy.ours", "legacy.floor", "overFloor"),
    ratioOf(
      results,
      "application.vsSdk",
      "application ours vs SDK Vonage mode",
      "application.ours",
      "application.sdk",
      "faster",
      TARGETS.applicationVsSdk,
    ),
    ratioOf(
      results,
      "application.vsFloor",
      "application ours / RS256 floor",
      "application.ours",
      "application.floor",
      "overFloor",
      TARGETS.applicationVsFloor,
    ),
    // No signer beats the floor: the most any signer can be faster than the SDK is the SDK's time over it.
    ratioOf(
      results,
      "application.sdkVsFloor",
      "application SDK / RS256 floor (ceiling of ours vs SDK)",
      "application.sdk",
      "application.floor",
      "overFloor",
    ),
  ];
  return { node: process.version, seconds: Number(process.hrtime.bigint() - started) / 1e9, rounds, results, ratios };
}

/**
 * "2.0x faster" / "1.02x the floor's time", with the target and whether it holds.
 * @param {Ratio} ratio
 */
function describeRatio(ratio) {
  const value = ratio.kind === "faster" ? `${ratio.value.toFixed(2)}x faster` : `${ratio.value.toFixed(2)}x the time`;
  if (!ratio.target) return value;
  const target = ratio.target.min !== undefined ? `>= ${ratio.target.min}x` : `<= ${ratio.target.max}x`;
  return `${value} (target ${target}: ${ratio.holds ? "holds" : `MISSES at ${ratio.value.toFixed(2)}x`})`;
}

module.exports = { runTokenBench, describeRatio, TARGETS };

if (require.main === module && process.argv.includes("--json")) {
  // bench/run.cjs runs this file under another Node version and reads the figures back.
  process.stdout.write(JSON.stringify(runTokenBench()));
} else if (require.main === module) {
  const run = runTokenBench();
  console.log(`Node ${run.node}: median of ${run.rounds} interleaved rounds, ${run.seconds.toFixed(1)} s`);
  for (const row of run.results) {
    const spread = `rounds ${Math.min(...row.samples).toFixed(2)}-${Math.max(...row.samples).toFixed(2)}`;
    console.log(
      `${row.label.padEnd(44)} ${row.opsPerSecond.toFixed(0).padStart(9)} ops/s ${row.microsPerOp.toFixed(2).padStart(9)} us/op  (${spread})`,
    );
  }
  for (const ratio of run.ratios) console.log(`${ratio.label.padEnd(56)} ${describeRatio(ratio)}`);
}
