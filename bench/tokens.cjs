/**
 * Token minting throughput on one core: our signer (KeyObject, built once per tenant) against the
 * `opentok` SDK's default generateToken (JWT via jsonwebtoken with a string secret) and its legacy T1
 * format, in the same process and run. Every token is checked first: ours must verify with
 * jsonwebtoken (HS256 pinned) and carry the SDK's claims.
 */
"use strict";
const path = require("node:path");
const assert = require("node:assert/strict");
const jwt = require("jsonwebtoken");
const OpenTok = require("opentok");

const root = path.resolve(__dirname, "..");
const { TokenSigner } = require(path.join(root, "functions", "lib", "lib", "vonageTokens.js"));

const apiKey = "47000001";
const apiSecret = "bench0000secret0000bench0000secret000001";
const sessionId = "1_" + Buffer.from(`1~${apiKey}~~${new Date().toUTCString()}~0.5~`).toString("base64url");
const data = JSON.stringify({ userType: "fan", participantId: "uid-0123456789abcdef", eventId: "-Nabcdefghijklmn" });

function measure(label, fn, { warmup = 2000, iterations = 20000 } = {}) {
  for (let i = 0; i < warmup; i++) fn(i);
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn(i);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { label, opsPerSecond: iterations / seconds, microsPerOp: (seconds / iterations) * 1e6 };
}

function runTokenBench({ iterations = 20000 } = {}) {
  const signer = new TokenSigner(apiKey, apiSecret);
  const sdk = new OpenTok(apiKey, apiSecret);
  const expireTime = Math.floor(Date.now() / 1000) + 3600;
  const options = { role: "subscriber", data, expireTime };

  // Correctness first: the figures only count for tokens that are accepted.
  const ours = jwt.verify(signer.mint({ sessionId, ...options }), apiSecret, { algorithms: ["HS256"] });
  const theirs = jwt.verify(sdk.generateToken(sessionId, options), apiSecret, { algorithms: ["HS256"] });
  assert.deepEqual(Object.keys(ours).sort(), Object.keys(theirs).sort());
  assert.equal(ours.connection_data, data);

  const results = [
    measure("ours (HMAC KeyObject)", () => signer.mint({ sessionId, ...options }), { iterations }),
    measure("opentok generateToken (default JWT)", () => sdk.generateToken(sessionId, options), { iterations: Math.max(2000, iterations / 10) }),
    measure("opentok generateToken (legacy T1)", () => sdk.generateToken(sessionId, options, true), { iterations }),
  ];
  return results;
}

module.exports = { runTokenBench };

if (require.main === module && process.argv.includes("--json")) {
  // bench/run.cjs runs this file under another Node version and reads the figures back.
  process.stdout.write(JSON.stringify({ node: process.version, results: runTokenBench() }));
} else if (require.main === module) {
  for (const result of runTokenBench()) console.log(`${result.label.padEnd(40)} ${result.opsPerSecond.toFixed(0).padStart(9)} ops/s ${result.microsPerOp.toFixed(2).padStart(8)} us/op`);
}
