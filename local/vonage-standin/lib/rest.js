// @ts-check
"use strict";

const { Router } = require("./router");
const { StandinError } = require("./util");

// The REST surface the opentok SDK calls. Handlers get {owner, params, query, body} (owner:
// the authenticated project or application) and return {status, body}. Authentication
// happens before routing (see index.js).

const P = "/v2/project/:ownerId"; // the API key, or the application id in Vonage mode

/** @param {unknown} body */
function ok(body) {
  return { status: 200, body };
}
const noContent = { status: 204 };

/**
 * @param {import("./model").Model} model
 * @returns {Router<import("./types").RestContext>}
 */
function buildRestRouter(model) {
  /** @type {Router<import("./types").RestContext>} */
  const r = new Router();

  r.add("POST", "/session/create", ({ owner, body }) => ok(model.createSession(owner, body)));

  // Archives
  r.add("POST", `${P}/archive`, ({ owner, body }) => ok(model.startArchive(owner, body)));
  r.add("GET", `${P}/archive`, ({ owner, query }) => ok(model.listArchives(owner, query)));
  r.add("GET", `${P}/archive/:archiveId`, ({ owner, params }) => ok(model.getArchive(owner, params.archiveId)));
  r.add("DELETE", `${P}/archive/:archiveId`, ({ owner, params }) => {
    model.deleteArchive(owner, params.archiveId);
    return noContent;
  });
  r.add("POST", `${P}/archive/:archiveId/stop`, ({ owner, params }) => ok(model.stopArchive(owner, params.archiveId)));
  r.add("PUT", `${P}/archive/:archiveId/layout`, ({ owner, params, body }) => {
    model.setArchiveLayout(owner, params.archiveId, body);
    return ok({});
  });
  r.add("PATCH", `${P}/archive/:archiveId/streams`, ({ owner, params, body }) => {
    model.patchArchiveStreams(owner, params.archiveId, body);
    return noContent;
  });

  // Broadcasts
  r.add("POST", `${P}/broadcast`, ({ owner, body }) => ok(model.startBroadcast(owner, body)));
  r.add("GET", `${P}/broadcast`, ({ owner, query }) => ok(model.listBroadcasts(owner, query)));
  r.add("GET", `${P}/broadcast/:broadcastId`, ({ owner, params }) => ok(model.getBroadcast(owner, params.broadcastId)));
  r.add("POST", `${P}/broadcast/:broadcastId/stop`, ({ owner, params }) => ok(model.stopBroadcast(owner, params.broadcastId)));
  r.add("PUT", `${P}/broadcast/:broadcastId/layout`, ({ owner, params, body }) => {
    model.setBroadcastLayout(owner, params.broadcastId, body);
    return ok({});
  });
  r.add("PATCH", `${P}/broadcast/:broadcastId/streams`, ({ owner, params, body }) => {
    model.patchBroadcastStreams(owner, params.broadcastId, body);
    return noContent;
  });

  // Signals and moderation
  r.add("POST", `${P}/session/:sessionId/signal`, ({ owner, params, body }) => {
    model.signal(owner, params.sessionId, null, body);
    return noContent;
  });
  r.add("POST", `${P}/session/:sessionId/connection/:connectionId/signal`, ({ owner, params, body }) => {
    model.signal(owner, params.sessionId, params.connectionId, body);
    return noContent;
  });
  r.add("DELETE", `${P}/session/:sessionId/connection/:connectionId`, ({ owner, params }) => {
    model.forceDisconnect(owner, params.sessionId, params.connectionId);
    return noContent;
  });

  // Streams
  r.add("GET", `${P}/session/:sessionId/stream`, ({ owner, params }) => ok(model.listStreams(owner, params.sessionId)));
  r.add("PUT", `${P}/session/:sessionId/stream`, ({ owner, params, body }) => {
    model.setStreamClassLists(owner, params.sessionId, body);
    return ok({});
  });
  r.add("GET", `${P}/session/:sessionId/stream/:streamId`, ({ owner, params }) =>
    ok(model.getStream(owner, params.sessionId, params.streamId)),
  );
  r.add("POST", `${P}/session/:sessionId/stream/:streamId/mute`, ({ owner, params }) =>
    ok(model.muteStream(owner, params.sessionId, params.streamId)),
  );
  r.add("POST", `${P}/session/:sessionId/mute`, ({ owner, params, body }) => ok(model.muteAll(owner, params.sessionId, body)));

  return r;
}

/** @param {string} pathname */
function notImplemented(pathname) {
  return new StandinError(501, `${pathname} is not implemented by the Vonage Video stand-in`);
}

module.exports = { buildRestRouter, notImplemented };
