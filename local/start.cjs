// @ts-check
/**
 * `npm start`: the whole backend on localhost, offline, with demo data. Keeps the database and the Auth
 * accounts across restarts in the data directory (`.local-stack/data`, or LOCAL_DATA_DIR); `--fresh`
 * starts empty, `--import DIR` from a snapshot. Ctrl-C (or `npm run cli -- stop`) stops every process.
 */
"use strict";
const path = require("node:path");
const { startStack, PortInUseError, StackAborted } = require("./stack.cjs");
const { seedDemo } = require("./seed.cjs");
const { DEMO_SUPER_ADMIN, STACK_DIR, dataDir } = require("./config.cjs");
const { START_FLAGS, parseFlags, checkStartFlags, flagHelp, UsageError } = require("./options.cjs");
const { readRunning } = require("./running.cjs");
const { LogBlocks, messageOf } = require("./logs.cjs");

const HELP = `npm start [-- OPTIONS]: the whole backend on localhost, offline, with demo data.

It keeps the database and the Auth accounts across restarts in ${path.relative(process.cwd(), dataDir()) || "."}
(LOCAL_DATA_DIR moves it), and moves any port with LOCAL_<NAME>_PORT. Ctrl-C stops everything.

Options:
${flagHelp(START_FLAGS)}
`;

/** @typedef {import("./stack.cjs").Stack} Stack */
/** @typedef {Awaited<ReturnType<typeof seedDemo>>} Demo */

/**
 * The web app on the Hosting emulator: the console first (what a person opens).
 * @param {Stack} stack @param {Demo} demo
 */
function webLines(stack, demo) {
  const web = stack.webUrl;
  return [
    "",
    `  Web app (Hosting emulator)          ${web}`,
    `    producer console                  ${web}/console   (sign in as the superAdmin below)`,
    `    superAdmin page                   ${web}/admin`,
    `    demo show, fan page               ${web}/show/${demo.superAdmin.id}/${demo.event.fanUrl}`,
  ].join("\n");
}

async function main() {
  let flags;
  try {
    flags = checkStartFlags(parseFlags(START_FLAGS, process.argv.slice(2), { what: "npm start" }).values);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`Cannot start: ${error.message}`);
    process.exit(2);
  }
  if (flags.help) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  const started = Date.now();
  const dir = dataDir();
  const already = readRunning(dir);
  if (already) {
    console.error(
      `Cannot start: a local stack already runs from ${dir} (pid ${already.pid}, functions on port ${already.ports.functions}). ` +
        "`npm run cli -- status` shows it, `npm run cli -- stop` stops it.",
    );
    process.exit(1);
  }

  // Ctrl-C at any moment: during the start it aborts it (what started is stopped), later it stops all.
  const controller = new AbortController();
  /** @type {Stack | null} */
  let stack = null;
  let stopping = false;
  let stoppingSince = 0;
  /** @param {string} signal */
  const stop = async (signal) => {
    if (stopping) {
      // A terminal's Ctrl-C reaches npm, the bootstrap and this process at once, and the bootstrap
      // passes it on too: only a later one is the person pressing again.
      if (Date.now() - stoppingSince > 1000)
        console.log(`${signal} again: still stopping (the emulators export the Auth accounts first) ...`);
      return;
    }
    stopping = true;
    stoppingSince = Date.now();
    if (!stack) {
      console.log(`\n${signal}: stopping what has started ...`);
      controller.abort();
      return;
    }
    console.log(`\n${signal}: stopping the local stack ...`);
    await stack.stop();
    console.log(
      `Stopped. ${dir === path.join(STACK_DIR, "data") ? "The data is kept" : `The data is kept in ${dir}`}; \`npm start -- --fresh\` starts empty.`,
    );
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGHUP", () => void stop("SIGHUP"));

  const what = flags.import ? `from the snapshot ${flags.import}` : flags.fresh ? "empty (--fresh)" : `with the data kept in ${dir}`;
  console.log(`Starting the local stack (database, Vonage stand-in, Auth, Functions and Hosting emulators), ${what} ...`);
  const logFile = path.join(dir, "emulators.log");
  // Known and harmless: the UI is off on purpose (it would be downloaded). Still in the log file.
  const harmless = /The Emulator UI is not starting/;
  const blocks = new LogBlocks(
    (lines) => {
      if (!flags.verbose && harmless.test(lines[0])) return;
      console.log(lines.map((line) => `  [emulators] ${line}`).join("\n"));
    },
    { all: flags.verbose },
  );
  try {
    stack = await startStack({
      dataDir: dir,
      fresh: flags.fresh,
      importDir: flags.import,
      logFile,
      signal: controller.signal,
      log: (line) => blocks.push(line),
      functionsEnv: process.env.LOCAL_BROADCAST_DRAIN_SECONDS ? { BROADCAST_DRAIN_SECONDS: process.env.LOCAL_BROADCAST_DRAIN_SECONDS } : {},
    });
  } catch (error) {
    if (error instanceof StackAborted || controller.signal.aborted) {
      console.log("Stopped before the stack was up.");
      process.exit(130);
    }
    throw error;
  }
  if (stopping) return;
  console.log(`Emulators ready in ${((Date.now() - started) / 1000).toFixed(1)} s; seeding the demo data ...`);

  let demo;
  try {
    demo = await seedDemo(stack);
  } catch (error) {
    if (stopping) return; // Ctrl-C during the seed: stop() finishes the job
    console.error(`Cannot seed the demo data: ${messageOf(error)}`);
    stopping = true;
    await stack.stop();
    process.exit(1);
  }
  stack.describe({
    superAdmin: { email: DEMO_SUPER_ADMIN.email, uid: demo.superAdmin.id },
    demoEventId: demo.event.id,
  });
  if (stopping) return;
  const { ports } = stack;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const kept = stack.database.persistence?.loaded ? "data kept from the last run" : "empty data";
  console.log(`
Local stack up in ${seconds} s (project ${stack.projectId}, offline, ${kept}).

  Realtime Database (rules enforced)  http://127.0.0.1:${ports.database}   FIREBASE_DATABASE_EMULATOR_HOST=127.0.0.1:${ports.database}
  Auth emulator                       http://127.0.0.1:${ports.auth}
  Functions emulator                  http://127.0.0.1:${ports.functions}/${stack.projectId}/us-central1/<function>
  Vonage Video API stand-in           ${stack.vonage.url}   (control API: ${stack.vonage.url}/_control/state)
${webLines(stack, demo)}

  superAdmin   ${DEMO_SUPER_ADMIN.email} / ${DEMO_SUPER_ADMIN.password}
${demo.lines.map((line) => `  ${line}`).join("\n")}

Call a function (the web SDK does the same with httpsCallable):
  curl -s -X POST -H 'content-type: application/json' -d '{"data":${JSON.stringify(demo.exampleData)}}' \\
    ${stack.functionUrl(demo.exampleFunction)}

From another shell: npm run cli -- status | token <role> | show <status> | fans <n> | stop   (npm run cli -- --help)
Data: ${dir} (kept across restarts; npm start -- --fresh starts empty). Emulators' log: ${logFile}
Ctrl-C stops everything.`);
}

main().catch((error) => {
  if (error instanceof PortInUseError) console.error(`Cannot start: ${error.message}`);
  else console.error(`Cannot start the local stack: ${error.message}`);
  process.exit(1);
});
