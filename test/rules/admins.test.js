// @ts-check
/**
 * Rules of `admins/` and `adminCredentials/` (database.rules.json), checked with targaryen for every
 * role × path × operation: profiles are readable by their owner admin and by superAdmins, written by
 * nobody (the callables do it with the Admin SDK); the sealed Vonage secrets are reachable by no
 * client at all, superAdmins included (docs/ibs-flaws.md#7, #8).
 */
"use strict";
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const targaryen = require("targaryen");
const stripJsonComments = require("strip-json-comments");

const rules = JSON.parse(stripJsonComments(fs.readFileSync(path.join(__dirname, "..", "..", "database.rules.json"), "utf8")));

/**
 * The rules' `auth` as the database builds it from an ID token (see local/database-server/lib/auth.js).
 * @param {string} uid
 * @param {Record<string, unknown>} [claims]
 */
function authOf(uid, claims = {}, provider = "custom") {
  return { uid, provider, token: { sub: uid, firebase: { sign_in_provider: provider }, ...claims } };
}

/** @type {Record<string, ReturnType<typeof authOf> | null>} */
const roles = {
  unauthenticated: null,
  anonymous: authOf("anon1", {}, "anonymous"),
  plainUser: authOf("user1", {}, "password"),
  fan: authOf("fan1", { role: "fan", adminId: "adm1", eventId: "ev1" }),
  host: authOf("host-ev1", { role: "host", adminId: "adm1", eventId: "ev1" }),
  celebrity: authOf("celebrity-ev1", { role: "celebrity", adminId: "adm1", eventId: "ev1" }),
  // A token for an admin's uid without the admin role (e.g. before `login` set the claims).
  adminUidWithoutRole: authOf("adm1", {}, "password"),
  fanWithAdminUid: authOf("adm1", { role: "fan", adminId: "adm1", eventId: "ev1" }),
  admin: authOf("adm1", { role: "admin", superAdmin: false }, "password"),
  otherAdmin: authOf("adm2", { role: "admin", superAdmin: false }, "password"),
  // superAdmin without the admin role is not a superAdmin.
  superAdminClaimOnly: authOf("sup2", { superAdmin: true }, "password"),
  superAdmin: authOf("sup1", { role: "admin", superAdmin: true }, "password"),
};

const profile = (/** @type {string} */ id, superAdmin = false) => ({
  id,
  displayName: id,
  email: `${id}@example.com`,
  superAdmin,
  hls: true,
  httpSupport: false,
  otApiKey: "47000001",
  hasOwnCredentials: true,
  createdAt: 1,
  updatedAt: 1,
});
const data = {
  admins: { adm1: profile("adm1"), adm2: profile("adm2"), sup1: profile("sup1", true) },
  adminCredentials: {
    adm1: { apiKey: "47000001", secret: "v1.local1.iv.tag.body", updatedAt: 1 },
    adm2: { apiKey: "47000001", secret: "v1.local1.iv2.tag2.body2", updatedAt: 1 },
  },
};
const database = targaryen.database(rules, data);
const as = (/** @type {string} */ role) => database.as(roles[role]);
const ALL = Object.keys(roles);

/**
 * @param {string} role
 * @param {string} path
 * @param {boolean} allowed
 */
function expectRead(role, path, allowed) {
  const result = as(role).read(path);
  assert.equal(result.allowed, allowed, `${role} read ${path}: expected ${allowed ? "allowed" : "denied"}\n${result.info}`);
}
/**
 * @param {string} role
 * @param {string} path
 * @param {unknown} value
 * @param {boolean} allowed
 */
function expectWrite(role, path, value, allowed) {
  const result = as(role).write(path, value);
  assert.equal(result.allowed, allowed, `${role} write ${path}: expected ${allowed ? "allowed" : "denied"}\n${result.info}`);
}

describe("rules: admins/ and adminCredentials/", () => {
  it("only a superAdmin lists all admins (IBS flaw 3)", () => {
    for (const role of ALL) expectRead(role, "admins", role === "superAdmin");
    const byEmail = as("superAdmin").read("admins", { query: { orderByChild: "email", equalTo: "adm1@example.com" } });
    assert.equal(byEmail.allowed, true);
  });

  it("an admin reads only their own profile; a superAdmin reads anyone's", () => {
    for (const role of ALL) {
      expectRead(role, "admins/adm1", role === "admin" || role === "superAdmin");
      expectRead(role, "admins/adm1/otApiKey", role === "admin" || role === "superAdmin");
      expectRead(role, "admins/adm2", role === "otherAdmin" || role === "superAdmin");
      expectRead(role, "admins/sup1", role === "superAdmin");
    }
  });

  it("IBS flaw 1: a fan, host or plain user holding an admin's uid reads nothing of that admin", () => {
    for (const role of ["adminUidWithoutRole", "fanWithAdminUid"]) expectRead(role, "admins/adm1", false);
  });

  it("nobody writes a profile directly: no self-promotion, no edits, no creation, no deletion (IBS flaw 3)", () => {
    for (const role of ALL) {
      expectWrite(role, "admins/adm1/superAdmin", true, false);
      expectWrite(role, "admins/adm1/displayName", "Mallory", false);
      expectWrite(role, "admins/adm1/otApiKey", "", false);
      expectWrite(role, "admins/adm2", null, false);
      expectWrite(role, "admins/newbie", profile("newbie", true), false);
      expectWrite(role, "admins", null, false);
      const patch = as(role).update("admins/adm1", { hls: false, httpSupport: true });
      assert.equal(patch.allowed, false, `${role} update admins/adm1`);
    }
  });

  it("IBS flaws 7, 8: sealed Vonage secrets are out of reach of every client, superAdmins and owners included", () => {
    for (const role of ALL) {
      expectRead(role, "adminCredentials", false);
      expectRead(role, "adminCredentials/adm1", false);
      expectRead(role, "adminCredentials/adm1/secret", false);
      expectRead(role, "adminCredentials/adm2/secret", false);
      expectWrite(role, "adminCredentials/adm1", { apiKey: "1", secret: "x" }, false);
      expectWrite(role, "adminCredentials/adm1/secret", "", false);
      expectWrite(role, "adminCredentials/adm1", null, false);
    }
  });
});
