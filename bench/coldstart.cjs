// @ts-check
/**
 * Cold start per function: the time to load one function's module graph in a fresh Node process
 * (median of several runs), against loading the whole index. In production each function instance
 * loads index.js and then reads its own export, so "one function" is measured the same way:
 * require the index and access that export (the index loads function modules on first access).
 */
"use strict";
const path = require("node:path");
const { execFileSync } = require("node:child_process");

const root = path.resolve(__dirname, "..");
const index = path.join(root, "functions", "lib", "index.js");

/**
 * Milliseconds to load the index and read one export (null: every export) in a fresh process.
 * @param {string | null} exportName
 */
function loadOnce(exportName) {
  const script = `
    const started = process.hrtime.bigint();
    const index = require(${JSON.stringify(index)});
    ${exportName ? `index[${JSON.stringify(exportName)}];` : "for (const name of Object.keys(index)) index[name];"}
    process.stdout.write(String(Number(process.hrtime.bigint() - started) / 1e6));`;
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...process.env, GCLOUD_PROJECT: "demo-interactive-broadcast", FUNCTIONS_LOG_QUIET: "true" };
  if (exportName) env.FUNCTION_TARGET = exportName;
  else delete env.FUNCTION_TARGET;
  return Number(execFileSync(process.execPath, ["-e", script], { cwd: root, env }).toString());
}

/** @param {number[]} values */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function runColdStartBench({ runs = 7, functions = ["createTokensFan", "createEvent", "loginFan"] } = {}) {
  const results = [];
  for (const name of [...functions, null]) {
    const samples = [];
    for (let i = 0; i < runs; i++) samples.push(loadOnce(name));
    results.push({ label: name ?? "whole index", medianMs: median(samples), samples });
  }
  return results;
}

module.exports = { runColdStartBench };

if (require.main === module) {
  for (const result of runColdStartBench()) console.log(`${result.label.padEnd(20)} ${result.medianMs.toFixed(1)} ms`);
}
