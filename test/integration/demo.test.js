/**
 * `npm run demo` end to end on the shared test stack, so the demo cannot silently rot: every step of
 * the show checks its own result and throws at the first one that did not do what it says.
 */
"use strict";
const assert = require("node:assert/strict");
const { sharedStack } = require("../support/stack.cjs");
const { runDemo } = require("../../local/demo.cjs");

describe("integration: the demo show (npm run demo)", function () {
  this.timeout(300_000);

  it("runs every step of the scripted show and prints the attendance table", async () => {
    const stack = await sharedStack();
    const lines = [];
    const result = await runDemo({ ports: stack.ports, log: (line) => lines.push(line) });
    const transcript = lines.join("\n");
    assert.match(transcript, /12 fans log in/);
    assert.match(transcript, /5 interactive .*7 HLS/);
    assert.match(transcript, /Attendance of "Demo Night"/);
    assert.equal(result.analytics.peakInteractive, 5);
    // host, celebrity, the fan on stage and four seated fans; two of them came twice.
    assert.equal(result.analytics.participantCount, 7);
    assert.equal(result.analytics.participants.filter((row) => row.connections === 2).length, 2);
    assert.equal(stack.database.getData(`events/${result.eventId}/status`), "closed");
  });
});
