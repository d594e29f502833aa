// @ts-check
/**
 * A local stack of a suite's own (for suites that run the functions with their own params) holding one
 * live show written directly, as createEvent and the lifecycle would leave it: both sessions made at
 * the Vonage stand-in, the event with its indexes, the live record, and the admin's credential sealed
 * as createAdmin stores it. Fans are web-SDK clients signed in with the claims loginFan gives.
 */
"use strict";
const { randomBytes } = require("node:crypto");
const { promisify } = require("node:util");
const OpenTok = require("opentok");
const { setLogLevel } = require("firebase/app");
const { startStack } = require("../../local/stack.cjs");
const { signInAs } = require("./identities.cjs");
const { newClient } = require("../../local/client.cjs");
const { inParallel } = require("../../local/async.cjs");
const { LOCAL_VONAGE, LOCAL_SECRETS } = require("../../local/config.cjs");

process.env.TENANT_SECRET_KEYS ??= LOCAL_SECRETS.TENANT_SECRET_KEYS;

/**
 * @typedef {Awaited<ReturnType<typeof startStack>>} Stack
 * @typedef {ReturnType<typeof newClient> & {uid: string}} FanClient
 */

/**
 * Starts the stack and writes the show. `close()` (in an `after`) closes the clients and stops the stack.
 * @param {{portOffset: number, functionsEnv: Record<string, string>, prefix: string, name: string, interactiveLimit: number}} options
 */
async function ownLiveShow({ portOffset, functionsEnv, prefix, name, interactiveLimit }) {
  // Loaded here: the compiled functions read TENANT_SECRET_KEYS (set above) when they load.
  const { eventIndexPatch } = require("../../functions/lib/events/derived.js");
  const { credentialsPatch } = require("../../functions/lib/admins/store.js");
  const stack = await startStack({ portBase: Number(process.env.TEST_PORT_BASE ?? 1000) + portOffset, functionsEnv });
  setLogLevel("error");
  const adminId = `${prefix}adm${randomBytes(6).toString("hex")}`;
  for (const [path, value] of Object.entries(credentialsPatch(adminId, LOCAL_VONAGE)))
    stack.database.setData(path, Object.assign({}, value, { updatedAt: Date.now() }));
  const opentok = new OpenTok(LOCAL_VONAGE.apiKey, LOCAL_VONAGE.apiSecret, { apiUrl: stack.vonage.url });
  const createSession = promisify(opentok.createSession.bind(opentok));
  const [backstage, stage] = await Promise.all([createSession({ mediaMode: "routed" }), createSession({ mediaMode: "routed" })]);
  if (!backstage || !stage) throw new Error("the Vonage stand-in made no sessions");
  const id = `${prefix}${randomBytes(6).toString("hex")}`;
  const now = Date.now();
  const event = {
    id,
    adminId,
    name: `${name} ${id}`,
    fanUrl: `${prefix}-${id.toLowerCase()}`,
    hostUrl: randomBytes(18).toString("base64url"),
    celebrityUrl: randomBytes(18).toString("base64url"),
    status: /** @type {const} */ ("live"),
    archiveEvent: false,
    uncomposed: false,
    interactiveLimit,
    sessionId: backstage.sessionId,
    stageSessionId: stage.sessionId,
    createdAt: now,
    updatedAt: now,
  };
  for (const [path, value] of Object.entries(eventIndexPatch(event, null, true))) stack.database.setData(path, value);
  stack.database.setData(`activeBroadcasts/${adminId}/${event.fanUrl}`, { eventId: id, status: "live" });

  /** @type {ReturnType<typeof newClient>[]} */
  const clients = [];
  return {
    stack,
    event,
    adminId,
    /**
     * A fan of the show, signed in.
     * @returns {Promise<FanClient>}
     */
    async fan(uid = `fan${randomBytes(8).toString("hex")}`) {
      const created = newClient(stack.ports);
      clients.push(created);
      await signInAs(created, uid, { role: "fan", adminId, eventId: event.id });
      return Object.assign(created, { uid });
    },
    /**
     * uid -> claims, over every seat shard.
     * @returns {Record<string, unknown>}
     */
    seats: () => Object.assign({}, ...Object.values(stack.database.getData(`stageGates/${event.id}/shards`) ?? {})),
    async close() {
      setLogLevel("warn");
      await inParallel(clients.splice(0), 20, (created) => created.close().catch(() => undefined));
      await stack.stop();
    },
  };
}

module.exports = { ownLiveShow };
