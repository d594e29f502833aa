import assert from "node:assert/strict";
import { callbackDedupeKey } from "./callbacks";

describe("attendance/callbacks", () => {
  describe("callbackDedupeKey", () => {
    const connection = { id: "conn-1", createdAt: 1, data: "" };
    it("is the same for every delivery of one callback and differs between callbacks", () => {
      const created = { event: "connectionCreated" as const, sessionId: "1_s", timestamp: 5, connection };
      assert.equal(callbackDedupeKey(created), callbackDedupeKey({ ...created, timestamp: 6 }));
      assert.notEqual(callbackDedupeKey(created), callbackDedupeKey({ ...created, event: "connectionDestroyed" }));
      const archive = { event: "archive" as const, id: "a1", sessionId: "1_s", status: "started" };
      assert.notEqual(callbackDedupeKey(archive), callbackDedupeKey({ ...archive, status: "stopped" }));
      assert.match(callbackDedupeKey(archive), /^[A-Za-z0-9_-]{32}$/, "a valid database key");
    });
  });
});
