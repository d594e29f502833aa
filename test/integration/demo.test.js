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

  it("runs every step of the scripted show and prints the attendance table by name, and the run of show", async () => {
    const stack = await sharedStack();
    const lines = [];
    const result = await runDemo({ ports: stack.ports, log: (line) => lines.push(line) });
    const transcript = lines.join("\n");
    assert.match(transcript, /12 fans log in/);
    assert.match(transcript, /5 interactive \(\w+, \w+, \w+, \w+, \w+\).*\n.*7 HLS \(/);
    assert.match(transcript, /Attendance of "Demo Night"/);
    assert.equal(result.analytics.peakInteractive, 5);
    // The producer, host, celebrity, the fan on stage and four seated fans; two of them came twice.
    assert.equal(result.analytics.participantCount, 8);
    assert.equal(result.analytics.participants.filter((row) => row.connections === 2).length, 2);
    assert.equal(stack.database.getData(`events/${result.eventId}/status`), "closed");
    // Names, not ids: every row of the table is a person of the show, HLS viewers and the producer too.
    const table = transcript.split('Attendance of "Demo Night"')[1].split("Run of show")[0];
    for (const name of ["Dana (producer)", "Maya (host)", "Leo Star (celebrity)", "Ava", "Ben"])
      assert.match(table, new RegExp(`\\n  ${name.replace(/[()]/g, "\\$&")} `));
    assert.equal((table.match(/HLS viewer/g) ?? []).length, 7);
    for (const row of result.analytics.participants)
      assert.ok(!table.includes(row.participantId), `an id in the table: ${row.participantId}`);
    assert.match(table, /\n {2}Dana \(producer\)\s+producer\s+1\s/);
    // The run of show, in order, from the preshow to the broadcast's stop, and a visible drain countdown.
    const show = transcript.split("Run of show (from the preshow):")[1];
    const order = ["preshow", "12 fans arrive", "live:", "HLS viewers get the stream", "closed:", "the broadcast stops"];
    let at = -1;
    for (const what of order) {
      const index = show.indexOf(what);
      assert.ok(index > at, `"${what}" out of order in the run of show:\n${show}`);
      at = index;
    }
    assert.match(show, /^ {2}00:00 {2}preshow/m);
    assert.match(transcript, /HLS drain: the broadcast stops in \d+ s/);
  });
});
