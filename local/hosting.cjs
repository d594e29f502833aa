// @ts-check
/**
 * The web app (web/) on the Firebase Hosting emulator. The same build serves deployed and local: a
 * page whose Firebase project is a `demo-` one (local only) reads this stack's addresses from
 * `web/dist/local-stack/<hosting port>.json`, written at start and removed at stop (one file per
 * stack, so `npm start` and a test run in one checkout do not meet; deploys ignore the folder).
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { PROJECT_ID, REGION } = require("./config.cjs");

const root = path.resolve(__dirname, "..");
const webDist = path.join(root, "web", "dist");

/** @typedef {import("./config.cjs").Ports} Ports */

/**
 * The hosting section of the emulator's firebase.json: the checked-in one, on this stack's port.
 * @param {Pick<Ports, "hosting">} ports
 */
function hostingEmulator(ports) {
  return { host: "127.0.0.1", port: ports.hosting };
}

/** @param {Pick<Ports, "hosting">} ports */
function webUrl(ports) {
  return `http://127.0.0.1:${ports.hosting}`;
}

/**
 * What the pages need to reach this stack: Firebase config, emulator hosts, the Vonage stand-in.
 * Returns the clean-up that removes the file.
 * @param {Ports} ports
 */
function writeWebConfig(ports) {
  const file = path.join(webDist, "local-stack", `${ports.hosting}.json`);
  const config = {
    firebase: {
      projectId: PROJECT_ID,
      apiKey: "demo-api-key",
      authDomain: `${PROJECT_ID}.firebaseapp.com`,
      databaseURL: `http://127.0.0.1:${ports.database}?ns=${PROJECT_ID}-default-rtdb`,
      storageBucket: `${PROJECT_ID}.appspot.com`,
    },
    functionsRegion: REGION,
    emulators: {
      auth: `http://127.0.0.1:${ports.auth}`,
      functions: { host: "127.0.0.1", port: ports.functions },
      database: { host: "127.0.0.1", port: ports.database },
    },
    // No Storage emulator offline: the console offers image URLs instead of uploads.
    storage: false,
    vonageStandin: `http://127.0.0.1:${ports.vonage}`,
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  return () => fs.rmSync(file, { force: true });
}

module.exports = { hostingEmulator, webUrl, writeWebConfig, webDist };
