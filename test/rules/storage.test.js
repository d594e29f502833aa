// @ts-check
/**
 * The intent of storage.rules, case by case: an admin uploads event images only under their own
 * folder, images only, at most 5 MB; anyone reads them; nothing else is reachable. Evaluated offline
 * by test/rules/storageRules.cjs over the real file (the storage emulator needs a Java download that
 * cannot happen here; where it is available, these same cases are the ones to run against it).
 */
"use strict";
const assert = require("node:assert/strict");
const { allowed } = require("./storageRules.cjs");

const owner = { uid: "adminA", token: { role: "admin" } };
const otherAdmin = { uid: "adminB", token: { role: "admin" } };
const fan = { uid: "adminA", token: { role: "fan", adminId: "adminA" } }; // uid spoofing the folder name
const png = (/** @type {number} */ size) => ({ size, contentType: "image/png" });

/** @type {Array<[string, Parameters<typeof allowed>[0], boolean]>} */
const CASES = [
  [
    "the owner admin uploads a 1 MB PNG to their folder",
    { op: "create", path: "eventImages/adminA/img1", auth: owner, resource: png(1_000_000) },
    true,
  ],
  [
    "the owner admin replaces it with a JPEG",
    { op: "update", path: "eventImages/adminA/img1", auth: owner, resource: { size: 2000, contentType: "image/jpeg" } },
    true,
  ],
  ["the owner admin deletes it", { op: "delete", path: "eventImages/adminA/img1", auth: owner }, true],
  ["anyone (not signed in) reads an event image", { op: "get", path: "eventImages/adminA/img1", auth: null }, true],
  [
    "another admin cannot upload into adminA's folder",
    { op: "create", path: "eventImages/adminA/img2", auth: otherAdmin, resource: png(1000) },
    false,
  ],
  ["another admin cannot delete adminA's image", { op: "delete", path: "eventImages/adminA/img1", auth: otherAdmin }, false],
  [
    "a fan whose uid equals the folder name cannot upload (role admin required)",
    { op: "create", path: "eventImages/adminA/img3", auth: fan, resource: png(1000) },
    false,
  ],
  ["nobody signed out uploads", { op: "create", path: "eventImages/adminA/img4", auth: null, resource: png(1000) }, false],
  ["no image over 5 MB", { op: "create", path: "eventImages/adminA/big", auth: owner, resource: png(5 * 1024 * 1024 + 1) }, false],
  ["exactly 5 MB is fine", { op: "create", path: "eventImages/adminA/max", auth: owner, resource: png(5 * 1024 * 1024) }, true],
  [
    "no non-image content (a PDF)",
    { op: "create", path: "eventImages/adminA/doc", auth: owner, resource: { size: 1000, contentType: "application/pdf" } },
    false,
  ],
  [
    "no SVG (scriptable)",
    { op: "create", path: "eventImages/adminA/logo", auth: owner, resource: { size: 1000, contentType: "image/svg+xml" } },
    false,
  ],
  [
    "no upload to the folder root or deeper paths",
    { op: "create", path: "eventImages/adminA/sub/img", auth: owner, resource: png(1000) },
    false,
  ],
  ["nothing outside eventImages, read or write", { op: "get", path: "archives/secret.mp4", auth: owner }, false],
  ["no writes outside eventImages", { op: "create", path: "other/adminA/img", auth: owner, resource: png(1000) }, false],
  ["listing a folder is a read: event images are public", { op: "list", path: "eventImages/adminB/x", auth: owner }, true],
];

describe("storage rules: intent, case by case (offline evaluation of storage.rules)", () => {
  for (const [name, request, expected] of CASES) {
    it(`${expected ? "allows" : "refuses"}: ${name}`, () => assert.equal(allowed(request), expected));
  }

  it("a weakened rule changes the verdicts (the evaluator reads the real conditions)", () => {
    const fs = require("node:fs");
    const weakened = fs.readFileSync(require("./storageRules.cjs").FILE, "utf8").replace("request.auth.uid == adminId", "true");
    assert.equal(allowed(CASES[4][1], weakened), true, "without the owner check another admin could upload");
  });
});
