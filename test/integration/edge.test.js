// @ts-check
/**
 * The edge from outside, as a client would do it against the local stack (issue 16): hostile callable
 * bodies over raw HTTP, a script forging `X-Forwarded-For` to escape the per-address login budget, and
 * one script with many anonymous accounts trying to take seats. The functions emulator gives every
 * caller the same address (`local`, docs/hardening.md), so the budget these scripts meet is the one a
 * single address meets deployed.
 */
"use strict";
const assert = require("node:assert/strict");
const { randomBytes } = require("node:crypto");
const { sharedStack } = require("../support/stack.cjs");
const { newClient } = require("../../local/client.cjs");
const { inParallel } = require("../../local/async.cjs");
const { DEMO_SUPER_ADMIN, functionUrl } = require("../../local/config.cjs");

const run = randomBytes(3).toString("hex");
const INT64 = "type.googleapis.com/google.protobuf.Int64Value";
/** FAN_LOGINS_PER_ADDRESS_PER_MINUTE: the default unless the test stack sets it. */
const BUDGET = Number(process.env.FAN_LOGINS_PER_ADDRESS_PER_MINUTE || 30);

/**
 * @template {import("@interactive-broadcast/contract").CallableName} N
 * @typedef {import("@interactive-broadcast/contract").CallableOutput<N>} Output
 */
/** @typedef {import("firebase/functions").FunctionsError & {details?: {retryAfterSeconds?: number}}} CallError a refused call, as the web SDK rejects it */

/**
 * The budget counts per clock minute: a script that runs across a minute's end meets it once per
 * minute it touched, so the bound it must stay under is the budget times those minutes.
 * @template T
 * @param {() => Promise<T>} script
 */
async function boundOver(script) {
  const firstMinute = Math.floor(Date.now() / 60_000);
  const result = await script();
  return { result, bound: BUDGET * (Math.floor(Date.now() / 60_000) - firstMinute + 1) };
}

describe("integration: the edge (wire protocol, client address, login budget)", function () {
  this.timeout(600_000);
  /** @type {import("../support/stack.cjs").SharedStack} */
  let stack;
  /** @type {import("../support/showFixture.cjs").Client} */
  let producer;
  /** @type {import("../support/showFixture.cjs").Client[]} */
  const clients = [];
  const client = () => {
    const created = newClient(stack.ports);
    clients.push(created);
    return created;
  };

  /**
   * @param {string} name
   * @param {string} body
   * @param {Record<string, string>} [headers]
   */
  const post = (name, body, headers = { "content-type": "application/json" }) =>
    fetch(functionUrl(stack.ports, name), { method: "POST", headers, body }).then(async (response) => ({
      status: response.status,
      text: await response.text(),
    }));

  /**
   * @param {string} name
   * @param {number} interactiveLimit
   */
  async function openShow(name, interactiveLimit) {
    const show = /** @type {Output<"createEvent">} */ (await producer.call("createEvent", { name: `${name} ${run}`, interactiveLimit }));
    await producer.call("changeStatus", { id: show.id, status: "preshow" });
    return show;
  }

  before(async () => {
    stack = await sharedStack();
    producer = client();
    await producer.signInWithPassword(DEMO_SUPER_ADMIN.email, DEMO_SUPER_ADMIN.password);
    const answer = /** @type {Output<"login">} */ (await producer.call("login"));
    if (answer.refreshIdToken) await producer.refreshClaims();
  });

  after(async () => {
    await Promise.all(clients.map((each) => each.close().catch(() => undefined)));
  });

  it("raw HTTP: typed-value wrappers, duplicate keys, deep nesting, wrong content types and empty bodies get 400 invalid-argument with a reference id, the database unchanged", async () => {
    const adminId = stack.superAdmin.id;
    const bodies = [
      ["@type in a field", JSON.stringify({ data: { adminId: { "@type": "x" } } }), "application/json"],
      ["Int64Value NaN", JSON.stringify({ data: { "@type": INT64, value: "NaN" } }), "application/json"],
      ["Int64Value Infinity", `{"data":{"adminId":{"@type":"${INT64}","value":"Infinity"}}}`, "application/json"],
      ["duplicate key", `{"data":{"adminId":"a","adminId":"${adminId}"}}`, "application/json"],
      ["deep nesting", `{"data":{"adminId":${'{"a":'.repeat(40)}1${"}".repeat(40)}}}`, "application/json"],
      ["text/plain", JSON.stringify({ data: { adminId } }), "text/plain"],
      ["form", `data=${adminId}`, "application/x-www-form-urlencoded"],
      ["empty body", "", "application/json"],
      ["no data", "{}", "application/json"],
    ];
    const before = JSON.stringify(stack.database.getData("/eventKeys"));
    const wrong = [];
    for (const name of ["loginFan", "createEvent", "getAdmin"]) {
      for (const [label, body, contentType] of bodies) {
        const answer = await post(name, body, { "content-type": contentType });
        let error;
        try {
          error = JSON.parse(answer.text).error;
        } catch {
          error = undefined;
        }
        if (answer.status !== 400 || error?.status !== "INVALID_ARGUMENT" || !/^[0-9a-f-]{36}$/.test(error?.details?.ref ?? ""))
          wrong.push(`${name} ${label}: ${answer.status} ${answer.text.slice(0, 120)}`);
      }
    }
    assert.deepEqual(wrong, []);
    // A body that is not JSON at all never reaches function code: the emulator's body parser answers 400.
    const truncated = await post("loginFan", `{"data":{"adminId":"${adminId}"`);
    assert.equal(truncated.status, 400, truncated.text.slice(0, 200));
    assert.equal(JSON.stringify(stack.database.getData("/eventKeys")), before, "the database changed");
    // A well-formed body still works.
    const fine = await post("loginFan", JSON.stringify({ data: { adminId, slug: "no-such-show-" + run } }));
    assert.equal(fine.status, 404, fine.text);
  });

  it("loginFan for a closed show answers failed-precondition by its fan link (the README promises it)", async () => {
    const show = await openShow("Closed", 5);
    await producer.call("changeStatus", { id: show.id, status: "closed" });
    await assert.rejects(client().call("loginFan", { adminId: show.adminId, slug: show.fanUrl }), (/** @type {CallError} */ error) => {
      assert.equal(error.code, "functions/failed-precondition", `${error.code}: ${error.message}`);
      return true;
    });
  });

  it(`a script forging x-forwarded-for: 203.0.113.N gets no more than the budget (${BUDGET}) of signed-out loginFan calls`, async () => {
    const show = await openShow("Forged", 5);
    const { result: answers, bound } = await boundOver(async () => {
      const answers = [];
      for (let n = 1; n <= BUDGET + 10; n++) {
        const answer = await post("loginFan", JSON.stringify({ data: { adminId: show.adminId, slug: show.fanUrl } }), {
          "content-type": "application/json",
          "x-forwarded-for": `203.0.113.${n}`,
        });
        answers.push(answer);
      }
      return answers;
    });
    const admitted = answers.filter((answer) => answer.status === 200).length;
    const refusals = answers.filter((answer) => answer.status === 429).map((answer) => JSON.parse(answer.text).error);
    console.log(`      forged x-forwarded-for: ${admitted} of ${answers.length} signed-out logins admitted (bound ${bound})`);
    assert.ok(admitted <= bound, `${admitted} logins admitted, bound ${bound}`);
    assert.ok(admitted >= 1, "the budget admits a first login");
    assert.equal(admitted + refusals.length, answers.length, answers.map((answer) => answer.status).join(","));
    for (const error of refusals) {
      assert.equal(error.status, "RESOURCE_EXHAUSTED");
      assert.ok(error.details.retryAfterSeconds >= 1 && error.details.retryAfterSeconds <= 60, JSON.stringify(error));
    }
  });

  it(`one script with anonymous accounts takes no more than the budget (${BUDGET}) of seats of a show in a minute`, async () => {
    const show = await openShow("Anonymous", 200);
    const attempts = BUDGET + 10;
    const { result: outcomes, bound } = await boundOver(() =>
      inParallel(Array.from({ length: attempts }), 4, async () => {
        const fan = client();
        try {
          await fan.signInAnonymously();
          const login = /** @type {Output<"loginFan">} */ (await fan.call("loginFan", { adminId: show.adminId, slug: show.fanUrl }));
          await fan.signInWithCustomToken(login.token);
          const tokens = /** @type {Output<"createTokensFan">} */ (await fan.call("createTokensFan", {}));
          return tokens.mode;
        } catch (error) {
          return /** @type {CallError} */ (error).code === "functions/resource-exhausted" &&
            /** @type {CallError} */ (error).details?.retryAfterSeconds
            ? "budget"
            : `${/** @type {CallError} */ (error).code}: ${/** @type {CallError} */ (error).message}`;
        } finally {
          fan.close().catch(() => undefined);
        }
      }),
    );
    const seats = outcomes.filter((outcome) => outcome === "interactive").length;
    const unexpected = outcomes.filter((outcome) => outcome !== "interactive" && outcome !== "budget");
    assert.deepEqual(unexpected, []);
    console.log(`      anonymous accounts: ${seats} seats of ${attempts} attempts (bound ${bound})`);
    assert.ok(seats >= 1 && seats <= bound, `${seats} seats taken by ${attempts} anonymous accounts, bound ${bound}`);
    assert.ok(outcomes.includes("budget"), "the script met the budget");
    const shards = stack.database.getData(`/stageGates/${show.id}/shards`) ?? {};
    const holders = Object.values(shards).flatMap((shard) => Object.keys(shard ?? {}));
    assert.ok(holders.length <= bound, `${holders.length} seats held`);
  });
});
