#!/usr/bin/env node
// @ts-check
"use strict";
/**
 * Start the local Realtime Database server:
 *   node local/database-server/cli.js [--port 9000] [--host 127.0.0.1] [--rules database.rules.json]
 * Prints one line with the address; stops cleanly on SIGINT / SIGTERM.
 */

const path = require("node:path");
const { startDatabaseServer } = require("./index");

const USAGE = "usage: cli.js [--port 9000] [--host 127.0.0.1] [--rules database.rules.json]";

/** @param {string[]} argv */
function parseArgs(argv) {
  /** @type {{port: number, host: string, rulesFile?: string}} */
  const options = { port: 9000, host: "127.0.0.1" };
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = inline !== undefined ? inline : argv[i + 1];
    const takeValue = () => {
      if (value === undefined) throw new Error(`${flag} needs a value`);
      if (inline === undefined) i += 1;
      return value;
    };
    if (flag === "--port" || flag === "-p") {
      const port = Number(takeValue());
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port ${value}`);
      options.port = port;
    } else if (flag === "--host") options.host = takeValue();
    else if (flag === "--rules") options.rulesFile = path.resolve(takeValue());
    else if (flag === "--help" || flag === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${flag}`);
  }
  return options;
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${/** @type {Error} */ (error).message}\n${USAGE}`);
    process.exit(2);
  }
  let server;
  try {
    server = await startDatabaseServer(options);
  } catch (error) {
    // A clear message, no stack: the usual cause is a port already taken.
    console.error(/** @type {Error} */ (error).message);
    process.exit(1);
  }
  console.log(
    `Realtime Database server listening on ${server.url} ` +
      `(FIREBASE_DATABASE_EMULATOR_HOST=${server.emulatorHost}, rules: ${server.rulesSource})`,
  );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
