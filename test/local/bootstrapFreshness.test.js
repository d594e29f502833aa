// @ts-check
/**
 * The bootstrap's check of installed packages (tools/bootstrap.cjs installedFresh), on directories of
 * its own: by content, so a checkout that only gave package-lock.json a new mtime (a git worktree whose
 * node_modules are hard links) is not reinstalled, while a fresh clone or a changed lockfile is.
 */
"use strict";
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { installedFresh } = require("../../tools/bootstrap.cjs");

/** @param {Record<string, object>} packages */
const lockfile = (packages) => ({ name: "app", lockfileVersion: 3, requires: true, packages });
const ROOT = { name: "app", devDependencies: { left: "^1.0.0" } };
const LEFT = { version: "1.0.0", resolved: "https://registry.npmjs.org/left/-/left-1.0.0.tgz", integrity: "sha512-left", dev: true };
const RIGHT = { version: "2.1.0", resolved: "https://registry.npmjs.org/right/-/right-2.1.0.tgz", integrity: "sha512-right", dev: true };
const OTHER_PLATFORM = { version: "0.3.0", optional: true, dev: true, os: ["darwin"], cpu: ["arm64"] };

describe("local: the bootstrap's check of installed packages", () => {
  /** @type {string} */
  let dir;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ibs-bootstrap-fresh-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** @param {object} content */
  const writeLock = (content) => fs.writeFileSync(path.join(dir, "package-lock.json"), JSON.stringify(content, null, 2));
  /** What npm ci leaves: its record of the installed packages (the lockfile's, without the root). @param {object} content */
  const writeInstalled = (content) => {
    fs.mkdirSync(path.join(dir, "node_modules"), { recursive: true });
    fs.writeFileSync(path.join(dir, "node_modules", ".package-lock.json"), JSON.stringify(content));
  };
  const packages = { "": ROOT, "node_modules/left": LEFT, "node_modules/right": RIGHT };

  it("a fresh clone (no node_modules) needs an install", () => {
    writeLock(lockfile(packages));
    assert.equal(installedFresh(dir), false);
  });

  it("what npm installed from this lockfile is fresh, however new the lockfile's mtime (a checkout, a git worktree)", () => {
    writeInstalled(lockfile({ "node_modules/left": LEFT, "node_modules/right": RIGHT }));
    writeLock(lockfile(packages));
    const later = new Date(Date.now() + 3_600_000);
    fs.utimesSync(path.join(dir, "package-lock.json"), later, later);
    assert.equal(installedFresh(dir), true);
  });

  it("a package whose version changed in the lockfile needs an install", () => {
    writeInstalled(lockfile({ "node_modules/left": LEFT, "node_modules/right": RIGHT }));
    writeLock(lockfile({ ...packages, "node_modules/right": { ...RIGHT, version: "2.2.0", integrity: "sha512-newer" } }));
    assert.equal(installedFresh(dir), false);
  });

  it("a package added to the lockfile, or removed from it, needs an install", () => {
    writeInstalled(lockfile({ "node_modules/left": LEFT }));
    writeLock(lockfile(packages));
    assert.equal(installedFresh(dir), false, "added");
    writeInstalled(lockfile({ "node_modules/left": LEFT, "node_modules/right": RIGHT }));
    writeLock(lockfile({ "": ROOT, "node_modules/left": LEFT }));
    assert.equal(installedFresh(dir), false, "removed");
  });

  it("an optional package npm skipped on this platform does not count as missing", () => {
    writeInstalled(lockfile({ "node_modules/left": LEFT, "node_modules/right": RIGHT }));
    writeLock(lockfile({ ...packages, "node_modules/@tool/binding-darwin-arm64": OTHER_PLATFORM }));
    assert.equal(installedFresh(dir), true);
  });

  it("an unreadable record or lockfile needs an install", () => {
    writeLock(lockfile(packages));
    fs.mkdirSync(path.join(dir, "node_modules"), { recursive: true });
    fs.writeFileSync(path.join(dir, "node_modules", ".package-lock.json"), "{ half a file");
    assert.equal(installedFresh(dir), false, "broken record");
    writeInstalled(lockfile({ "node_modules/left": LEFT, "node_modules/right": RIGHT }));
    fs.rmSync(path.join(dir, "package-lock.json"));
    assert.equal(installedFresh(dir), false, "no lockfile");
  });
});
