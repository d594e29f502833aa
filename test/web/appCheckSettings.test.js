// @ts-check
/** Which App Check provider the web app starts (web/src/lib/appCheckSettings.ts, run as TypeScript by Node). */
"use strict";
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { pathToFileURL } = require("node:url");

const WEB = path.resolve(__dirname, "..", "..", "web");

describe("web: App Check settings", () => {
  /** @type {typeof import("../../web/src/lib/appCheckSettings").appCheckPlan} */
  let appCheckPlan;
  before(async () => {
    ({ appCheckPlan } = await import(pathToFileURL(path.join(WEB, "src", "lib", "appCheckSettings.ts")).href));
  });

  it("stays off on the local stack whatever the config says (nothing may reach Google offline)", () => {
    assert.deepEqual(appCheckPlan({ provider: "recaptchaV3", siteKey: "key" }, true), { kind: "off", reason: "localStack" });
  });

  it("attests deployed with the configured provider and site key (reCAPTCHA Enterprise by default)", () => {
    assert.deepEqual(appCheckPlan({ provider: "recaptchaV3", siteKey: " 6Lc-key " }, false), {
      kind: "attest",
      settings: { provider: "recaptchaV3", siteKey: "6Lc-key" },
    });
    assert.deepEqual(appCheckPlan({ siteKey: "6Lc-key" }, false), {
      kind: "attest",
      settings: { provider: "recaptchaEnterprise", siteKey: "6Lc-key" },
    });
  });

  it("says it is not configured without a site key", () => {
    for (const raw of [undefined, null, {}, { siteKey: "" }, { siteKey: "  " }, { siteKey: 42 }]) {
      assert.deepEqual(appCheckPlan(raw, false), { kind: "off", reason: "notConfigured" }, JSON.stringify(raw));
    }
  });

  it("refuses an unknown provider instead of silently not attesting", () => {
    assert.throws(() => appCheckPlan({ provider: "safetyNet", siteKey: "k" }, false), /recaptchaEnterprise, recaptchaV3/);
  });

  it("the shipped app-config.json parses, with an empty site key for the deployer to fill", () => {
    const shipped = JSON.parse(fs.readFileSync(path.join(WEB, "public", "app-config.json"), "utf8"));
    assert.deepEqual(appCheckPlan(shipped.appCheck, false), { kind: "off", reason: "notConfigured" });
  });
});
