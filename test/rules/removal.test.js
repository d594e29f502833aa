// @ts-check
/**
 * Removal sticks in the database too: a fan the producer removed (`liveBans/{eventId}/{uid}`, written
 * by the server) can no longer write a presence record in that show, while other fans still can.
 * Evaluated offline (targaryen) on the matrix's base data.
 */
"use strict";
const assert = require("node:assert/strict");
const { baseData, EVENT, ADMIN, LIVE } = require("./matrix.cjs");
const { loadRules, evaluate } = require("./support.cjs");

describe("rules: a removed fan cannot write presence again", () => {
  const rules = loadRules();
  const removed = { uid: "fanR", token: { role: "fan", adminId: ADMIN, eventId: EVENT } };
  const record = (/** @type {string} */ fanId) => ({ path: `${LIVE}/activeFans/${fanId}`, value: { id: fanId, name: "Again" } });

  it("refuses the removed uid's records (mobile and web keys), on the data as stored", () => {
    const data = baseData();
    assert.ok(data.liveBans[EVENT].fanR, "the base data has fanR removed");
    for (const fanId of ["fanR", "fanR-tab7"]) {
      assert.equal(evaluate(rules, data, removed, record(fanId), "write"), false, fanId);
      assert.equal(evaluate(rules, data, removed, { ...record(fanId), patch: { name: "x" } }, "update"), false, fanId);
    }
  });

  it("the same uid may write once it is not in liveBans (the check is the ban, not the uid)", () => {
    const data = baseData();
    const bans = /** @type {Record<string, unknown>} */ (data.liveBans[EVENT]);
    delete bans.fanR;
    assert.equal(evaluate(rules, data, removed, record("fanR-tab7"), "write"), true);
  });
});
