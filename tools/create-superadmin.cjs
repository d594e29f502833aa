#!/usr/bin/env node
// @ts-check
/**
 * Creates (or promotes) the first superAdmin: nothing else can, since only a superAdmin creates admins.
 * Run `node tools/create-superadmin.cjs --help` for the options. It runs the functions' own compiled
 * code (functions/lib, built first when missing), so the record is exactly what createAdmin writes.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");
const { parseArgs } = require("node:util");
const { messageOf } = require("../local/logs.cjs");

const root = path.resolve(__dirname, "..");

const HELP = `Creates (or promotes) the first superAdmin of a project.

  Local stack:  node tools/create-superadmin.cjs --local --email a@b.c --password '...' [--name 'Ada']
  Production:   GOOGLE_APPLICATION_CREDENTIALS=sa.json TENANT_SECRET_KEYS='k1:...' \\
                node tools/create-superadmin.cjs --email a@b.c --password '...' --name 'Ada' \\
                  --project my-project --database-url https://my-project-default-rtdb.firebaseio.com

Options:
  --email EMAIL            the superAdmin's sign-in e-mail (required)
  --password PASSWORD      8 to 128 characters (required); set for a new user; an existing
                           user keeps theirs unless --reset-password is given
  --reset-password         set --password on an existing user too
  --name NAME              display name (default "Super Admin")
  --local                  the local stack (npm start); --auth-port / --database-port if moved
  --project ID, --database-url URL    a real project (with GOOGLE_APPLICATION_CREDENTIALS)

Vonage credential of the superAdmin's own (optional; without one, the project-wide
VONAGE_APPLICATION_ID + VONAGE_PRIVATE_KEY or VONAGE_API_KEY + VONAGE_API_SECRET serve):
  --vonage-application-id UUID --vonage-private-key FILE_OR_PEM
                           a Vonage application: what every customer who signs up for the Vonage
                           Video API today gets (dashboard > Applications > your app, Video on;
                           "Generate public and private key" downloads private.key). Give the key
                           file's path, or the PEM itself with "=" (it starts with a dash):
                           --vonage-private-key="$(cat private.key)" (PKCS#8 or PKCS#1, "\\n" escapes allowed).
  --ot-api-key KEY --ot-secret SECRET
                           a legacy OpenTok project (TokBox accounts, which take no new sign-ups)
`;

/**
 * @param {string} message
 * @returns {never}
 */
function fail(message) {
  console.error(`create-superadmin: ${message}\n(see --help)`);
  process.exit(2);
}

/** functions/lib is the compiled code this command runs; a fresh clone has not built it yet. */
function ensureBuilt() {
  if (fs.existsSync(path.join(root, "functions", "lib", "admins", "store.js"))) return;
  const tsc = path.join(root, "functions", "node_modules", "typescript", "bin", "tsc");
  if (!fs.existsSync(tsc)) fail("the functions' packages are not installed: run `npm test` or `npm start` once (they install and build)");
  console.log("building the functions first (tsc)...");
  const result = spawnSync(process.execPath, [tsc, "-p", path.join(root, "functions", "tsconfig.json")], { stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status || 1);
}

/** @param {string} value */
function readKey(value) {
  if (value.includes("-----BEGIN") || value.includes("\\n")) return value;
  if (fs.existsSync(value)) return fs.readFileSync(value, "utf8");
  fail(`--vonage-private-key: ${value} is neither a PEM nor a readable file`);
}

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      strict: true,
      options: {
        help: { type: "boolean", short: "h", default: false },
        email: { type: "string" },
        password: { type: "string" },
        name: { type: "string", default: "Super Admin" },
        local: { type: "boolean", default: false },
        "reset-password": { type: "boolean", default: false },
        project: { type: "string" },
        "database-url": { type: "string" },
        "auth-port": { type: "string" },
        "database-port": { type: "string" },
        "vonage-application-id": { type: "string" },
        "vonage-private-key": { type: "string" },
        "ot-api-key": { type: "string" },
        "ot-secret": { type: "string" },
      },
    }));
  } catch (error) {
    fail(messageOf(error));
  }
  if (values.help) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  if (!values.email || !values.password) fail("give --email and --password");
  if (values.password.length < 8 || values.password.length > 128) fail("the password must have 8 to 128 characters (as createAdmin asks)");
  const hasApplication = values["vonage-application-id"] !== undefined || values["vonage-private-key"] !== undefined;
  const hasLegacy = values["ot-api-key"] !== undefined || values["ot-secret"] !== undefined;
  if (hasApplication && hasLegacy) fail("give one Vonage credential: an application or a legacy pair, not both");
  if (hasApplication && !(values["vonage-application-id"] && values["vonage-private-key"]))
    fail("give both --vonage-application-id and --vonage-private-key");
  if (hasLegacy && !(values["ot-api-key"] && values["ot-secret"])) fail("give both --ot-api-key and --ot-secret");

  if (values.local) {
    const { PROJECT_ID, LOCAL_SECRETS } = require("../local/config.cjs");
    // A port given on the command line wins over the environment, which wins over the defaults.
    if (values["auth-port"]) process.env.FIREBASE_AUTH_EMULATOR_HOST = `127.0.0.1:${values["auth-port"]}`;
    else process.env.FIREBASE_AUTH_EMULATOR_HOST ??= "127.0.0.1:9099";
    if (values["database-port"]) process.env.FIREBASE_DATABASE_EMULATOR_HOST = `127.0.0.1:${values["database-port"]}`;
    else process.env.FIREBASE_DATABASE_EMULATOR_HOST ??= "127.0.0.1:9000";
    process.env.GCLOUD_PROJECT ??= PROJECT_ID;
    process.env.TENANT_SECRET_KEYS ??= LOCAL_SECRETS.TENANT_SECRET_KEYS;
  } else {
    if (!values.project || !values["database-url"]) fail("give --project and --database-url (or --local for the local stack)");
    if (!process.env.TENANT_SECRET_KEYS && (hasApplication || hasLegacy))
      fail("set TENANT_SECRET_KEYS (the same value as the deployed secret) to seal the Vonage credential");
    process.env.GCLOUD_PROJECT = values.project;
    process.env.FIREBASE_CONFIG = JSON.stringify({ projectId: values.project, databaseURL: values["database-url"] });
  }
  ensureBuilt();
  let credentials;
  if (hasApplication) {
    const { vonageApplicationId, vonagePrivateKey } = require(path.join(root, "functions", "lib", "admins", "input.js"));
    const id = vonageApplicationId.safeParse(values["vonage-application-id"]);
    if (!id.success) fail(`--vonage-application-id ${id.error.issues[0].message}`);
    // given: hasApplication requires both flags (checked above)
    const key = vonagePrivateKey.safeParse(readKey(/** @type {string} */ (values["vonage-private-key"])));
    if (!key.success) fail(`--vonage-private-key ${key.error.issues[0].message}`);
    credentials = { kind: "application", applicationId: id.data, privateKey: key.data };
  } else if (hasLegacy) {
    credentials = { kind: "legacy", apiKey: values["ot-api-key"], apiSecret: values["ot-secret"] };
  }
  const { ensureSuperAdmin } = require(path.join(root, "functions", "lib", "admins", "store.js"));
  const { adminAuth } = require(path.join(root, "functions", "lib", "platform", "firebase.js"));
  // ensureSuperAdmin sets the password of a user it creates only; say which case this is.
  const existing = await adminAuth()
    .getUserByEmail(values.email)
    .catch((/** @type {unknown} */ error) => {
      if (/** @type {{ code?: string }} */ (error).code === "auth/user-not-found") return null;
      throw error;
    });
  const admin = await ensureSuperAdmin({ email: values.email, password: values.password, displayName: values.name, credentials });
  let password = "password set";
  if (existing && values["reset-password"]) {
    await adminAuth().updateUser(admin.id, { password: values.password });
    password = "password reset to the given one";
  } else if (existing) {
    password = "existing user: password kept, not changed to --password (--reset-password sets it)";
  }
  const own = admin.credentialKind
    ? `, own Vonage ${admin.credentialKind === "application" ? `application ${admin.vonageApplicationId}` : `API key ${admin.otApiKey}`}`
    : "";
  console.log(`superAdmin ready: ${admin.email} (uid ${admin.id}${own}; ${password})`);
  process.exit(0);
}

main().catch((error) => {
  console.error(`create-superadmin failed: ${messageOf(error)}`);
  process.exit(1);
});
