// @ts-check
"use strict";
/**
 * persistFile: the data outlives the server (what `npm start` relies on to keep its database across
 * restarts), saved shortly after each change and on close, atomically, priorities included.
 */

const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { DatabaseServer } = require("..");
const { startServer, admin, cleanup, eventually } = require("./helpers");

describe("persistence (persistFile)", function () {
  /** @type {string} */
  let dir;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "db-persist-"));
  });
  afterEach(async () => {
    await cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("saves shortly after a write and on close; a new server loads it, priorities kept", async () => {
    const file = path.join(dir, "database.json");
    const first = await startServer({ persistFile: file });
    assert.equal(first.persistence?.loaded, false);
    const db = admin(first);
    await db.ref("events/e1").set({ name: "Show", status: "live" });
    await db.ref("ordered/a").setWithPriority({ n: 1 }, 5);
    await eventually(() => fs.existsSync(file) && JSON.parse(fs.readFileSync(file, "utf8"))?.events?.e1?.status === "live", 3000, "saved");
    await db.ref("events/e1/status").set("closed");
    await first.close();
    assert.equal(JSON.parse(fs.readFileSync(file, "utf8")).events.e1.status, "closed", "close() saves what the timer had not");
    assert.deepEqual(
      fs.readdirSync(dir).filter((name) => name.endsWith(".tmp")),
      [],
      "no temporary file left",
    );

    const second = await startServer({ persistFile: file });
    assert.equal(second.persistence?.loaded, true);
    assert.deepEqual(second.getData("events/e1"), { name: "Show", status: "closed" });
    const snapshot = await admin(second).ref("ordered/a").once("value");
    assert.equal(snapshot.getPriority(), 5);
  });

  it("`data` wins over the file; a corrupt file is a clear error, not an empty database", async () => {
    const file = path.join(dir, "database.json");
    fs.writeFileSync(file, JSON.stringify({ kept: true }));
    const given = await startServer({ persistFile: file, data: { given: true } });
    assert.deepEqual(given.getData(), { given: true });
    await given.close();
    fs.writeFileSync(file, "{not json");
    assert.throws(() => new DatabaseServer({ persistFile: file, quiet: true }), /cannot read .*database\.json/);
  });
});
