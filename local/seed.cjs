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

async function ensureDemoSuperAdmin(ports) {
  const script = path.join(__dirname, "..", "tools", "create-superadmin.cjs");
  const args = [script, "--local", "--email", DEMO_SUPER_ADMIN.email, "--password", DEMO_SUPER_ADMIN.password, "--name", DEMO_SUPER_ADMIN.displayName];
  args.push("--auth-port", String(ports.auth), "--database-port", String(ports.database));
  const { stdout } = await run(process.execPath, args, { env: childEnv() });
  const uid = /uid ([A-Za-z0-9_-]+)/.exec(stdout)?.[1];
  if (!uid) throw new Error(`create-superadmin printed no uid: ${stdout}`);
  return { id: uid, email: DEMO_SUPER_ADMIN.email };
}

async function seedDemo(stack) {
  const superAdmin = await ensureDemoSuperAdmin(stack.ports);
  const lines = [`superAdmin uid ${superAdmin.id}`];
  return {
    superAdmin,
    lines,
    exampleFunction: "login",
    exampleData: {},
  };
}

module.exports = { seedDemo, ensureDemoSuperAdmin };
