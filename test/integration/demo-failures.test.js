// @ts-check
/**
 * When the stack stops answering mid-demo, the demo says which part did, instead of the web SDK's bare
 * `functions/internal: internal`, and a step that hangs ends at its deadline instead of forever.
 */
"use strict";
const assert = require("node:assert/strict");
const net = require("node:net");
const { sharedStack } = require("../support/stack.cjs");
const { runDemo } = require("../../local/demo.cjs");

/** A port nothing listens on (listened on once, then closed). */
async function deadPort() {
  const server = net.createServer();
  await /** @type {Promise<void>} */ (new Promise((resolve) => server.listen(0, "127.0.0.1", resolve)));
  const { port } = /** @type {net.AddressInfo} */ (server.address());
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("integration: the demo names the part of the stack that stopped answering", function () {
  this.timeout(180_000);

  it("a Functions emulator that is gone: the failed step names it and its port", async () => {
    const stack = await sharedStack();
    const port = await deadPort();
    /** @type {string[]} */
    const lines = [];
    await assert.rejects(
      runDemo({ ports: { ...stack.ports, functions: port }, log: (line) => lines.push(line) }),
      (/** @type {Error} */ error) => {
        assert.match(error.message, /^step 2 "createAdmin .*" failed: functions\/internal: internal/);
        assert.match(
          error.message,
          new RegExp(`the Functions emulator \\(127\\.0\\.0\\.1:${port}\\) does not answer: the local stack stopped or crashed`),
        );
        return true;
      },
    );
    assert.match(lines.join("\n"), /1\. superAdmin .* signs in/);
  });

  it("a part that accepts connections but never answers: the step ends at its deadline and says which part", async () => {
    const stack = await sharedStack();
    const sockets = new Set();
    const silent = net.createServer((socket) => sockets.add(socket));
    await /** @type {Promise<void>} */ (new Promise((resolve) => silent.listen(0, "127.0.0.1", resolve)));
    try {
      const started = Date.now();
      await assert.rejects(
        runDemo({
          ports: { ...stack.ports, functions: /** @type {net.AddressInfo} */ (silent.address()).port },
          log: () => {},
          stepTimeoutMs: 4000,
        }),
        (/** @type {Error} */ error) => {
          assert.match(error.message, /^step 2 "createAdmin .*" failed: step 2 did not finish within 4 s/);
          assert.match(
            error.message,
            new RegExp(
              `the Functions emulator \\(127\\.0\\.0\\.1:${/** @type {net.AddressInfo} */ (silent.address()).port}\\) does not answer`,
            ),
          );
          return true;
        },
      );
      assert.ok(Date.now() - started < 30_000, "the deadline ended the step");
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});
