// @ts-check
/**
 * One regression per IBS flaw (docs/ibs-flaws.md) that the database rules close. Each check runs twice:
 * against our rules, where it must be refused, and against rules of the IBS era (any signed-in user
 * reads and writes everything), where it was allowed: a test that could not fail would prove nothing.
 */
"use strict";
const assert = require("node:assert/strict");
const targaryen = require("targaryen");
const { ROLES, baseData, LIVE, EVENT, ADMIN } = require("./matrix.cjs");
const { loadRules } = require("./support.cjs");

const IBS_ERA_RULES = { rules: { ".read": "auth != null", ".write": "auth != null" } };

/**
 * @typedef {{as: string, op: import("./support.cjs").Operation, path: string, value?: unknown, query?: object}} Attempt
 *   who asks (a role of the matrix), what and where
 */

/**
 * @param {import("./support.cjs").RulesJson} rules
 * @param {Attempt} attempt
 * @param {number} now
 */
function check(rules, { as, op, path, value, query }, now) {
  const database = targaryen.database(rules, baseData(now), now).as(ROLES[as]);
  if (op === "read") return database.read(path, query ? { query } : undefined).allowed;
  if (op === "update") return database.update(path, /** @type {object} */ (value)).allowed;
  return database.write(path, op === "delete" ? null : value).allowed;
}

const now = Date.now();
/** @type {Array<[string, Attempt]>} */
const FLAWS = [
  [
    "IBS flaw 1: an anonymous Firebase user gets no admin powers in the database",
    { as: "signedInNoRole", op: "write", path: `${LIVE}/producerActive`, value: true },
  ],
  ["IBS flaw 1: an anonymous Firebase user cannot list admins", { as: "signedInNoRole", op: "read", path: "admins" }],
  [
    "IBS flaw 3: an admin cannot change another admin's live show",
    { as: "otherAdmin", op: "write", path: `${LIVE}/privateCall`, value: { isWith: "host" } },
  ],
  ["IBS flaw 3: an admin cannot read another admin's events", { as: "otherAdmin", op: "read", path: `events/${EVENT}` }],
  [
    "IBS flaw 3: an admin cannot make themselves superAdmin",
    { as: "ownerAdmin", op: "update", path: `admins/${ADMIN}`, value: { superAdmin: true } },
  ],
  ["IBS flaw 4: a fan cannot delete an event", { as: "fan", op: "delete", path: `events/${EVENT}` }],
  ["IBS flaw 5: a fan cannot read the host and celebrity secrets", { as: "fan", op: "read", path: `events/${EVENT}/hostUrl` }],
  ["IBS flaw 5: a fan cannot read the login lookups", { as: "fan", op: "read", path: `eventKeys/${ADMIN}` }],
  [
    "IBS flaw 6: a fan cannot move themselves on stage",
    { as: "fan", op: "write", path: `${LIVE}/activeFans/fanA-tab1/isOnStage`, value: true },
  ],
  [
    "IBS flaw 6: a fan cannot move themselves backstage",
    { as: "fan", op: "update", path: `${LIVE}/activeFans/fanA-tab1`, value: { isBackstage: true } },
  ],
  [
    "IBS flaw 7: a fan cannot read the event record (session ids, RTMP stream key)",
    { as: "fan", op: "read", path: `events/${EVENT}/sessionId` },
  ],
  [
    "IBS flaw 8: no client reads a sealed Vonage secret, not even its owner",
    { as: "ownerAdmin", op: "read", path: `adminCredentials/${ADMIN}` },
  ],
  [
    "IBS flaw 10: a fan cannot read other fans' names and camera snapshots",
    { as: "fan", op: "read", path: `${LIVE}/activeFans/fanX-tab1` },
  ],
  ["IBS flaw 10: a signed-in stranger cannot read the fan list", { as: "signedInNoRole", op: "read", path: `${LIVE}/activeFans` }],
  [
    "IBS flaw 10: a fan cannot give themselves an interactive seat",
    { as: "fan", op: "write", path: `stageGates/${EVENT}/shards/s1/fanA`, value: { c9: { at: now } } },
  ],
  [
    "IBS flaw 10: a fan cannot add a claim (a second seat's worth of tabs) to their own seat",
    { as: "fan", op: "write", path: `stageGates/${EVENT}/shards/s0/fanA/c9`, value: { at: now } },
  ],
  [
    "IBS flaw 10: a fan cannot confirm their own claim (a seat with no Vonage connection behind it)",
    { as: "fan", op: "update", path: `stageGates/${EVENT}/shards/s0/fanA/c1`, value: { conn: "fake-connection" } },
  ],
  ["IBS flaw 10: a fan cannot take another fan's seat", { as: "fan", op: "delete", path: `stageGates/${EVENT}/shards/s0/fanX` }],
  [
    "IBS flaw 10: a fan cannot rewrite a seat shard (e.g. to make room)",
    { as: "fan", op: "write", path: `stageGates/${EVENT}/shards/s0`, value: { fanA: { c1: { at: now } } } },
  ],
  [
    "IBS flaw 10: a fan cannot offer themselves a seat (upgrade offers are the server's)",
    {
      as: "fan",
      op: "write",
      path: `seatOffers/${EVENT}/fanA`,
      value: { status: "offered", askedAt: 1, offeredAt: now, expiresAt: now + 60000 },
    },
  ],
  [
    "IBS flaw 10: a fan cannot hold a seat for themselves (a claim with a hold)",
    { as: "fan", op: "write", path: `stageGates/${EVENT}/shards/s1/fanA`, value: { c9: { at: now, hold: now + 60000 } } },
  ],
  ["IBS flaw 10: a fan cannot jump the queue for seats", { as: "fan", op: "write", path: `seatAsks/${EVENT}/fanA`, value: 0 }],
  ["IBS flaw 10: a fan cannot read another fan's offer", { as: "fan", op: "read", path: `seatOffers/${EVENT}/fanZ` }],
  ["IBS flaw 10: a fan cannot cancel another fan's offer", { as: "fan", op: "delete", path: `seatOffers/${EVENT}/fanZ` }],
  ["IBS flaw 10: a fan cannot raise the interactive limit", { as: "fan", op: "write", path: `stageGates/${EVENT}/limit`, value: 100000 }],
  [
    "IBS flaw 10: a fan cannot take another fan's record",
    { as: "fan", op: "write", path: `${LIVE}/activeFans/fanX-tab1`, value: { id: "fanX-tab1" } },
  ],
  [
    "IBS flaw 10: a fan cannot store a camera snapshot of unbounded size",
    { as: "fan", op: "update", path: `${LIVE}/activeFans/fanA-tab1`, value: { snapshot: "data:image/jpeg;base64," + "A".repeat(200_000) } },
  ],
  [
    "IBS flaw 10: a fan cannot store a non-image as snapshot",
    { as: "fan", op: "update", path: `${LIVE}/activeFans/fanA-tab1`, value: { snapshot: "<script>alert(1)</script>" } },
  ],
  [
    "IBS flaw 10: a fan cannot add unknown fields to their record",
    { as: "fan", op: "update", path: `${LIVE}/activeFans/fanA-tab1`, value: { isProducer: true } },
  ],
  [
    "IBS flaw 11: a heartbeat cannot be set far in the future to hold the host seat",
    { as: "host", op: "write", path: `${LIVE}/hostHeartBeat`, value: now + 3_600_000 },
  ],
  ["IBS flaw 11: a fan cannot fake the host's presence", { as: "fan", op: "write", path: `${LIVE}/hostActive`, value: true }],
];

describe("rules: IBS flaw regressions", () => {
  const rules = loadRules();
  for (const [name, attempt] of FLAWS) {
    it(name, () => {
      assert.equal(check(rules, attempt, now), false, "our rules must refuse it");
      assert.equal(check(IBS_ERA_RULES, attempt, now), true, "IBS-era rules allowed it (so this test can fail)");
    });
  }
});
