// @ts-check
/**
 * database.rules.json is generated from rules/database.rules.ts (named helpers: participant of this
 * event, owner admin, role of this show): the committed file must be exactly what the source makes,
 * so nobody edits the JSON by hand and the source cannot drift from what is deployed.
 */
"use strict";
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { pathToFileURL } = require("node:url");

const root = path.resolve(__dirname, "..", "..");

describe("rules: generated from rules/database.rules.ts", () => {
  it("the committed database.rules.json equals what the source generates (node rules/generate.ts --write)", async () => {
    const { generatedRules, RULES_FILE } = await import(pathToFileURL(path.join(root, "rules", "generate.ts")).href);
    assert.equal(RULES_FILE, path.join(root, "database.rules.json"));
    const committed = fs.readFileSync(RULES_FILE, "utf8");
    assert.ok(
      committed === generatedRules(),
      "database.rules.json differs from rules/database.rules.ts: run node rules/generate.ts --write",
    );
  });

  it("the source names its conditions once: the participant and owner checks are not spelled out by hand", () => {
    const source = fs.readFileSync(path.join(root, "rules", "database.rules.ts"), "utf8");
    const tree = source.slice(source.indexOf("// ---- the tree"));
    assert.equal(
      (tree.match(/auth\.uid == \$adminId && auth\.token\.role == 'admin'/g) ?? []).length,
      0,
      "owner check spelled out in the tree",
    );
    assert.equal(
      (tree.match(/auth\.token\.eventId == data\.parent\(\)\.child/g) ?? []).length,
      0,
      "participant check spelled out in the tree",
    );
  });
});
