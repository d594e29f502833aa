#!/usr/bin/env node
/**
 * Entry point of `npm start`, `npm test`, `npm run test:stress`, `npm run bench` and `npm run demo` on a fresh clone.
 * Runs on whatever Node the machine has (the machines carry Node 20): installs what is missing from the
 * lockfiles, builds the functions, then runs the real command on Node 22 from the `node` npm package,
 * the runtime the functions are deployed on.
 */
"use strict";
const { spawnSync, spawn } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const commands = {
  start: ["local/start.cjs"],
  test: ["tools/test.cjs"],
  stress: ["tools/stress.cjs"],
  bench: ["bench/run.cjs"],
  demo: ["local/demo.cjs"],
  lint: ["tools/lint.cjs"],
  format: ["tools/lint.cjs", "--fix"],
};

function log(message) {
  process.stderr.write(`[setup] ${message}\n`);
}

/** npm ci when node_modules is missing or older than the lockfile (npm keeps its own copy inside). */
function ensureInstalled(dir) {
  const lock = path.join(dir, "package-lock.json");
  const installed = path.join(dir, "node_modules", ".package-lock.json");
  const fresh = fs.existsSync(installed) && fs.statSync(installed).mtimeMs >= fs.statSync(lock).mtimeMs;
  if (fresh) return;
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

function node22() {
  const candidate = path.join(root, "node_modules", "node", "bin", "node");
  return fs.existsSync(candidate) ? candidate : process.execPath;
}

function envWithLocalBin() {
  // Children (firebase-tools, its function workers, mocha) find Node 22 and local CLIs first.
  const bins = [path.join(root, "node_modules", ".bin"), path.join(root, "functions", "node_modules", ".bin")];
  return { ...process.env, PATH: [...bins, process.env.PATH].join(path.delimiter) };
}

function build(env) {
  log("building functions (tsc)");
  const tsc = path.join(root, "functions", "node_modules", "typescript", "bin", "tsc");
  const result = spawnSync(node22(), [tsc, "-p", path.join(root, "functions", "tsconfig.json")], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env,
  });
  if (result.status !== 0) {
    log("the TypeScript build failed; see the errors above");
    process.exit(result.status || 1);
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
  buildWeb(env);
}

/** The web app (web/): type-checked against the typed client, then bundled by vite into web/dist. */
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

function main() {
  const [name, ...rest] = process.argv.slice(2);
  const script = commands[name];
  if (!script) {
    log(`unknown command ${name}; one of: ${Object.keys(commands).join(", ")}`);
    process.exit(2);
  }
  ensureInstalled(root);
  ensureInstalled(path.join(root, "functions"));
  ensureInstalled(path.join(root, "web"));
  const env = envWithLocalBin();
  build(env);
  const child = spawn(node22(), [...script, ...rest], { cwd: root, stdio: "inherit", env });
  // Ctrl-C reaches the whole process group; the child shuts its own children down.
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main();
