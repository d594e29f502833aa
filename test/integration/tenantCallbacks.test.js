// @ts-check
/**
 * A callback signing secret per tenant, end to end: each tenant's Vonage project (in the stand-in,
 * as in the Vonage dashboard) posts its callbacks to `vonageCallbacks?tenant=<adminId>` signed with
 * its own signature secret, which the superAdmin gave the tenant with updateAdmin. Those callbacks
 * are applied; a callback signed by tenant A about tenant B's session, and the project-wide secret
 * speaking for a tenant with a secret of their own, are refused and change nothing.
 */
"use strict";
const assert = require("node:assert/strict");
const { randomBytes } = require("node:crypto");
const OpenTok = require("opentok");
const { sharedStack } = require("../support/stack.cjs");
const { signInAs } = require("../support/identities.cjs");
const { newClient } = require("../../local/client.cjs");
const { LOCAL_SECRETS } = require("../../local/config.cjs");
const { eventIndexPatch } = require("../../functions/lib/events/derived.js");
const { connectionData } = require("../../functions/lib/seats/connectionData.js");

/**
 * @param {OpenTok} ot
 * @returns {Promise<string>}
 */
const createSession = (ot) =>
  new Promise((resolve, reject) =>
    ot.createSession({ mediaMode: "routed" }, (error, session) =>
      error ? reject(error) : resolve(/** @type {OpenTok.Session} */ (session).sessionId),
    ),
  );

/**
 * @template {import("@interactive-broadcast/contract").CallableName} N
 * @typedef {import("@interactive-broadcast/contract").CallableOutput<N>} Output
 */
/**
 * @typedef {{adminId: string, apiKey: string, apiSecret: string, callbackSecret: string}} TenantProject a tenant's Vonage project
 * @typedef {TenantProject & {sessionId: string, backstage: string, eventId: string, url: string}} Tenant
 *   and, once `before` ran, its show's sessions and event and its callback URL
 */

describe("integration: a callback signing secret per tenant, through the Vonage stand-in", function () {
  this.timeout(180_000);
  const suffix = randomBytes(5).toString("hex");
  /** @type {import("../support/stack.cjs").SharedStack} */
  let stack;
  /** @type {import("../support/stack.cjs").SharedStack["vonage"]} */
  let vonage;
  /** @type {import("../support/showFixture.cjs").Client} */
  let superAdmin;
  /** @type {number | undefined} */
  let savedTimeout;
  const tenants = /** @type {Tenant[]} */ (
    ["a", "b"].map((name, index) => ({
      adminId: `tenant-${name}-${suffix}`,
      apiKey: `4${String(Date.now() + index).slice(-7)}`,
      apiSecret: randomBytes(20).toString("hex"),
      callbackSecret: `tenant-${name}-signature-${randomBytes(12).toString("hex")}`,
    }))
  );
  const ours = new Set();
  const records = () => vonage.callbacks().filter((record) => ours.has(record.sessionId));
  const attendance = (/** @type {Tenant} */ tenant) => stack.database.getData(`attendance/${tenant.eventId}/connections`);

  before(async () => {
    stack = await sharedStack();
    vonage = stack.vonage;
    savedTimeout = vonage.state().options.callbackTimeoutMs;
    vonage.setOptions({ callbackTimeoutMs: 60_000 }); // a cold function worker on a busy machine
    superAdmin = newClient(stack.ports);
    await signInAs(superAdmin, `sup-${suffix}`, { role: "admin", superAdmin: true });
    const now = Date.now();
    for (const tenant of tenants) {
      vonage.addProject(tenant.apiKey, tenant.apiSecret);
      tenant.sessionId = await createSession(new OpenTok(tenant.apiKey, tenant.apiSecret, { apiUrl: vonage.url }));
      ours.add(tenant.sessionId);
      tenant.eventId = `-Tenant${tenant.adminId.replace(/-/g, "")}`;
      stack.database.setData(`admins/${tenant.adminId}`, {
        id: tenant.adminId,
        displayName: tenant.adminId,
        email: `${tenant.adminId}@example.com`,
        superAdmin: false,
        hls: false,
        httpSupport: false,
        otApiKey: "",
        hasOwnCredentials: false,
        createdAt: now,
        updatedAt: now,
      });
      const event = {
        id: tenant.eventId,
        adminId: tenant.adminId,
        name: "Tenant show",
        fanUrl: `tenant-${tenant.adminId}`,
        hostUrl: randomBytes(18).toString("base64url"),
        celebrityUrl: randomBytes(18).toString("base64url"),
        status: /** @type {const} */ ("live"),
        archiveEvent: false,
        uncomposed: false,
        interactiveLimit: 3,
        sessionId: (tenant.backstage = await createSession(new OpenTok(tenant.apiKey, tenant.apiSecret, { apiUrl: vonage.url }))),
        stageSessionId: tenant.sessionId,
        showStartedAt: now - 60_000,
        createdAt: now - 120_000,
        updatedAt: now,
      };
      ours.add(tenant.backstage);
      for (const [path, value] of Object.entries(eventIndexPatch(event, null, false))) stack.database.setData(path, value);
      tenant.url = `${stack.functionUrl("vonageCallbacks")}?tenant=${tenant.adminId}`;
      const { admin } = /** @type {Output<"updateAdmin">} */ (
        await superAdmin.call("updateAdmin", { id: tenant.adminId, vonageCallbackSecret: tenant.callbackSecret })
      );
      assert.equal(admin.hasOwnCallbackSigning, true);
      assert.ok(!JSON.stringify(admin).includes(tenant.callbackSecret), "the secret is never answered");
      // What the tenant configures in their Vonage application: the tenant URL and its signature secret.
      vonage.setCallback({ owner: tenant.apiKey, url: tenant.url, signingSecret: tenant.callbackSecret });
    }
  });

  after(async () => {
    for (const tenant of tenants) if (vonage) vonage.setCallback({ owner: tenant.apiKey, url: null, signingSecret: null });
    if (vonage && savedTimeout !== undefined) vonage.setOptions({ callbackTimeoutMs: savedTimeout });
    if (superAdmin) await superAdmin.close();
  });

  /**
   * @param {Tenant} tenant
   * @param {string} participantId
   */
  const join = (tenant, participantId) =>
    vonage.connectClient(tenant.sessionId, {
      data: connectionData({ userType: "fan", participantId, eventId: tenant.eventId }),
      role: "subscriber",
    });

  it("applies each tenant's callbacks, signed with their own secret and sent to their tenant URL", async () => {
    const a = join(tenants[0], `fan-a-${suffix}`);
    const b = join(tenants[1], `fan-b-${suffix}`);
    await vonage.callbacksIdle();
    for (const [tenant, connection] of /** @type {Array<[Tenant, typeof a]>} */ ([
      [tenants[0], a],
      [tenants[1], b],
    ])) {
      const record = records().find((r) => r.payload?.connection?.id === connection.connectionId);
      assert.ok(record, `the stand-in sent the callback of ${connection.connectionId}`);
      assert.equal(record.url, tenant.url);
      assert.equal(record.lastStatus, 200, record.deliveries.at(-1)?.response ?? "no delivery");
      assert.match(record.deliveries.at(-1)?.response ?? "", /"applied"/);
      assert.ok(attendance(tenant)?.[connection.connectionId], "the connection is in the tenant's attendance");
    }
  });

  it("refuses tenant A's signature on tenant B's session, and the project-wide secret for either, changing nothing", async () => {
    const [a, b] = tenants;
    /**
     * @param {Tenant} tenant
     * @param {string} connectionId
     */
    const payload = (tenant, connectionId) => ({
      sessionId: tenant.sessionId,
      projectId: tenant.apiKey,
      event: "connectionCreated",
      timestamp: Date.now(),
      connection: {
        id: connectionId,
        createdAt: Date.now(),
        data: connectionData({ userType: "fan", participantId: connectionId, eventId: tenant.eventId }),
      },
    });
    const before = [attendance(a), attendance(b)];
    const plainUrl = stack.functionUrl("vonageCallbacks");
    const projectWide = LOCAL_SECRETS.VONAGE_CALLBACK_SIGNING_SECRET;
    const attempts = [
      // A's own URL and secret, about B's session: a valid signature that does not speak for B.
      { url: a.url, signingSecret: a.callbackSecret, payload: payload(b, `forged-1-${suffix}`), status: 403 },
      // B's URL with A's secret: the signature does not hold.
      { url: b.url, signingSecret: a.callbackSecret, payload: payload(b, `forged-2-${suffix}`), status: 401 },
      // The project-wide secret on the plain URL, for a tenant with a secret of their own.
      { url: plainUrl, signingSecret: projectWide, payload: payload(b, `forged-3-${suffix}`), status: 403 },
      { url: plainUrl, signingSecret: projectWide, payload: payload(a, `forged-4-${suffix}`), status: 403 },
      // ... and on a tenant's URL.
      { url: a.url, signingSecret: projectWide, payload: payload(a, `forged-5-${suffix}`), status: 401 },
    ];
    for (const { status, ...attempt } of attempts) {
      const sent = await vonage.sendCallback(attempt);
      assert.equal(sent.lastStatus, status, `${attempt.url} ${attempt.payload.connection.id}: ${sent.deliveries.at(-1)?.response}`);
    }
    assert.deepEqual([attendance(a), attendance(b)], before);
  });
});
