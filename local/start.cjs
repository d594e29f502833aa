/**
 * `npm start`: the whole backend on localhost, offline, with demo data. Ctrl-C stops every process.
 */
"use strict";
const { startStack, PortInUseError } = require("./stack.cjs");
const { seedDemo } = require("./seed.cjs");
const { DEMO_SUPER_ADMIN } = require("./config.cjs");

const verbose = process.argv.includes("--verbose");

/** The web app on the Hosting emulator: the console first (what a person opens). */
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
  const started = Date.now();
  console.log("Starting the local stack (database, Vonage stand-in, Auth, Functions and Hosting emulators)...");
  const stack = await startStack({
    log: (line) => {
      if (verbose || /error|warn|⚠/i.test(line)) console.log(`  [emulators] ${line}`);
    },
  });
  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the local stack...`);
    await stack.stop();
    console.log("Stopped.");
    process.exit(0);
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));

  const demo = await seedDemo(stack);
  const { ports } = stack;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`
Local stack up in ${seconds} s (project ${stack.projectId}, offline).

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

Ctrl-C stops everything.`);
}

main().catch((error) => {
  if (error instanceof PortInUseError) console.error(`Cannot start: ${error.message}`);
  else console.error(`Cannot start the local stack: ${error.message}`);
  process.exit(1);
});
