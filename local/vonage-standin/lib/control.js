// @ts-check
"use strict";

const { Router } = require("./router");
const { StandinError, isPlainObject } = require("./util");

// The control API (/_control/...): no auth, loopback only. Each route calls the same method
// the JS handle exposes, so tests in other processes (or curl) get identical behaviour.

/**
 * @param {unknown} body
 * @returns {import("./types").Body}
 */
function need(body) {
  if (!isPlainObject(body)) throw new StandinError(400, "Request body must be a JSON object");
  return body;
}

/**
 * @param {import("./types").VonageStandin} api
 * @returns {Router<import("./types").ControlContext>}
 */
function buildControlRouter(api) {
  /** @type {Router<import("./types").ControlContext>} */
  const r = new Router();
  const ok = (/** @type {unknown} */ body) => ({ status: 200, body });
  const created = (/** @type {unknown} */ body) => ({ status: 201, body });

  r.add("GET", "/_control/state", () => ok(api.state()));
  r.add("POST", "/_control/reset", () => {
    api.reset();
    return ok({ reset: true });
  });
  r.add("POST", "/_control/projects", ({ body }) => {
    const { apiKey, secret } = need(body);
    return created(api.addProject(apiKey, secret));
  });
  r.add("POST", "/_control/applications", ({ body }) => {
    const { applicationId, publicKey, privateKey, video } = need(body);
    return created(api.addApplication(applicationId, publicKey !== undefined ? publicKey : privateKey, { video }));
  });
  r.add("PUT", "/_control/callback", ({ body }) => ok(api.setCallback(need(body))));
  r.add("PUT", "/_control/options", ({ body }) => ok(api.setOptions(need(body))));

  r.add("GET", "/_control/faults", () => ok(api.state().faults));
  r.add("POST", "/_control/faults", ({ body }) => created(api.injectFault(need(body))));
  r.add("DELETE", "/_control/faults", () => {
    api.clearFaults();
    return { status: 204 };
  });

  // Sessions and simulated clients
  r.add("POST", "/_control/sessions", ({ body }) => created(api.createSession(need(body))));
  // One session's clients and streams (what a page showing simulated video tiles polls).
  r.add("GET", "/_control/sessions/:sessionId", ({ params }) => ok(api.sessionState(params.sessionId)));
  r.add("POST", "/_control/sessions/:sessionId/connections", ({ params, body }) =>
    created(api.connectClient(params.sessionId, need(body))),
  );
  r.add("DELETE", "/_control/sessions/:sessionId/connections/:connectionId", ({ params, query }) =>
    ok(api.leaveClient(params.connectionId, { reason: query.reason || undefined })),
  );
  r.add("DELETE", "/_control/connections/:connectionId", ({ params, query }) =>
    ok(api.leaveClient(params.connectionId, { reason: query.reason || undefined })),
  );
  // What a simulated client's SDK would hear: its connection's state and the signals sent to it.
  r.add("GET", "/_control/connections/:connectionId/events", ({ params, query }) =>
    ok(api.clientEvents(params.connectionId, { after: Number(query.after) || 0 })),
  );
  r.add("POST", "/_control/connections/:connectionId/streams", ({ params, body }) =>
    created(api.createStream(params.connectionId, need(body))),
  );
  r.add("DELETE", "/_control/streams/:streamId", ({ params, query }) =>
    ok(api.destroyStream(params.streamId, { reason: query.reason || undefined })),
  );
  r.add("POST", "/_control/archives/:archiveId/status", ({ params, body }) => {
    const { status, reason } = need(body);
    return ok(api.setArchiveStatus(params.archiveId, status, reason));
  });

  r.add("POST", "/_control/broadcasts/:broadcastId/status", ({ params, body }) =>
    ok(api.setBroadcastStatus(params.broadcastId, need(body).status)),
  );
  // Server rotation: the advance notice alone, or the rotation (see model.rotateSession).
  r.add("POST", "/_control/sessions/:sessionId/rotation-notice", ({ params }) => ok(api.notifyRotation(params.sessionId)));
  r.add("POST", "/_control/sessions/:sessionId/rotate", ({ params, body }) => ok(api.rotateSession(params.sessionId, body || {})));

  // Callbacks
  r.add("GET", "/_control/callbacks", () => ok(api.callbacks()));
  r.add("POST", "/_control/callbacks/hold", () => {
    api.holdCallbacks();
    return ok({ held: true });
  });
  r.add("POST", "/_control/callbacks/release", async ({ body }) => ok({ released: await api.releaseCallbacks(body || {}) }));
  r.add("POST", "/_control/callbacks/idle", async () => {
    await api.callbacksIdle();
    return ok({ idle: true });
  });
  r.add("POST", "/_control/callbacks/deliver", async ({ body }) => {
    const { seqs, sameToken } = need(body);
    if (!Array.isArray(seqs)) throw new StandinError(400, "seqs must be an array of callback seq numbers");
    return ok(await api.deliverCallbacks(seqs, { sameToken }));
  });
  r.add("POST", "/_control/callbacks/send", async ({ body }) => ok(await api.sendCallback(need(body))));
  r.add("POST", "/_control/callbacks/:seq/redeliver", async ({ params, body }) => ok(await api.redeliverCallback(params.seq, body || {})));

  return r;
}

module.exports = { buildControlRouter };
