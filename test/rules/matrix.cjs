// @ts-check
/**
 * The client contract as one table: every database path a client reads or writes (the IBS live
 * record, docs/data-model.md#the-live-record, plus our seat holders), and which role may do what there. The rules suites run every
 * row × every role × read / write / update / delete against database.rules.json, and coverage.test.js
 * fails when the rules open a path that has no row here.
 */
"use strict";
// The database paths the functions use (the contract; Node 22 loads the TypeScript file as it is).
const { paths } = require("../../functions/src/contract/paths.ts");

const ADMIN = "adminA";
const OTHER_ADMIN = "adminB";
const EVENT = "eA";
const FAN_URL = "show-a";
const LIVE = paths.liveRecord(ADMIN, FAN_URL);

/** Who is asking; `auth` as the rules see it (null = not signed in). */
/** @type {{[name: string]: import("./support.cjs").RulesAuth | null}} */
const ROLES = {
  anonymous: null,
  signedInNoRole: { uid: "anon1", provider: "anonymous", token: { firebase: { sign_in_provider: "anonymous" } } },
  fan: { uid: "fanA", token: { role: "fan", adminId: ADMIN, eventId: EVENT } },
  fanOtherEvent: { uid: "fanX", token: { role: "fan", adminId: ADMIN, eventId: "eA2" } },
  fanOtherAdmin: { uid: "fanB", token: { role: "fan", adminId: OTHER_ADMIN, eventId: "eB" } },
  host: { uid: `host-${EVENT}`, token: { role: "host", adminId: ADMIN, eventId: EVENT } },
  celebrity: { uid: `celebrity-${EVENT}`, token: { role: "celebrity", adminId: ADMIN, eventId: EVENT } },
  ownerAdmin: { uid: ADMIN, token: { role: "admin", superAdmin: false } },
  otherAdmin: { uid: OTHER_ADMIN, token: { role: "admin", superAdmin: false } },
  superAdmin: { uid: "root", token: { role: "admin", superAdmin: true } },
};

const PARTICIPANTS = ["fan", "host", "celebrity"];
const everyone = () => Object.keys(ROLES);

/** The database every case starts from: one live show of adminA, one show of adminB. */
function baseData(now = Date.now()) {
  return {
    admins: {
      [ADMIN]: { id: ADMIN, displayName: "A", email: "a@example.com", superAdmin: false },
      [OTHER_ADMIN]: { id: OTHER_ADMIN, displayName: "B", email: "b@example.com", superAdmin: false },
    },
    adminCredentials: { [ADMIN]: { apiKey: "47000001", secret: "v1.k.iv.tag.ct" } },
    adminCallbackSecrets: { [ADMIN]: { secret: "v1.k.iv.tag.ct" } },
    events: {
      [EVENT]: { id: EVENT, adminId: ADMIN, name: "Show A", fanUrl: FAN_URL, hostUrl: "hostsecret", sessionId: "1_x", status: "live" },
      eB: { id: "eB", adminId: OTHER_ADMIN, name: "Show B", fanUrl: "show-b", status: "live" },
    },
    eventKeys: { [ADMIN]: { fan: { [FAN_URL]: { eventId: EVENT } } } },
    currentEvents: { [ADMIN]: { eventId: EVENT } },
    sessionIndex: { "1_x": { eventId: EVENT } },
    attendance: { [EVENT]: { connections: { c1: { participantId: "fanA", joinedAt: 1 } } } },
    processedCallbacks: { k1: { at: 1 } },
    auditLog: { [EVENT]: { e1: { at: 1, action: "changeStatus", outcome: "ok", actor: { uid: "system", role: "system" } } } },
    budgets: { 1: { loginFan: { k1: 3 } } },
    tokenRevocations: { [ADMIN]: 1 },
    clientRequests: { [ADMIN]: { k1: { fn: "createEvent", at: 1, result: EVENT } } },
    liveLines: {
      [EVENT]: {
        tickets: 2,
        fans: {
          "fanA-tab1": { participantId: "fanA", ticket: 1, joinedAt: 1, name: "Ann", state: "inLine", position: 1, inPrivateCall: false },
          "fanX-tab1": {
            participantId: "fanX",
            ticket: 2,
            joinedAt: 2,
            name: "Xavier",
            state: "inLine",
            position: 2,
            inPrivateCall: false,
          },
        },
      },
    },
    liveBans: { [EVENT]: { fanR: { at: 1, by: ADMIN } } },
    liveSignals: { [EVENT]: { r1: 1 } },
    seatOffers: {
      [EVENT]: {
        fanZ: { status: "offered", askedAt: 1, offeredAt: now, expiresAt: now + 30_000 },
        fanX: { status: "waiting", askedAt: 2 },
      },
    },
    seatAsks: { [EVENT]: { fanX: 2 } },
    stageGates: {
      [EVENT]: {
        adminId: ADMIN,
        status: "live",
        limit: 5,
        hlsEnabled: true,
        shards: { s0: { fanA: { c1: { at: 1 }, c2: { at: 1 } }, fanX: { c1: { at: 1 } } }, s1: { fanY: { c1: { at: 1 } } } },
      },
    },
    activeBroadcasts: {
      [ADMIN]: {
        [FAN_URL]: {
          eventId: EVENT,
          name: "Show A",
          status: "live",
          interactiveLimit: 5,
          hlsEnabled: true,
          hlsUrl: "https://cdn.example/x.m3u8",
          archiving: true,
          producerActive: true,
          producerHeartBeat: now,
          privateCall: { isWith: "host" },
          volume: { host: 100, celebrity: 100 },
          hostActive: true,
          hostHeartBeat: now,
          celebrityActive: true,
          celebrityHeartBeat: now,
          activeFans: {
            "fanA-tab1": { id: "fanA-tab1", name: "Ann" },
            fanA: { id: "fanA" },
            "fanX-tab1": { id: "fanX-tab1", name: "Xavier", snapshot: "data:image/jpeg;base64,AAAA" },
          },
        },
      },
    },
  };
}

/**
 * @typedef {object} MatrixRow
 * @property {string} template the rules path the row exercises (`a/$b/c`)
 * @property {string} path the concrete database path
 * @property {string} [note] what tells the row apart from others on the same path
 * @property {unknown} [value] what a write sets
 * @property {object} [patch] what an update patches
 * @property {string[]} [read] the roles allowed each operation (none: nobody)
 * @property {string[]} [write]
 * @property {string[]} [update]
 * @property {string[]} [delete]
 */

/**
 * Rows: `path` (concrete), `template` (the rules path it exercises), and for each operation the roles
 * allowed (every other role must be refused). `write` sets `value`; `update` patches `patch`.
 * Operations a row leaves out are server-only: nobody may do them.
 * @returns {MatrixRow[]}
 */
function rows(now = Date.now()) {
  return [
    // Live-state record
    {
      template: "activeBroadcasts/$adminId/$fanUrl",
      path: LIVE,
      read: ["ownerAdmin"],
      value: { status: "live" },
      patch: { status: "closed" },
    },
    ...["eventId", "name", "status", "interactiveLimit", "hlsEnabled", "hlsUrl", "archiving", "continuity"].map((field) => ({
      template: "activeBroadcasts/$adminId/$fanUrl/$public",
      path: `${LIVE}/${field}`,
      read: ["ownerAdmin", ...PARTICIPANTS],
      value: "x",
    })),
    {
      template: "activeBroadcasts/$adminId/$fanUrl/producerActive",
      path: `${LIVE}/producerActive`,
      read: ["ownerAdmin", ...PARTICIPANTS],
      write: ["ownerAdmin"],
      delete: ["ownerAdmin"],
      value: false,
    },
    {
      template: "activeBroadcasts/$adminId/$fanUrl/producerHeartBeat",
      path: `${LIVE}/producerHeartBeat`,
      read: ["ownerAdmin", ...PARTICIPANTS],
      write: ["ownerAdmin"],
      delete: ["ownerAdmin"],
      value: now,
    },
    {
      template: "activeBroadcasts/$adminId/$fanUrl/privateCall",
      path: `${LIVE}/privateCall`,
      note: "server-written (startPrivateCall, endPrivateCall)",
      read: ["ownerAdmin", ...PARTICIPANTS],
      value: { isWith: "activeFan", fanId: "fanA-tab1" },
      patch: { isWith: "celebrity" },
    },
    { template: "activeBroadcasts/$adminId/$fanUrl/volume", path: `${LIVE}/volume`, read: ["ownerAdmin", ...PARTICIPANTS] },
    {
      template: "activeBroadcasts/$adminId/$fanUrl/volume/$participant",
      path: `${LIVE}/volume/host`,
      read: ["ownerAdmin", ...PARTICIPANTS],
      write: ["ownerAdmin"],
      delete: ["ownerAdmin", "host"],
      value: 25,
    },
    {
      template: "activeBroadcasts/$adminId/$fanUrl/volume/$participant",
      path: `${LIVE}/volume/celebrity`,
      read: ["ownerAdmin", ...PARTICIPANTS],
      write: ["ownerAdmin"],
      delete: ["ownerAdmin", "celebrity"],
      value: 25,
    },
    {
      template: "activeBroadcasts/$adminId/$fanUrl/hostActive",
      path: `${LIVE}/hostActive`,
      read: ["ownerAdmin", ...PARTICIPANTS],
      write: ["host"],
      delete: ["host"],
      value: true,
    },
    {
      template: "activeBroadcasts/$adminId/$fanUrl/hostHeartBeat",
      path: `${LIVE}/hostHeartBeat`,
      read: ["ownerAdmin", ...PARTICIPANTS],
      write: ["host"],
      delete: ["host"],
      value: now,
    },
    {
      template: "activeBroadcasts/$adminId/$fanUrl/celebrityActive",
      path: `${LIVE}/celebrityActive`,
      read: ["ownerAdmin", ...PARTICIPANTS],
      write: ["celebrity"],
      delete: ["celebrity"],
      value: true,
    },
    {
      template: "activeBroadcasts/$adminId/$fanUrl/celebrityHeartBeat",
      path: `${LIVE}/celebrityHeartBeat`,
      read: ["ownerAdmin", ...PARTICIPANTS],
      write: ["celebrity"],
      delete: ["celebrity"],
      value: now,
    },
    // Fan records: the whole map only for the producer; each record for its owner fan.
    { template: "activeBroadcasts/$adminId/$fanUrl/activeFans", path: `${LIVE}/activeFans`, read: ["ownerAdmin"] },
    {
      template: "activeBroadcasts/$adminId/$fanUrl/activeFans/$fanId",
      path: `${LIVE}/activeFans/fanA-tab1`,
      read: ["ownerAdmin", "fan"],
      write: ["ownerAdmin", "fan"],
      update: ["ownerAdmin", "fan"],
      delete: ["ownerAdmin", "fan"],
      value: {
        id: "fanA-tab1",
        name: "Ann",
        browser: "Firefox",
        os: "Linux",
        mobile: false,
        networkQuality: "good",
        isBackstage: false,
        inPrivateCall: false,
      },
      patch: { streamId: "stream-1", networkQuality: "poor" },
    },
    {
      template: "activeBroadcasts/$adminId/$fanUrl/activeFans/$fanId",
      path: `${LIVE}/activeFans/fanA-tab2`,
      note: "a new web record of fanA (key uid-random): only its owner creates it",
      read: ["ownerAdmin", "fan"],
      write: ["fan"],
      update: ["fan"],
      delete: ["ownerAdmin", "fan"],
      value: { id: "fanA-tab2" },
    },
    {
      template: "activeBroadcasts/$adminId/$fanUrl/activeFans/$fanId",
      path: `${LIVE}/activeFans/fanA`,
      note: "mobile key = uid",
      read: ["ownerAdmin", "fan"],
      write: ["ownerAdmin", "fan"],
      update: ["ownerAdmin", "fan"],
      delete: ["ownerAdmin", "fan"],
      value: { id: "fanA", os: "apple", mobile: true },
      patch: { networkQuality: "great" },
    },
    {
      template: "activeBroadcasts/$adminId/$fanUrl/activeFans/$fanId/isOnStage",
      path: `${LIVE}/activeFans/fanA-tab1/isOnStage`,
      note: "moving a fan on stage: the server only (bringOnStage); a client may only reset it",
      read: ["ownerAdmin", "fan"],
      delete: ["ownerAdmin", "fan"],
      value: true,
    },
    {
      template: "activeBroadcasts/$adminId/$fanUrl/activeFans/$fanId/isOnStage",
      path: `${LIVE}/activeFans/fanA-tab1/isOnStage`,
      note: "resetting the flag",
      read: ["ownerAdmin", "fan"],
      write: ["ownerAdmin", "fan"],
      delete: ["ownerAdmin", "fan"],
      value: false,
    },
    {
      template: "activeBroadcasts/$adminId/$fanUrl/activeFans/$fanId/isBackstage",
      path: `${LIVE}/activeFans/fanA-tab1/isBackstage`,
      note: "bringing a fan backstage: the server only (bringBackstage)",
      read: ["ownerAdmin", "fan"],
      delete: ["ownerAdmin", "fan"],
      value: true,
    },
    {
      template: "activeBroadcasts/$adminId/$fanUrl/activeFans/$fanId/isBackstage",
      path: `${LIVE}/activeFans/fanA-tab1/isBackstage`,
      note: "a fan may only reset the flag",
      read: ["ownerAdmin", "fan"],
      write: ["ownerAdmin", "fan"],
      delete: ["ownerAdmin", "fan"],
      value: false,
    },
    {
      template: "activeBroadcasts/$adminId/$fanUrl/activeFans/$fanId/inPrivateCall",
      path: `${LIVE}/activeFans/fanA-tab1/inPrivateCall`,
      note: "the server only (startPrivateCall)",
      read: ["ownerAdmin", "fan"],
      delete: ["ownerAdmin", "fan"],
      value: true,
    },
    // Seats
    // A fan gives up their own seat (every claim, or one), never takes one, confirms one or touches a shard.
    { template: "stageGates/$eventId/shards", path: `stageGates/${EVENT}/shards`, value: { s0: { fanA: { c9: { at: now } } } } },
    { template: "stageGates/$eventId/shards/$shard", path: `stageGates/${EVENT}/shards/s1`, value: { fanA: { c9: { at: now } } } },
    {
      template: "stageGates/$eventId/shards/$shard/$uid",
      path: paths.seat(EVENT, "s0", "fanA"),
      read: ["fan"],
      delete: ["fan"],
      value: { c9: { at: now } },
    },
    {
      template: "stageGates/$eventId/shards/$shard/$uid",
      path: paths.seat(EVENT, "s0", "fanX"),
      read: ["fanOtherEvent"],
      delete: ["fanOtherEvent"],
      value: { c9: { at: now } },
    },
    {
      template: "stageGates/$eventId/shards/$shard/$uid/$claim",
      path: `${paths.seat(EVENT, "s0", "fanA")}/c1`,
      read: ["fan"],
      delete: ["fan"],
      value: { at: now },
      patch: { conn: "connection-of-fanA" },
    },
    { template: "stageGates/$eventId", path: paths.stageGate(EVENT), value: { limit: 1000 } },
    // Accounts and events
    { template: "admins", path: paths.admins(), read: ["superAdmin"] },
    {
      template: "admins/$uid",
      path: paths.admin(ADMIN),
      read: ["ownerAdmin", "superAdmin"],
      value: { superAdmin: true },
      patch: { superAdmin: true },
    },
    { template: "adminCredentials", path: paths.adminCredentials(ADMIN), value: { apiKey: "x", secret: "y" } },
    { template: "adminCallbackSecrets", path: paths.adminCallbackSecret(ADMIN), value: { secret: "y" } },
    {
      template: "events/$eventId",
      path: paths.event(EVENT),
      read: ["ownerAdmin", "superAdmin"],
      value: { status: "live" },
      patch: { status: "notStarted" },
    },
    { template: "events", path: paths.events() },
    { template: "eventKeys", path: paths.eventKeys(ADMIN) },
    { template: "currentEvents", path: paths.currentEvent(ADMIN) },
    { template: "sessionIndex", path: paths.sessionIndex("1_x") },
    { template: "attendance/$eventId", path: paths.attendance(EVENT) },
    { template: "processedCallbacks/$eventId", path: paths.processedCallbacks("k1") },
    // The fan line (live/line): the owner admin reads it; a fan reads and may only delete their own entry.
    { template: "liveLines/$eventId", path: paths.liveLine(EVENT), read: ["ownerAdmin"], value: { tickets: 0 }, patch: { tickets: 99 } },
    {
      template: "liveLines/$eventId/fans/$fanId",
      path: paths.liveLineFan(EVENT, "fanA-tab1"),
      note: "a fan's own entry: readable, deletable (leaving, onDisconnect), never written",
      read: ["ownerAdmin", "fan"],
      delete: ["fan"],
      value: { participantId: "fanA", ticket: 0, joinedAt: 0, name: "Ann", state: "onStage", position: 0, inPrivateCall: false },
      patch: { position: 0, ticket: 0 },
    },
    {
      template: "liveLines/$eventId/fans/$fanId",
      path: paths.liveLineFan(EVENT, "fanA-tab9"),
      note: "a fan cannot insert themself (or anyone) into the line",
      read: ["ownerAdmin", "fan"],
      delete: ["fan"],
      value: { participantId: "fanA", ticket: 0, joinedAt: 0, name: "Ann", state: "inLine", position: 1, inPrivateCall: false },
    },
    {
      template: "liveLines/$eventId/fans/$fanId",
      path: paths.liveLineFan(EVENT, "fanX-tab1"),
      note: "another fan's entry (fanX logged in to another event): nobody but the owner admin reads it",
      read: ["ownerAdmin"],
      value: { participantId: "fanA", ticket: 0, joinedAt: 0, name: "A", state: "inLine", position: 1, inPrivateCall: false },
      patch: { position: 1 },
    },
    { template: "liveBans", path: paths.liveBans(EVENT), value: { fanA: { at: 1, by: "x" } } },
    { template: "liveSignals", path: paths.liveSignals(EVENT), value: { r2: 1 } },
    {
      template: "activeBroadcasts/$adminId/$fanUrl/$public",
      path: paths.liveCount(ADMIN, FAN_URL, "inLine"),
      note: "server-written live count",
      read: ["ownerAdmin", ...PARTICIPANTS],
      value: 0,
    },
    { template: "auditLog", path: paths.auditLog(EVENT) },
    { template: "budgets", path: paths.budgetCount(1, "loginFan", "k1") },
    { template: "tokenRevocations", path: paths.tokenRevocation(ADMIN) },
    { template: "clientRequests/$caller", path: paths.clientRequests(ADMIN) },
    // Upgrade offers from HLS (seats/offers): server-written; a fan reads only their own offer of the
    // event in their login, never writes one (nothing a fan writes offers them or anyone a seat).
    {
      template: "seatOffers/$eventId",
      path: `seatOffers/${EVENT}`,
      read: ["ownerAdmin"],
      value: { fanA: { status: "offered", askedAt: 1, offeredAt: now, expiresAt: now + 30_000 } },
    },
    {
      template: "seatOffers/$eventId/$uid",
      path: `seatOffers/${EVENT}/fanA`,
      note: "the fan's own offer: readable, never written (not even to take or cancel it: callables do)",
      read: ["ownerAdmin", "fan"],
      value: { status: "offered", askedAt: 1, offeredAt: now, expiresAt: now + 30_000 },
      patch: { status: "offered", expiresAt: now + 3_600_000 },
    },
    {
      template: "seatOffers/$eventId/$uid",
      path: `seatOffers/${EVENT}/fanZ`,
      note: "another fan's offer: nobody but the owner admin reads it",
      read: ["ownerAdmin"],
      value: { status: "offered", askedAt: 1, offeredAt: now, expiresAt: now + 30_000 },
      patch: { status: "expired" },
    },
    {
      template: "seatOffers/$eventId/$uid",
      path: `seatOffers/${EVENT}/fanX`,
      note: "a fan logged in to another event: not even their own uid's node of this event",
      read: ["ownerAdmin"],
      value: { status: "waiting", askedAt: 1 },
    },
    { template: "seatAsks/$eventId", path: `seatAsks/${EVENT}`, value: { fanA: 0 } },
  ];
}

module.exports = { ROLES, rows, baseData, everyone, ADMIN, OTHER_ADMIN, EVENT, FAN_URL, LIVE };
