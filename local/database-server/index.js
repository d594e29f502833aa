// @ts-check
"use strict";
/**
 * Local Realtime Database server (no Java): see README.md.
 *
 *   const { startDatabaseServer } = require('./local/database-server');
 *   const db = await startDatabaseServer({ port: 0, rules });
 *   process.env.FIREBASE_DATABASE_EMULATOR_HOST = db.emulatorHost;
 */

const { DatabaseServer, startDatabaseServer, DEFAULT_RULES_FILE } = require("./lib/database-server");

module.exports = { startDatabaseServer, DatabaseServer, DEFAULT_RULES_FILE };
