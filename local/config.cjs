// @ts-check
/**
 * Values of the local stack. None of these is a real credential: the Vonage pair exists only inside the
 * stand-in, and the secret-sealing key only protects data in a throw-away local database.
 */
"use strict";

const PROJECT_ID = "demo-interactive-broadcast";
const REGION = "us-central1";

const DEFAULT_PORTS = {
  database: 9000,
  auth: 9099,
  functions: 5001,
  vonage: 3010,
  hub: 4400,
  logging: 4500,
  eventarc: 9299,
  tasks: 9499,
  hosting: 5002, // the web app (web/dist) on the Hosting emulator
};

/** @typedef {Record<keyof typeof DEFAULT_PORTS, number>} Ports every port of the stack, by part */

/**
 * The environment variable that moves one port of the stack: `LOCAL_DATABASE_PORT`...
 * @param {string} name
 */
function portVariable(name) {
  return `LOCAL_${name.toUpperCase()}_PORT`;
}

/** Ports from the defaults, shifted by `base` (tests run beside `npm start`), overridable one by one. */
/**
 * @param {{base?: number, overrides?: Partial<Record<string, number>>}} [options]
 * @returns {Ports}
 */
function resolvePorts({ base = 0, overrides = {} } = {}) {
  const ports = /** @type {Ports} */ ({ ...DEFAULT_PORTS });
  for (const name of /** @type {Array<keyof Ports>} */ (Object.keys(DEFAULT_PORTS))) {
    const port = DEFAULT_PORTS[name];
    const fromEnv = process.env[portVariable(name)];
    ports[name] = overrides[name] ?? (fromEnv ? Number(fromEnv) : port + base);
  }
  return ports;
}

/** Checkout-wide local files (git-ignored): the stand-in's key pair, build stamp, logs, data. */
const STACK_DIR = require("node:path").join(__dirname, "..", ".local-stack");

/**
 * Where `npm start` keeps its state (database, Auth accounts) and writes down what runs where
 * (`stack.json`): `LOCAL_DATA_DIR`, else `.local-stack/data`. The CLI and the demo read it there.
 */
function dataDir() {
  const path = require("node:path");
  return process.env.LOCAL_DATA_DIR ? path.resolve(process.env.LOCAL_DATA_DIR) : path.join(STACK_DIR, "data");
}

const LOCAL_VONAGE = {
  kind: "legacy",
  apiKey: "47000001",
  apiSecret: "local0000stand0000in0000secret0000000001",
};

/**
 * The local stack's Vonage application (the credential every new Vonage customer has). Its id is
 * fixed; its RSA key pair is made on the first start of this checkout and kept, git-ignored, in
 * `.local-stack/`, so every stack of the checkout (npm start, the tests) and the sealed keys in a kept
 * local database agree. It exists only inside the stand-in.
 */
const LOCAL_APPLICATION_ID = "0c1a1b2c-3d4e-4f5a-8b6c-7d8e9f0a1b2c";

function localApplication() {
  const fs = require("node:fs");
  const path = require("node:path");
  const crypto = require("node:crypto");
  const dir = STACK_DIR;
  const file = path.join(dir, "vonage-application-private-key.pem");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
    try {
      // "wx": when two stacks start at once, the first key written wins and both read it.
      fs.writeFileSync(file, privateKey.export({ type: "pkcs8", format: "pem" }), { flag: "wx", mode: 0o600 });
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== "EEXIST") throw error;
    }
  }
  const privateKey = fs.readFileSync(file, "utf8");
  const publicKey = crypto.createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString();
  return { kind: "application", applicationId: LOCAL_APPLICATION_ID, privateKey, publicKey, privateKeyFile: file };
}

const LOCAL_SECRETS = {
  // kid:base64(32 bytes); local only.
  TENANT_SECRET_KEYS: `local1:${Buffer.alloc(32, 7).toString("base64")}`,
  VONAGE_API_SECRET: LOCAL_VONAGE.apiSecret,
  VONAGE_CALLBACK_SIGNING_SECRET: "local-callback-signing-secret",
};

const DEMO_SUPER_ADMIN = {
  email: "superadmin@demo.local",
  password: "demo-superadmin-password",
  displayName: "Demo Super Admin",
};

/**
 * @param {{functions: number}} ports
 * @param {string} name the exported function
 */
function functionUrl(ports, name) {
  return `http://127.0.0.1:${ports.functions}/${PROJECT_ID}/${REGION}/${name}`;
}

/**
 * The environment for a child process of the local stack, without Firebase variables that a parent
 * (a test run with firebase-functions-test, a shell pointed at another project) may carry.
 * @param {NodeJS.ProcessEnv} [extra] variables to add
 * @returns {NodeJS.ProcessEnv}
 */
function childEnv(extra = {}) {
  const env = { ...process.env };
  for (const name of [
    "GCLOUD_PROJECT",
    "GCP_PROJECT",
    "FIREBASE_CONFIG",
    "FIREBASE_AUTH_EMULATOR_HOST",
    "FIREBASE_DATABASE_EMULATOR_HOST",
    "FUNCTIONS_EMULATOR",
  ]) {
    delete env[name];
  }
  return { ...env, ...extra };
}

module.exports = {
  childEnv,
  PROJECT_ID,
  REGION,
  DEFAULT_PORTS,
  portVariable,
  resolvePorts,
  STACK_DIR,
  dataDir,
  LOCAL_VONAGE,
  LOCAL_APPLICATION_ID,
  localApplication,
  LOCAL_SECRETS,
  DEMO_SUPER_ADMIN,
  functionUrl,
};
