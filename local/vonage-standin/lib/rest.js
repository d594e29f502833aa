'use strict';

const { Router } = require('./router');
const { StandinError } = require('./util');

// The REST surface the opentok SDK calls. Handlers get {project, params, query, body} and
// return {status, body}. Authentication happens before routing (see server.js).

const P = '/v2/project/:apiKey';

function ok(body) { return { status: 200, body }; }
const noContent = { status: 204 };

function buildRestRouter(model) {
  const r = new Router();

  r.add('POST', '/session/create', ({ project, body }) => ok(model.createSession(project, body)));

  // Archives
  r.add('POST', `${P}/archive`, ({ project, body }) => ok(model.startArchive(project, body)));
  r.add('GET', `${P}/archive`, ({ project, query }) => ok(model.listArchives(project, query)));
  r.add('GET', `${P}/archive/:archiveId`, ({ project, params }) => ok(model.getArchive(project, params.archiveId)));
  r.add('DELETE', `${P}/archive/:archiveId`, ({ project, params }) => {
    model.deleteArchive(project, params.archiveId);
    return noContent;
  });
  r.add('POST', `${P}/archive/:archiveId/stop`, ({ project, params }) => ok(model.stopArchive(project, params.archiveId)));
  r.add('PUT', `${P}/archive/:archiveId/layout`, ({ project, params, body }) => {
    model.setArchiveLayout(project, params.archiveId, body);
    return ok({});
  });
  r.add('PATCH', `${P}/archive/:archiveId/streams`, ({ project, params, body }) => {
    model.patchArchiveStreams(project, params.archiveId, body);
    return noContent;
  });

  // Broadcasts
  r.add('POST', `${P}/broadcast`, ({ project, body }) => ok(model.startBroadcast(project, body)));
  r.add('GET', `${P}/broadcast`, ({ project, query }) => ok(model.listBroadcasts(project, query)));
  r.add('GET', `${P}/broadcast/:broadcastId`, ({ project, params }) => ok(model.getBroadcast(project, params.broadcastId)));
  r.add('POST', `${P}/broadcast/:broadcastId/stop`, ({ project, params }) => ok(model.stopBroadcast(project, params.broadcastId)));
  r.add('PUT', `${P}/broadcast/:broadcastId/layout`, ({ project, params, body }) => {
    model.setBroadcastLayout(project, params.broadcastId, body);
    return ok({});
  });
  r.add('PATCH', `${P}/broadcast/:broadcastId/streams`, ({ project, params, body }) => {
    model.patchBroadcastStreams(project, params.broadcastId, body);
    return noContent;
  });

  // Signals and moderation
  r.add('POST', `${P}/session/:sessionId/signal`, ({ project, params, body }) => {
    model.signal(project, params.sessionId, null, body);
    return noContent;
  });
  r.add('POST', `${P}/session/:sessionId/connection/:connectionId/signal`, ({ project, params, body }) => {
    model.signal(project, params.sessionId, params.connectionId, body);
    return noContent;
  });
  r.add('DELETE', `${P}/session/:sessionId/connection/:connectionId`, ({ project, params }) => {
    model.forceDisconnect(project, params.sessionId, params.connectionId);
    return noContent;
  });

  // Streams
  r.add('GET', `${P}/session/:sessionId/stream`, ({ project, params }) => ok(model.listStreams(project, params.sessionId)));
  r.add('PUT', `${P}/session/:sessionId/stream`, ({ project, params, body }) => {
    model.setStreamClassLists(project, params.sessionId, body);
    return ok({});
  });
  r.add('GET', `${P}/session/:sessionId/stream/:streamId`, ({ project, params }) => ok(model.getStream(project, params.sessionId, params.streamId)));
  r.add('POST', `${P}/session/:sessionId/stream/:streamId/mute`, ({ project, params }) => ok(model.muteStream(project, params.sessionId, params.streamId)));
  r.add('POST', `${P}/session/:sessionId/mute`, ({ project, params, body }) => ok(model.muteAll(project, params.sessionId, body)));

  return r;
}

function notImplemented(pathname) {
  return new StandinError(501, `${pathname} is not implemented by the Vonage Video stand-in`);
}

module.exports = { buildRestRouter, notImplemented };
