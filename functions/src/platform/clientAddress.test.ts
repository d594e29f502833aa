import assert from "node:assert/strict";
import { clientAddress } from "./clientAddress";

describe("platform/clientAddress", () => {
  it("deployed: the last X-Forwarded-For entry (the one Google's front end appended), never the client's own", () => {
    const forged = { headers: { "x-forwarded-for": "203.0.113.7, 198.51.100.20" }, socket: { remoteAddress: "169.254.1.1" } };
    assert.equal(clientAddress(forged, false), "198.51.100.20");
    assert.equal(clientAddress({ headers: { "x-forwarded-for": "198.51.100.20" } }, false), "198.51.100.20");
    assert.equal(clientAddress({ headers: { "x-forwarded-for": ["203.0.113.7", "198.51.100.21 "] } }, false), "198.51.100.21");
    assert.equal(clientAddress({ headers: {}, socket: { remoteAddress: "10.0.0.3" } }, false), "10.0.0.3");
  });

  it("emulator: the socket's address whatever the headers say; local for the emulator's Unix socket", () => {
    const forged = { headers: { "x-forwarded-for": "203.0.113.7" } };
    assert.equal(clientAddress(forged, true), "local");
    assert.equal(clientAddress({ ...forged, socket: { remoteAddress: "127.0.0.1" } }, true), "127.0.0.1");
  });
});
