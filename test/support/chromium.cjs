// @ts-check
/**
 * Debian's Chromium for the browser suite (playwright-core downloads no browser). Missing, it is
 * installed with apt-get when this runs as root (CI does); otherwise the error says what to run.
 * `node test/support/chromium.cjs` installs it by hand.
 */
"use strict";
const fs = require("node:fs");
const { spawnSync } = require("node:child_process");

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && fs.existsSync(fromEnv)) return fromEnv;
  return CANDIDATES.find((file) => fs.existsSync(file)) ?? null;
}

/** @param {string} command @param {string[]} args */
function run(command, args) {
  const result = spawnSync(command, args, {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    timeout: 15 * 60_000,
  });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status ?? result.signal})`);
}

/** The path of a Chromium executable, installing Debian's package first when there is none. */
/** @param {{log?: (line: string) => void}} [options] */
function ensureChromium({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const found = findChromium();
  if (found) return found;
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  if (!root || !fs.existsSync("/usr/bin/apt-get")) {
    throw new Error("no Chromium found: install Debian's package (sudo apt-get install -y chromium) or set CHROMIUM_PATH");
  }
  log("[browser suite] Chromium is missing: apt-get install -y chromium (a few minutes, once per machine)");
  run("apt-get", ["update"]);
  run("apt-get", ["install", "-y", "--no-install-recommends", "chromium"]);
  const installed = findChromium();
  if (!installed) throw new Error("apt-get installed chromium but no executable was found");
  return installed;
}

module.exports = { ensureChromium, findChromium };

if (require.main === module) console.log(ensureChromium());
