#!/usr/bin/env node
// @ts-check
/**
 * Entry point of `npm start`, `npm test`, `npm run test:stress`, `npm run bench`, `npm run demo` and
 * `npm run cli` on a fresh clone. Runs on whatever Node the machine has (the machines carry Node 20):
 * checks the command line (and, for `npm start`, that the ports are free) before anything else, installs
 * what is missing from the lockfiles, builds the functions when their sources changed since the last
 * build, then runs the real command on Node 22 from the `node` npm package, the runtime the functions
 * are deployed on.
 */
"use strict";
const { spawnSync, spawn } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
/** @type {Record<string, string[]>} */
const commands = {
  start: ["local/start.cjs"],
  test: ["tools/test.cjs"],
  stress: ["tools/stress.cjs"],
  bench: ["bench/run.cjs"],
  demo: ["local/demo.cjs"],
  cli: ["local/cli.cjs"],
  lint: ["tools/lint.cjs"],
  format: ["tools/lint.cjs", "--fix"],
};

/** @param {string} message */
function log(message) {
  process.stderr.write(`[setup] ${message}\n`);
}

/**
 * @typedef {{ version?: string, resolved?: string, integrity?: string, optional?: boolean, devOptional?: boolean }} LockEntry
 * @typedef {{ packages?: Record<string, LockEntry> }} Lockfile
 */

/** @param {string} file @returns {Lockfile | null} */
function readLockfile(file) {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    return parsed && typeof parsed === "object" ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * Does `dir/node_modules` hold what `dir/package-lock.json` lists? Judged by content: npm records what it
 * installed in node_modules/.package-lock.json (the lockfile's entries, without the root and without
 * the optional packages it skipped on this platform), and that record must agree with the lockfile
 * entry for entry. Not by modification time: a checkout, a `git worktree` whose node_modules are hard
 * links to another checkout's, or a copy gives package-lock.json a new mtime without changing it.
 * @param {string} dir
 */
function installedFresh(dir) {
  const wanted = readLockfile(path.join(dir, "package-lock.json"))?.packages;
  const installed = readLockfile(path.join(dir, "node_modules", ".package-lock.json"))?.packages;
  if (!wanted || !installed) return false;
  const { isDeepStrictEqual } = require("node:util");
  for (const [where, entry] of Object.entries(installed)) {
    if (!isDeepStrictEqual(wanted[where], entry)) return false; // changed, or no longer in the lockfile
  }
  for (const [where, entry] of Object.entries(wanted)) {
    if (where === "" || where in installed) continue;
    if (!entry.optional && !entry.devOptional) return false; // listed but never installed
  }
  return true;
}

/**
 * npm ci when node_modules is missing or does not hold what the lockfile lists.
 * @param {string} dir
 */
function ensureInstalled(dir) {
  if (installedFresh(dir)) return;
  log(`installing packages in ${path.relative(root, dir) || "."} (npm ci)`);
  const started = Date.now();
  const result = spawnSync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: dir,
    stdio: ["ignore", "inherit", "inherit"],
    shell: process.platform === "win32",
  });
  if (result.status !== 0) {
    log(`npm ci failed in ${dir} (exit ${result.status}); see the messages above`);
    process.exit(result.status || 1);
  }
  log(`installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** @param {number} pid */
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return /** @type {NodeJS.ErrnoException} */ (error).code === "EPERM";
  }
}

function node22() {
  const candidate = path.join(root, "node_modules", "node", "bin", "node");
  return fs.existsSync(candidate) ? candidate : process.execPath;
}

function envWithLocalBin() {
  // Children (firebase-tools, its function workers, mocha) find Node 22 and local CLIs first.
  const bins = [path.join(root, "node_modules", ".bin"), path.join(root, "functions", "node_modules", ".bin")];
  return { ...process.env, PATH: [...bins, process.env.PATH].join(path.delimiter) };
}

/**
 * A fingerprint of everything the build reads (the functions' and the typed client's sources, their
 * configs, the demo it type-checks, the installed packages), so an unchanged tree is not rebuilt: a
 * rebuild rewrites functions/lib under a running stack, and takes most of a start on 2 cores.
 */
function buildInputs() {
  const crypto = require("node:crypto");
  const hash = crypto.createHash("sha256");
  /** @param {string} file */
  const visit = (file) => {
    let stat;
    try {
      stat = fs.statSync(file);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(file).sort()) if (name !== "node_modules" && name !== "dist") visit(path.join(file, name));
      return;
    }
    hash.update(`${path.relative(root, file)}\0${stat.size}\0${stat.mtimeMs}\n`);
  };
  for (const input of [
    "functions/src",
    "functions/tsconfig.json",
    "functions/package.json",
    "functions/node_modules/.package-lock.json",
    "client",
    "local/demo.cjs",
    "rules",
    "web/src",
    "web/public",
    "web/index.html",
    "web/package.json",
    "web/tsconfig.json",
    "web/vite.config.ts",
    "web/node_modules/.package-lock.json",
  ]) {
    visit(path.join(root, input));
  }
  return hash.digest("hex");
}

const STAMP = path.join(root, ".local-stack", "build-stamp.json");

/** @param {string} inputs */
function upToDate(inputs) {
  if (process.env.LOCAL_FORCE_BUILD) return false;
  if (!fs.existsSync(path.join(root, "functions", "lib", "index.js"))) return false;
  if (!fs.existsSync(path.join(root, "web", "dist", "index.html"))) return false;
  try {
    return JSON.parse(fs.readFileSync(STAMP, "utf8")).inputs === inputs;
  } catch {
    return false;
  }
}

/** @param {NodeJS.ProcessEnv} env */
function build(env) {
  const inputs = buildInputs();
  if (upToDate(inputs)) {
    log("functions, typed client, rules source and web app unchanged since the last build (LOCAL_FORCE_BUILD=1 rebuilds)");
    return;
  }
  // The stamp keeps describing the functions/lib in place until a new one is swapped in.
  log("building functions (tsc)");
  const tsc = path.join(root, "functions", "node_modules", "typescript", "bin", "tsc");
  // Into a directory of its own, then swapped in: an interrupted or failed build never leaves a
  // half-written functions/lib (which a running stack or the next test run would load).
  const functionsDir = path.join(root, "functions");
  for (const name of fs.readdirSync(functionsDir)) {
    const stale = /^lib\.(?:build|old)-(\d+)$/.exec(name);
    if (stale && !alive(Number(stale[1]))) fs.rmSync(path.join(functionsDir, name), { recursive: true, force: true });
  }
  const out = path.join(functionsDir, `lib.build-${process.pid}`);
  const result = spawnSync(node22(), [tsc, "-p", path.join(functionsDir, "tsconfig.json"), "--outDir", out], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env,
  });
  if (result.status !== 0) {
    fs.rmSync(out, { recursive: true, force: true });
    log(result.signal ? `the build was interrupted (${result.signal})` : "the TypeScript build failed; see the errors above");
    process.exit(result.status || 1);
  }
  const lib = path.join(functionsDir, "lib");
  const old = path.join(functionsDir, `lib.old-${process.pid}`);
  if (fs.existsSync(lib)) fs.renameSync(lib, old);
  fs.renameSync(out, lib);
  fs.rmSync(old, { recursive: true, force: true });
  // The typed client (client/): its types are derived from the functions' sources, and the demo is
  // type-checked against them, so a changed callable breaks here rather than in a client app.
  log("type-checking the typed client and the demo (tsc)");
  const checked = spawnSync(node22(), [tsc, "-p", path.join(root, "client", "tsconfig.json")], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env,
  });
  if (checked.status !== 0) {
    log("the client type check failed; see the errors above");
    process.exit(checked.status || 1);
  }
  // The rules source (rules/*.ts): type-checked here, run by Node 22 itself (type stripping).
  const rulesChecked = spawnSync(node22(), [tsc, "-p", path.join(root, "rules", "tsconfig.json")], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env,
  });
  if (rulesChecked.status !== 0) {
    log("the rules source type check failed; see the errors above");
    process.exit(rulesChecked.status || 1);
  }
  buildWeb(env);
  fs.mkdirSync(path.dirname(STAMP), { recursive: true });
  fs.writeFileSync(STAMP, JSON.stringify({ inputs, builtAt: new Date().toISOString() }) + "\n");
}

/** The web app (web/): type-checked against the typed client, then bundled by vite into web/dist. */
/** @param {NodeJS.ProcessEnv} env */
function buildWeb(env) {
  const web = path.join(root, "web");
  log("building the web app (tsc, vite)");
  for (const args of [
    [path.join(web, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(web, "tsconfig.json")],
    [path.join(web, "node_modules", "vite", "bin", "vite.js"), "build", "--logLevel", "warn"],
  ]) {
    const result = spawnSync(node22(), args, { cwd: web, stdio: ["ignore", "inherit", "inherit"], env });
    if (result.status !== 0) {
      log("the web app build failed; see the errors above");
      process.exit(result.status || 1);
    }
  }
}

/**
 * What can be refused before installing or building: a misspelt flag, a stack already running, a
 * taken port (a build would rewrite functions/lib under the stack that holds it). Exits on a problem.
 * @param {string} name @param {string[]} rest
 */
async function preflight(name, rest) {
  const options = require("../local/options.cjs");
  const specs = name === "start" ? options.START_FLAGS : name === "demo" ? options.DEMO_FLAGS : undefined;
  if (!specs) return;
  try {
    const { values } = options.parseFlags(specs, rest, { what: `npm ${name === "start" ? "start" : `run ${name}`}` });
    if (name === "start") options.checkStartFlags(values);
  } catch (error) {
    if (!(error instanceof options.UsageError)) throw error;
    process.stderr.write(`${name === "start" ? "Cannot start" : "npm run demo"}: ${error.message}\n`);
    process.exit(2);
  }
  if (name !== "start" || rest.includes("--help") || rest.includes("-h")) return;
  const { dataDir, resolvePorts } = require("../local/config.cjs");
  const { readRunning, takenPorts, portsMessage } = require("../local/running.cjs");
  const running = readRunning(dataDir());
  if (running) {
    process.stderr.write(
      `Cannot start: a local stack already runs from ${dataDir()} (pid ${running.pid}, functions on port ${running.ports.functions}). ` +
        "`npm run cli -- status` shows it, `npm run cli -- stop` stops it.\n",
    );
    process.exit(1);
  }
  const taken = await takenPorts(resolvePorts());
  if (taken.length) {
    process.stderr.write(`Cannot start: ${portsMessage(taken, null)}\n`);
    process.exit(1);
  }
}

/**
 * Does this command line need the compiled functions? (`--help` and most CLI commands do not.)
 * @param {string} name @param {string[]} rest
 */
function needsBuild(name, rest) {
  if (rest.includes("--help") || rest.includes("-h")) return false;
  if (name === "cli") return rest.find((arg) => !arg.startsWith("-")) === "superadmin";
  return true;
}

async function main() {
  const [name, ...rest] = process.argv.slice(2);
  const script = commands[name];
  if (!script) {
    log(`unknown command ${name}; one of: ${Object.keys(commands).join(", ")}`);
    process.exit(2);
  }
  await preflight(name, rest);
  // Ctrl-C during the install or the build reaches npm / tsc too (one process group): they stop, and
  // this process stays to clean up after them (an unfinished build directory) and exit.
  /** @param {NodeJS.Signals} signal */
  const noteSignal = (signal) => log(`${signal}: stopping`);
  process.on("SIGINT", noteSignal);
  process.on("SIGTERM", noteSignal);
  const help = rest.includes("--help") || rest.includes("-h");
  if (!(help && ["start", "demo", "cli"].includes(name))) {
    ensureInstalled(root);
    ensureInstalled(path.join(root, "functions"));
    ensureInstalled(path.join(root, "web"));
  }
  const env = envWithLocalBin();
  if (needsBuild(name, rest)) build(env);
  process.off("SIGINT", noteSignal);
  process.off("SIGTERM", noteSignal);
  const child = spawn(node22(), [...script, ...rest], { cwd: root, stdio: "inherit", env });
  // Ctrl-C reaches the whole process group; the child shuts its own children down.
  for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

module.exports = { installedFresh };

// Required by its unit test for installedFresh: runs only as a command.
if (require.main === module) {
  main().catch((error) => {
    log(require("../local/logs.cjs").messageOf(error));
    process.exit(1);
  });
}
