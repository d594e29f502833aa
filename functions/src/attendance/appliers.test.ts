import assert from "node:assert/strict";
import { archiveStatusAdvances, broadcastStatusAdvances } from "./appliers";

describe("attendance/appliers", () => {
  describe("status order", () => {
    it("moves archive and broadcast states only forward", () => {
      assert.equal(archiveStatusAdvances("started", "stopped"), true);
      assert.equal(archiveStatusAdvances("stopped", "available"), true);
      assert.equal(archiveStatusAdvances("available", "started"), false);
      assert.equal(archiveStatusAdvances("available", "failed"), false);
      assert.equal(archiveStatusAdvances("started", "paused"), false, "statuses we do not model are ignored");
      assert.equal(broadcastStatusAdvances("started", "stopped"), true);
      assert.equal(broadcastStatusAdvances("stopped", "started"), false);
      assert.equal(broadcastStatusAdvances("stopping", "failed"), true);
    });
  });
});
