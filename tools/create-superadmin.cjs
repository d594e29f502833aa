#!/usr/bin/env node
/**
 * Creates (or promotes) the first superAdmin: nothing else can, since only a superAdmin creates admins.
 *
 *   Local stack:  node tools/create-superadmin.cjs --email a@b.c --password '...' --name 'Ada' --local
 *   Production:   GOOGLE_APPLICATION_CREDENTIALS=sa.json TENANT_SECRET_KEYS=... \
 *                 node tools/create-superadmin.cjs --email a@b.c --password '...' --name 'Ada' \
 *                   --project my-project --database-url https://my-project-default-rtdb.firebaseio.com
 *
 * It runs the functions' own compiled code (functions/lib), so the record is exactly what createAdmin writes.
 */
"use strict";
const path = require("node:path");
const { parseArgs } = require("node:util");

async function main() {
  const { values } = parseArgs({
    options: {
      email: { type: "string" },
      password: { type: "string" },
      name: { type: "string", default: "Super Admin" },
      local: { type: "boolean", default: false },
      project: { type: "string" },
      "database-url": { type: "string" },
      "auth-port": { type: "string", default: "9099" },
      "database-port": { type: "string", default: "9000" },
    },
  });
  if (!values.email || !values.password) {
    console.error("usage: create-superadmin --email EMAIL --password PASSWORD [--name NAME] (--local | --project ID --database-url URL)");
    process.exit(2);
  }
  if (values.local) {
    const { PROJECT_ID, LOCAL_SECRETS } = require("../local/config.cjs");
    process.env.FIREBASE_AUTH_EMULATOR_HOST ??= `127.0.0.1:${values["auth-port"]}`;
    process.env.FIREBASE_DATABASE_EMULATOR_HOST ??= `127.0.0.1:${values["database-port"]}`;
    process.env.GCLOUD_PROJECT ??= PROJECT_ID;
    process.env.TENANT_SECRET_KEYS ??= LOCAL_SECRETS.TENANT_SECRET_KEYS;
  } else {
    if (!values.project || !values["database-url"]) {
      console.error("give --project and --database-url (or --local for the local stack)");
      process.exit(2);
    }
    process.env.GCLOUD_PROJECT = values.project;
    process.env.FIREBASE_CONFIG = JSON.stringify({ projectId: values.project, databaseURL: values["database-url"] });
  }
  const { ensureSuperAdmin } = require(path.join(__dirname, "..", "functions", "lib", "lib", "adminStore.js"));
  const admin = await ensureSuperAdmin({ email: values.email, password: values.password, displayName: values.name });
  console.log(`superAdmin ready: ${admin.email} (uid ${admin.id})`);
  process.exit(0);
}

main().catch((error) => {
  console.error(`create-superadmin failed: ${error.message}`);
  process.exit(1);
});
