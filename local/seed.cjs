// @ts-check
/**
 * Demo data for `npm start`: the superAdmin, through the documented bootstrap command (run as its own
 * process, exactly as a user would run it), then demo data through the real callables.
 */
"use strict";
const path = require("node:path");
const { execFile } = require("node:child_process");
const { promisify } = require("node:util");
const { DEMO_SUPER_ADMIN, childEnv } = require("./config.cjs");

const run = promisify(execFile);

/** @typedef {import("./config.cjs").Ports} Ports */

/**
 * The demo superAdmin, created (or found) by tools/create-superadmin.cjs.
 * @param {Pick<Ports, "auth" | "database">} ports
 */
async function ensureDemoSuperAdmin(ports) {
  const script = path.join(__dirname, "..", "tools", "create-superadmin.cjs");
  const args = [
    script,
    "--local",
    "--email",
    DEMO_SUPER_ADMIN.email,
    "--password",
    DEMO_SUPER_ADMIN.password,
    "--name",
    DEMO_SUPER_ADMIN.displayName,
  ];
  args.push("--auth-port", String(ports.auth), "--database-port", String(ports.database));
  const { stdout } = await run(process.execPath, args, { env: childEnv() });
  const uid = /uid ([A-Za-z0-9_-]+)/.exec(stdout)?.[1];
  if (!uid) throw new Error(`create-superadmin printed no uid: ${stdout}`);
  return { id: uid, email: DEMO_SUPER_ADMIN.email };
}

/** The demo show `npm start` creates (through the real createEvent, as a producer would). */
const DEMO_EVENT = { name: "Demo Show", archiveEvent: true };

/**
 * Creates the demo event as the seeded superAdmin, signed in through the web SDK. The superAdmin has no
 * Vonage pair of its own, so the project-wide local credentials (the stand-in's) serve it. Idempotent:
 * the superAdmin's first event with the demo name is kept, whatever its state (a kept stack shows the
 * events as they were left; `npm run cli -- reset` or `npm start -- --fresh` starts over).
 * @param {Ports} ports
 */
async function ensureDemoEvent(ports) {
  const { newClient } = require("./client.cjs");
  const client = newClient(ports, `seed-${process.pid}`);
  try {
    await client.signInWithPassword(DEMO_SUPER_ADMIN.email, DEMO_SUPER_ADMIN.password);
    const existing = Object.values(await client.call("getEvents", {}))
      .filter((event) => event.name === DEMO_EVENT.name)
      .sort((a, b) => a.createdAt - b.createdAt)[0];
    return existing ?? (await client.call("createEvent", DEMO_EVENT));
  } finally {
    await client.close();
  }
}

/**
 * The superAdmin and the demo event, and the lines `npm start` prints about them.
 * @param {{ ports: Ports }} stack
 */
async function seedDemo(stack) {
  const superAdmin = await ensureDemoSuperAdmin(stack.ports);
  const event = await ensureDemoEvent(stack.ports);
  const lines = [
    `superAdmin uid ${superAdmin.id}`,
    "",
    `demo event   "${event.name}" (id ${event.id}, ${event.status}, archive on, HLS on)` +
      (event.status === "closed" ? ": closed, as it was left (npm run cli -- reset starts over)" : ""),
    `  fan        loginFan {adminId: "${superAdmin.id}", slug: "${event.fanUrl}"}          page /show/${superAdmin.id}/${event.fanUrl}`,
    `  host       loginHost {adminId: "${superAdmin.id}", slug: "${event.hostUrl}"}       page /show-host/${superAdmin.id}/${event.hostUrl}`,
    `  celebrity  loginCelebrity {adminId: "${superAdmin.id}", slug: "${event.celebrityUrl}"}  page /show-celebrity/${superAdmin.id}/${event.celebrityUrl}`,
    `  producer   changeStatus {id: "${event.id}", status: "preshow"}, then eventGoLive / endBroadcast {id}`,
  ];
  return {
    superAdmin,
    event,
    lines,
    // A public function: no sign-in needed, so plain curl works.
    exampleFunction: "getEventsByAdmin",
    exampleData: { adminId: superAdmin.id },
  };
}

module.exports = { seedDemo, ensureDemoSuperAdmin, ensureDemoEvent, DEMO_EVENT };
