// @ts-check
"use strict";

const net = require("node:net");
const { StandinError, isPlainObject, snapshot } = require("./util");
const { encodeSessionId, decodeSessionId, newId } = require("./ids");
const { makeProject, verifyClientToken, ROLES } = require("./auth");
const { makeApplication, ownerFields, checkOwner, noVideo } = require("./applications");

// In-memory model of one Vonage Video "account": owners (legacy projects and Vonage
// applications), sessions, simulated clients (connections and streams), archives, broadcasts
// and signals. Everything a session holds is keyed by its owner's id (ownerId, with ownerKind
// 'project' or 'application'); JSON answers and callbacks name it projectId or applicationId.
// REST handlers and the control API both call into this; every state change that Vonage
// reports by callback emits one.

/** @typedef {import("./types").Body} Body */
/** @typedef {import("./types").Query} Query */
/** @typedef {import("./types").Owner} Owner */
/** @typedef {import("./types").Session} Session */
/** @typedef {import("./types").Connection} Connection */
/** @typedef {import("./types").Stream} Stream */
/** @typedef {import("./types").Archive} Archive */
/** @typedef {import("./types").Broadcast} Broadcast */
/** @typedef {import("./types").Layout} Layout */
/** @typedef {import("./types").Timer} Timer */

const LAYOUT_TYPES = ["bestFit", "pip", "verticalPresentation", "horizontalPresentation", "custom"];
const RESOLUTIONS = ["640x480", "1280x720", "1920x1080", "480x640", "720x1280", "1080x1920"];
const ARCHIVE_ACTIVE = ["started", "paused"];
const ARCHIVE_STATUSES = ["started", "paused", "stopped", "uploaded", "available", "expired", "failed", "deleted"];
const VIDEO_TYPES = ["camera", "screen", "custom"];
const PUBLISH_ROLES = ["publisher", "publisheronly", "moderator"];
const MAX_RTMP = 5;

/** @param {string} message */
function bad(message) {
  return new StandinError(400, message);
}

/**
 * @param {unknown} value
 * @param {string} name
 * @param {boolean} dflt
 * @returns {boolean}
 */
function optBool(value, name, dflt) {
  if (value === undefined || value === null) return dflt;
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "false") return value === "true";
  throw bad(`${name} must be a boolean`);
}

/**
 * @overload
 * @param {unknown} layout
 * @returns {Layout}
 */
/**
 * @overload
 * @param {unknown} layout
 * @param {Layout | null} dflt what a missing layout is
 * @returns {Layout | null}
 */
/**
 * @param {unknown} layout
 * @param {Layout | null} [dflt]
 * @returns {Layout | null}
 */
function validateLayout(layout, dflt = { type: "bestFit" }) {
  if (layout === undefined || layout === null) return dflt;
  if (!isPlainObject(layout)) throw bad("layout must be an object");
  const type = layout.type === undefined ? "bestFit" : layout.type;
  if (!LAYOUT_TYPES.includes(type)) throw bad(`Invalid layout type "${type}"; expected one of ${LAYOUT_TYPES.join(", ")}`);
  /** @type {Layout} */
  const out = { type };
  if (type === "custom") {
    if (typeof layout.stylesheet !== "string" || !layout.stylesheet) throw bad("A custom layout requires a stylesheet");
    out.stylesheet = layout.stylesheet;
  } else if (layout.stylesheet) {
    throw bad("stylesheet is only allowed with the custom layout type");
  }
  if (layout.screenshareType !== undefined && layout.screenshareType !== null) {
    if (type !== "bestFit") throw bad("screenshareType requires layout type bestFit");
    if (!LAYOUT_TYPES.includes(layout.screenshareType) || layout.screenshareType === "custom") {
      throw bad(`Invalid screenshareType "${layout.screenshareType}"`);
    }
    out.screenshareType = layout.screenshareType;
  }
  return out;
}

/**
 * @template T
 * @param {T[]} items
 * @param {Query} query
 */
function pageOf(items, query) {
  const offset = query.offset === undefined || query.offset === null || query.offset === "" ? 0 : Number(query.offset);
  const count = query.count === undefined || query.count === null || query.count === "" ? 50 : Number(query.count);
  if (!Number.isInteger(offset) || offset < 0) throw bad("offset must be an integer >= 0");
  if (!Number.isInteger(count) || count < 0 || count > 1000) throw bad("count must be an integer between 0 and 1000");
  return { count: items.length, items: items.slice(offset, offset + count) };
}

class Model {
  // The runtime state, emptied by clear().
  /** @type {Map<string, Session>} */ sessions = new Map();
  /** @type {Map<string, Connection>} */ connections = new Map();
  /** @type {Map<string, string>} */ endedConnections = new Map(); // connections that ended: id -> reason
  /** @type {Map<string, Stream>} */ streams = new Map();
  /** @type {Map<string, Archive>} */ archives = new Map();
  /** @type {Map<string, Broadcast>} */ broadcasts = new Map();
  /** @type {import("./types").Signal[]} */ signals = [];
  seq = 0;

  /**
   * @param {import("./types").Options} options the live options (changed in place by setOptions)
   * @param {import("./callbacks").CallbackDispatcher} callbacks
   */
  constructor(options, callbacks) {
    this.options = options;
    this.callbacks = callbacks;
    /** @type {Map<string, import("./types").Project>} */
    this.projects = new Map();
    /** @type {Map<string, import("./types").Application>} */
    this.applications = new Map();
    this.baseUrl = "";
    /** @type {Set<Timer>} */
    this.timers = new Set();
    this.clear();
  }

  clear() {
    for (const t of this.timers || []) clearTimeout(t);
    this.timers = new Set();
    this.sessions = new Map();
    this.connections = new Map();
    // Connections that ended (id -> reason), bounded: a client leaving after the platform dropped it.
    this.endedConnections = new Map();
    this.streams = new Map();
    this.archives = new Map();
    this.broadcasts = new Map();
    this.signals = [];
    this.seq = 0; // creation order, for stable newest-first listings within one millisecond
  }

  /**
   * @param {number} ms
   * @param {() => void} fn
   */
  later(ms, fn) {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
    return t;
  }

  /** @param {Timer | null | undefined} t */
  cancel(t) {
    if (t) {
      clearTimeout(t);
      this.timers.delete(t);
    }
  }

  // ---- projects -------------------------------------------------------------------------

  /**
   * @param {unknown} apiKey
   * @param {unknown} secret
   */
  addProject(apiKey, secret) {
    const project = makeProject(apiKey, secret);
    if (this.applications.has(project.id)) throw new StandinError(409, `${project.id} is already an application id`);
    this.projects.set(project.apiKey, project);
    return { apiKey: project.apiKey };
  }

  // Adding an existing id again replaces its key and Video flag (key rotation, capability off).
  /**
   * @param {unknown} applicationId
   * @param {unknown} publicKey
   * @param {import("./types").ApplicationOptions} [opts]
   */
  addApplication(applicationId, publicKey, opts = {}) {
    const app = makeApplication(applicationId, publicKey, opts || {});
    if (this.projects.has(app.id)) throw new StandinError(409, `${app.id} is already a project API key`);
    this.applications.set(app.id, app);
    return { applicationId: app.id, video: app.video };
  }

  /**
   * @param {string} id
   * @returns {Owner | null}
   */
  owner(id) {
    return this.projects.get(id) || this.applications.get(id) || null;
  }

  applicationList() {
    return [...this.applications.values()].map((a) => ({ applicationId: a.id, video: a.video }));
  }

  // ---- sessions -------------------------------------------------------------------------

  /**
   * @param {Owner} owner
   * @param {Body} form
   */
  createSession(owner, form) {
    const archiveMode = form.archiveMode === undefined || form.archiveMode === "" ? "manual" : form.archiveMode;
    if (!["manual", "always"].includes(archiveMode)) throw bad('archiveMode must be "manual" or "always"');
    const p2p = form["p2p.preference"] === undefined || form["p2p.preference"] === "" ? "enabled" : form["p2p.preference"];
    if (!["enabled", "disabled"].includes(p2p)) throw bad('p2p.preference must be "enabled" or "disabled"');
    const mediaMode = p2p === "disabled" ? "routed" : "relayed";
    const location = form.location ? String(form.location) : "";
    if (location && !net.isIPv4(location)) throw bad("location must be an IPv4 address");
    const e2ee = optBool(form.e2ee, "e2ee", false);
    if (archiveMode === "always" && mediaMode !== "routed") {
      throw bad("A session with always archive mode must also have the routed media mode.");
    }
    if (e2ee && mediaMode !== "routed") throw bad("End-to-end encryption requires the routed media mode.");
    if (e2ee && archiveMode === "always") throw bad("End-to-end encrypted sessions cannot be archived.");
    const session = this.addSession(owner, { mediaMode, archiveMode, location, e2ee });
    const createDt = new Date(session.createdAt).toUTCString();
    return [
      {
        session_id: session.id,
        project_id: owner.id,
        partner_id: owner.id,
        ...(owner.kind === "application" ? { application_id: owner.id } : {}),
        create_dt: createDt,
        session_status: null,
        status_invalid: null,
        media_server_hostname: null,
        messaging_server_url: null,
        messaging_url: null,
        symphony_address: null,
        properties: null,
        ice_server: null,
        session_segment_id: newId(),
        ice_servers: null,
        ice_credential_expiration: 86100,
        media_server_url: "",
      },
    ];
  }

  /**
   * @param {Owner} owner
   * @param {import("./types").SessionSettings} settings
   */
  addSession(owner, { mediaMode, archiveMode, location, e2ee, adopted = false }) {
    /** @type {Session} */
    const session = {
      id: encodeSessionId(owner.id, location),
      ownerId: owner.id,
      ownerKind: owner.kind,
      mediaMode,
      archiveMode,
      location,
      e2ee,
      adopted,
      createdAt: Date.now(),
      connections: new Map(),
      streams: new Map(),
      forceMute: { active: false, excludedStreamIds: [] },
      emptyTimer: null,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  // Finds a session for a REST caller: 404 if unknown, 403 if it belongs to another owner.
  /**
   * @param {Owner | null} owner the REST caller (null: the control API)
   * @param {string} sessionId
   * @returns {Session}
   */
  sessionFor(owner, sessionId) {
    /** @type {Session | null | undefined} */
    let session = this.sessions.get(sessionId);
    if (!session && this.options.adoptUnknownSessions) session = this.adopt(sessionId);
    if (!session) throw new StandinError(404, "Session not found");
    if (owner && session.ownerId !== owner.id) {
      throw new StandinError(403, `The session belongs to another ${session.ownerKind === "application" ? "application" : "project"}`);
    }
    return session;
  }

  // With adoptUnknownSessions, a well-formed id of a known project or application that this
  // process never created (e.g. saved before a restart) is accepted as a routed, manually
  // archived session.
  /**
   * @param {string} sessionId
   * @returns {Session | null}
   */
  adopt(sessionId) {
    const decoded = decodeSessionId(sessionId);
    const owner = decoded && this.owner(decoded.ownerId);
    if (!decoded || !owner) return null;
    /** @type {Session} */
    const session = {
      id: sessionId,
      ownerId: owner.id,
      ownerKind: owner.kind,
      mediaMode: "routed",
      archiveMode: "manual",
      location: decoded.location || "",
      e2ee: false,
      adopted: true,
      createdAt: Date.now(),
      connections: new Map(),
      streams: new Map(),
      forceMute: { active: false, excludedStreamIds: [] },
      emptyTimer: null,
    };
    this.sessions.set(sessionId, session);
    return session;
  }

  /**
   * The session monitoring callback of one event.
   * @param {Session} session
   * @param {string} event
   * @param {Record<string, unknown>} extra
   */
  emitSession(session, event, extra) {
    this.callbacks.emit("session", {
      sessionId: session.id,
      ...ownerFields(session.ownerKind, session.ownerId),
      event,
      timestamp: Date.now(),
      ...extra,
    });
  }

  /**
   * The session of a connection, stream, archive or broadcast: it lives as long as they do (only
   * clear() removes sessions, and it removes them all).
   * @param {string} sessionId
   * @returns {Session}
   */
  knownSession(sessionId) {
    return /** @type {Session} */ (this.sessions.get(sessionId));
  }

  /** @param {Connection} conn */
  connectionInfo(conn) {
    return { id: conn.id, createdAt: conn.createdAt, data: conn.data };
  }

  // ---- simulated clients ----------------------------------------------------------------

  /**
   * @param {string} sessionId
   * @param {import("./types").ConnectOptions} [opts]
   */
  connectClient(sessionId, { token, data, role } = {}) {
    const session = this.sessionFor(null, sessionId);
    /** @type {import("./types").ClientAttributes} */
    let attrs;
    if (token !== undefined && token !== null) {
      attrs = verifyClientToken(token, sessionId, this, this.options.clockToleranceSec);
      if (attrs.ownerKind !== session.ownerKind || attrs.ownerId !== session.ownerId) {
        const article = attrs.ownerKind === "application" ? "an" : "a";
        const by = attrs.ownerKind === session.ownerKind ? `another ${attrs.ownerKind}` : `${article} ${attrs.ownerKind}`;
        throw new StandinError(403, `Token was generated by ${by}, not by the ${session.ownerKind} that owns the session`);
      }
      const app = session.ownerKind === "application" ? this.applications.get(session.ownerId) : null;
      if (app && !app.video) throw noVideo(app);
    } else {
      const r = role === undefined ? "publisher" : role;
      if (!ROLES.includes(r)) throw bad(`role must be one of ${ROLES.join(", ")}`);
      if (data !== undefined && typeof data !== "string") throw bad("data must be a string");
      attrs = { role: r, data: data || "", initialLayoutClassList: [], expireTime: null, tokenKind: "none" };
    }
    /** @type {Connection} */
    const conn = {
      id: newId(),
      sessionId,
      ownerId: session.ownerId,
      ownerKind: session.ownerKind,
      createdAt: Date.now(),
      data: attrs.data,
      role: attrs.role,
      via: attrs.tokenKind,
      initialLayoutClassList: attrs.initialLayoutClassList,
      tokenExpireTime: attrs.expireTime,
    };
    this.connections.set(conn.id, conn);
    session.connections.set(conn.id, conn);
    this.cancel(session.emptyTimer);
    session.emptyTimer = null;
    this.emitSession(session, "connectionCreated", { connection: this.connectionInfo(conn) });
    return this.connectionJson(conn);
  }

  /** @param {Connection} conn */
  connectionJson(conn) {
    return {
      connectionId: conn.id,
      sessionId: conn.sessionId,
      ...ownerFields(conn.ownerKind, conn.ownerId),
      createdAt: conn.createdAt,
      data: conn.data,
      role: conn.role,
      via: conn.via,
      streams: [...this.streams.values()].filter((s) => s.connectionId === conn.id).map((s) => s.id),
    };
  }

  /** @param {string} connectionId */
  getConnection(connectionId) {
    const conn = this.connections.get(connectionId);
    if (!conn) throw new StandinError(404, "Connection not found");
    return conn;
  }

  /**
   * @param {string} connectionId
   * @param {import("./types").ReasonOptions} [opts]
   */
  disconnectClient(connectionId, { reason = "clientDisconnected" } = {}) {
    const conn = this.getConnection(connectionId);
    const session = this.knownSession(conn.sessionId);
    for (const stream of [...session.streams.values()]) {
      if (stream.connectionId === conn.id) this.destroyStream(stream.id, { reason });
    }
    this.connections.delete(conn.id);
    session.connections.delete(conn.id);
    this.endedConnections.set(conn.id, reason);
    if (this.endedConnections.size > 10_000)
      this.endedConnections.delete(/** @type {string} */ (this.endedConnections.keys().next().value));
    this.emitSession(session, "connectionDestroyed", { reason, connection: this.connectionInfo(conn) });
    if (session.connections.size === 0) this.onSessionEmpty(session);
    return { connectionId: conn.id, reason };
  }

  /**
   * A simulated client leaves (its SDK's `disconnect()`). As with the client SDK, leaving a connection
   * the platform already ended (force-disconnected, session gone) is a no-op, not an error; an id that
   * never existed is still 404.
   * @param {string} connectionId
   * @param {import("./types").ReasonOptions} [opts]
   */
  leaveClient(connectionId, { reason = "clientDisconnected" } = {}) {
    if (!this.connections.has(connectionId) && this.endedConnections.has(connectionId))
      return { connectionId, reason: this.endedConnections.get(connectionId), alreadyDisconnected: true };
    return this.disconnectClient(connectionId, { reason });
  }

  /**
   * @param {string} connectionId
   * @param {import("./types").StreamOptions} [opts]
   */
  createStream(connectionId, { name = "", videoType = "camera", hasAudio = true, hasVideo = true } = {}) {
    const conn = this.getConnection(connectionId);
    if (!PUBLISH_ROLES.includes(conn.role)) {
      throw new StandinError(403, `A client with role "${conn.role}" cannot publish`);
    }
    if (!VIDEO_TYPES.includes(videoType)) throw bad(`videoType must be one of ${VIDEO_TYPES.join(", ")}`);
    if (typeof name !== "string") throw bad("name must be a string");
    const session = this.knownSession(conn.sessionId);
    const fm = session.forceMute;
    /** @type {Stream} */
    const stream = {
      id: newId(),
      sessionId: session.id,
      connectionId: conn.id,
      createdAt: Date.now(),
      name,
      videoType,
      hasAudio: Boolean(hasAudio),
      hasVideo: Boolean(hasVideo),
      layoutClassList: conn.initialLayoutClassList.slice(),
      audioMuted: false,
    };
    this.streams.set(stream.id, stream);
    session.streams.set(stream.id, stream);
    this.emitSession(session, "streamCreated", { stream: this.streamCallbackJson(stream) });
    if (fm.active && !fm.excludedStreamIds.includes(stream.id)) stream.audioMuted = true;
    this.onStreamsChanged(session, stream);
    return this.streamJson(stream);
  }

  /** @param {Stream} stream */
  streamCallbackJson(stream) {
    const conn = this.connections.get(stream.connectionId);
    return {
      id: stream.id,
      connection: conn ? this.connectionInfo(conn) : { id: stream.connectionId },
      createdAt: stream.createdAt,
      name: stream.name,
      videoType: stream.videoType,
    };
  }

  /** @param {Stream} stream */
  streamJson(stream) {
    return {
      id: stream.id,
      videoType: stream.videoType,
      name: stream.name,
      layoutClassList: stream.layoutClassList,
    };
  }

  /**
   * @param {string} streamId
   * @param {import("./types").ReasonOptions} [opts]
   */
  destroyStream(streamId, { reason = "clientDisconnected" } = {}) {
    const stream = this.streams.get(streamId);
    if (!stream) throw new StandinError(404, "Stream not found");
    const session = this.knownSession(stream.sessionId);
    const payload = this.streamCallbackJson(stream);
    this.streams.delete(stream.id);
    session.streams.delete(stream.id);
    this.emitSession(session, "streamDestroyed", { reason, stream: payload });
    this.onStreamsChanged(session, null);
    return { streamId, reason };
  }

  // Archives pause while nobody publishes and resume when someone does; an "always" session
  // starts its automatic archive with the first published stream.
  /**
   * @param {Session} session
   * @param {Stream | null} newStream the stream just published, if that is the change
   */
  onStreamsChanged(session, newStream) {
    const publishing = session.streams.size > 0;
    for (const a of this.archives.values()) {
      if (a.sessionId !== session.id) continue;
      if (a.status === "started" && !publishing) this.setArchiveStatusInternal(a, "paused");
      else if (a.status === "paused" && publishing) this.setArchiveStatusInternal(a, "started");
    }
    if (newStream && session.archiveMode === "always") {
      const autoRunning = [...this.archives.values()].some(
        (a) => a.sessionId === session.id && ARCHIVE_ACTIVE.includes(a.status) && a.multiArchiveTag === null,
      );
      if (!autoRunning) this.createArchive(session, { auto: true });
    }
  }

  // Real archives and broadcasts stop some time after the last client leaves (60 s on the
  // platform); emptySessionStopMs makes that testable.
  /** @param {Session} session */
  onSessionEmpty(session) {
    const active = () =>
      [...this.archives.values()].some((a) => a.sessionId === session.id && ARCHIVE_ACTIVE.includes(a.status)) ||
      [...this.broadcasts.values()].some((b) => b.sessionId === session.id && b.status === "started");
    if (!active() || this.options.emptySessionStopMs < 0) return;
    session.emptyTimer = this.later(this.options.emptySessionStopMs, () => {
      session.emptyTimer = null;
      if (session.connections.size > 0) return;
      for (const a of this.archives.values()) {
        if (a.sessionId === session.id && ARCHIVE_ACTIVE.includes(a.status))
          this.stopArchiveInternal(a, "session ended: all clients disconnected");
      }
      for (const b of this.broadcasts.values()) {
        if (b.sessionId === session.id && b.status === "started") this.stopBroadcastInternal(b);
      }
    });
  }

  // ---- archives -------------------------------------------------------------------------

  /** @param {Archive} a */
  archiveJson(a) {
    /** @type {Record<string, unknown>} */
    const out = {
      id: a.id,
      sessionId: a.sessionId,
      ...ownerFields(a.ownerKind, a.ownerId),
      createdAt: a.createdAt,
      updatedAt: a.updatedAt,
      name: a.name,
      status: a.status,
      duration: a.duration,
      size: a.size,
      url: a.url,
      reason: a.reason,
      outputMode: a.outputMode,
      hasAudio: a.hasAudio,
      hasVideo: a.hasVideo,
      streamMode: a.streamMode,
      streams: a.streams.map((s) => ({ ...s })),
      sha256sum: a.sha256sum,
      password: "",
    };
    if (a.outputMode === "composed") out.resolution = a.resolution;
    if (a.maxBitrate !== undefined) out.maxBitrate = a.maxBitrate;
    if (a.quantizationParameter !== undefined) out.quantizationParameter = a.quantizationParameter;
    return out;
  }

  /** @param {Archive} a */
  emitArchive(a) {
    // Legacy projects: partnerId as before; applications: the archive JSON's applicationId.
    const partner = a.ownerKind === "project" ? { partnerId: a.ownerId } : {};
    this.callbacks.emit("archive", { ...this.archiveJson(a), event: "archive", ...partner });
  }

  /**
   * @param {Archive} a
   * @param {string} status
   * @param {string} [reason]
   */
  setArchiveStatusInternal(a, status, reason) {
    a.status = status;
    a.updatedAt = Date.now();
    if (reason !== undefined) a.reason = reason;
    this.emitArchive(a);
  }

  /**
   * @param {Owner | null} owner the REST caller (null: the control API)
   * @param {string} archiveId
   */
  findArchive(owner, archiveId) {
    const a = this.archives.get(archiveId);
    if (!a || a.status === "deleted") throw new StandinError(404, "Archive not found");
    checkOwner(owner, a, "Archive");
    return a;
  }

  /**
   * @param {Owner} owner
   * @param {Body} body
   */
  startArchive(owner, body) {
    if (!isPlainObject(body)) throw bad("Request body must be a JSON object");
    if (!body.sessionId || typeof body.sessionId !== "string") throw bad("sessionId is required");
    const session = this.sessionFor(owner, body.sessionId);
    return this.archiveJson(this.createArchive(session, body));
  }

  /**
   * @param {Session} session
   * @param {Body} body
   * @returns {Archive}
   */
  createArchive(session, body) {
    const auto = body.auto === true;
    const hasAudio = optBool(body.hasAudio, "hasAudio", true);
    const hasVideo = optBool(body.hasVideo, "hasVideo", true);
    if (!hasAudio && !hasVideo) throw bad("An archive needs audio, video or both");
    const outputMode = body.outputMode === undefined ? "composed" : body.outputMode;
    if (!["composed", "individual"].includes(outputMode)) throw bad('outputMode must be "composed" or "individual"');
    const streamMode = body.streamMode === undefined ? "auto" : body.streamMode;
    if (!["auto", "manual"].includes(streamMode)) throw bad('streamMode must be "auto" or "manual"');
    if (body.resolution !== undefined && !RESOLUTIONS.includes(body.resolution)) {
      throw bad(`resolution must be one of ${RESOLUTIONS.join(", ")}`);
    }
    if (outputMode === "individual" && (body.resolution !== undefined || body.layout !== undefined)) {
      throw bad("resolution and layout apply to composed archives only");
    }
    if (body.maxBitrate !== undefined && body.quantizationParameter !== undefined) {
      throw bad("maxBitrate and quantizationParameter are mutually exclusive");
    }
    if (body.name !== undefined && body.name !== null && typeof body.name !== "string") throw bad("name must be a string");
    const layout = outputMode === "composed" ? validateLayout(body.layout) : null;
    const tag = body.multiArchiveTag === undefined || body.multiArchiveTag === null ? null : String(body.multiArchiveTag);
    if (session.mediaMode !== "routed") {
      throw new StandinError(409, "The session does not use the Media Router (relayed sessions cannot be archived)");
    }
    if (session.e2ee) throw new StandinError(409, "End-to-end encrypted sessions cannot be archived");
    if (!auto && this.options.requireClientForArchive && session.connections.size === 0) {
      throw new StandinError(404, "No clients are actively connected to the session");
    }
    const clash = [...this.archives.values()].find(
      (a) => a.sessionId === session.id && ARCHIVE_ACTIVE.includes(a.status) && a.multiArchiveTag === tag,
    );
    if (clash) {
      throw new StandinError(
        409,
        tag
          ? `An archive with multiArchiveTag "${tag}" is already recording this session`
          : "The session is already being recorded (use a distinct multiArchiveTag for simultaneous archives)",
      );
    }
    const now = Date.now();
    /** @type {Archive} */
    const a = {
      seq: ++this.seq,
      id: newId(),
      sessionId: session.id,
      ownerId: session.ownerId,
      ownerKind: session.ownerKind,
      createdAt: now,
      updatedAt: now,
      name: typeof body.name === "string" ? body.name : null,
      status: "started",
      duration: 0,
      size: 0,
      url: null,
      reason: "",
      outputMode,
      resolution: outputMode === "composed" ? body.resolution || "640x480" : undefined,
      hasAudio,
      hasVideo,
      streamMode,
      streams: [],
      layout,
      multiArchiveTag: tag,
      auto,
      sha256sum: null,
      maxBitrate: body.maxBitrate,
      quantizationParameter: body.quantizationParameter,
      readyTimer: null,
    };
    this.archives.set(a.id, a);
    this.emitArchive(a);
    return a;
  }

  /**
   * @param {Owner} owner
   * @param {string} archiveId
   */
  stopArchive(owner, archiveId) {
    const a = this.findArchive(owner, archiveId);
    if (!ARCHIVE_ACTIVE.includes(a.status)) {
      throw new StandinError(409, `Archive is not in progress (status "${a.status}")`);
    }
    this.stopArchiveInternal(a, "user initiated");
    return this.archiveJson(a);
  }

  /**
   * @param {Archive} a
   * @param {string} reason
   */
  stopArchiveInternal(a, reason) {
    const now = Date.now();
    a.duration = Math.max(0, Math.round((now - a.createdAt) / 1000));
    this.setArchiveStatusInternal(a, "stopped", reason);
    // The platform uploads the file shortly after stopping; mimic that with a short delay.
    a.readyTimer = this.later(this.options.archiveReadyMs, () => {
      a.readyTimer = null;
      if (a.status !== "stopped") return;
      a.size = 1024 + a.duration * 125000;
      a.sha256sum = null;
      const final = this.options.archiveFinalStatus === "uploaded" ? "uploaded" : "available";
      if (final === "available") {
        a.url = `${this.baseUrl}/_media/archives/${a.id}/${a.outputMode === "individual" ? "archive.zip" : "archive.mp4"}`;
      }
      this.setArchiveStatusInternal(a, final);
    });
  }

  /**
   * @param {Owner} owner
   * @param {string} archiveId
   */
  getArchive(owner, archiveId) {
    return this.archiveJson(this.findArchive(owner, archiveId));
  }

  /**
   * @param {Owner} owner
   * @param {Query} query
   */
  listArchives(owner, query) {
    const items = [...this.archives.values()]
      .filter((a) => a.ownerId === owner.id && a.status !== "deleted" && (!query.sessionId || a.sessionId === query.sessionId))
      .sort((x, y) => y.seq - x.seq)
      .map((a) => this.archiveJson(a));
    return pageOf(items, query);
  }

  /**
   * @param {Owner} owner
   * @param {string} archiveId
   */
  deleteArchive(owner, archiveId) {
    const a = this.findArchive(owner, archiveId);
    if (!["available", "uploaded", "expired", "failed"].includes(a.status)) {
      throw new StandinError(409, `Only archives that are available or uploaded can be deleted (status "${a.status}")`);
    }
    this.cancel(a.readyTimer);
    this.archives.delete(a.id);
  }

  /**
   * @param {Owner} owner
   * @param {string} archiveId
   * @param {Body} body
   */
  setArchiveLayout(owner, archiveId, body) {
    const a = this.findArchive(owner, archiveId);
    if (a.outputMode !== "composed") throw bad("Layouts apply to composed archives only");
    if (!ARCHIVE_ACTIVE.includes(a.status)) throw new StandinError(409, "Archive is not in progress");
    a.layout = validateLayout(body, null) || { type: "bestFit" };
    a.updatedAt = Date.now();
  }

  /**
   * @param {Archive | Broadcast} target
   * @param {Session} session
   * @param {Body} body
   */
  patchStreams(target, session, body) {
    if (!isPlainObject(body)) throw bad("Request body must be a JSON object");
    if (body.addStream && body.removeStream) throw bad("Use either addStream or removeStream");
    if (!body.addStream && !body.removeStream) throw bad("addStream or removeStream is required");
    if (target.streamMode !== "manual") throw new StandinError(405, "Stream mode is not manual");
    const id = body.addStream || body.removeStream;
    if (body.addStream) {
      if (!session.streams.has(id)) throw new StandinError(404, "Stream not found in the session");
      /** @type {import("./types").StreamEntry} */
      const entry = {
        streamId: id,
        hasAudio: optBool(body.hasAudio, "hasAudio", true),
        hasVideo: optBool(body.hasVideo, "hasVideo", true),
      };
      target.streams = target.streams.filter((s) => s.streamId !== id).concat(entry);
    } else {
      if (!target.streams.some((s) => s.streamId === id)) throw new StandinError(404, "Stream not found in the archive or broadcast");
      target.streams = target.streams.filter((s) => s.streamId !== id);
    }
    target.updatedAt = Date.now();
  }

  /**
   * @param {Owner} owner
   * @param {string} archiveId
   * @param {Body} body
   */
  patchArchiveStreams(owner, archiveId, body) {
    const a = this.findArchive(owner, archiveId);
    if (!ARCHIVE_ACTIVE.includes(a.status)) throw new StandinError(409, "Archive is not in progress");
    this.patchStreams(a, this.knownSession(a.sessionId), body);
  }

  // Control: force any archive status (e.g. "failed", "expired") to test the backend's handling.
  /**
   * @param {string} archiveId
   * @param {string} status
   * @param {string} [reason]
   */
  forceArchiveStatus(archiveId, status, reason) {
    const a = this.findArchive(null, archiveId);
    if (!ARCHIVE_STATUSES.includes(status) || status === "deleted") throw bad(`status must be one of ${ARCHIVE_STATUSES.join(", ")}`);
    this.cancel(a.readyTimer);
    a.readyTimer = null;
    if (status === "available" && !a.url) a.url = `${this.baseUrl}/_media/archives/${a.id}/archive.mp4`;
    if (status !== "available") a.url = null;
    this.setArchiveStatusInternal(a, status, reason === undefined ? a.reason : reason);
    return this.archiveJson(a);
  }

  // ---- server rotation ------------------------------------------------------------------

  // Control: the advance notice of a media server rotation (the platform sends it 4 h and again
  // 1 h before). Nothing stops yet.
  /** @param {string} sessionId */
  notifyRotation(sessionId) {
    const session = this.sessionFor(null, sessionId);
    this.emitSession(session, "sessionNotification", {});
    return { sessionId: session.id, notified: true };
  }

  // Control: the rotation itself. Connections move to the new server (session migration keeps the
  // session id, so the stand-in keeps its simulated clients); archives and broadcasts do not survive
  // it: each ends with `status` ("stopped", as Vonage's own app observes for archives, or
  // "failed"). `order: "sessionFirst"` (default) sends `sessionDestroyed` (reason serverRotation)
  // before the archive and broadcast callbacks, "resourcesFirst" after them; `notify` sends a
  // `sessionNotification` first.
  /**
   * @param {string} sessionId
   * @param {import("./types").RotationOptions} [opts]
   */
  rotateSession(sessionId, { status = "stopped", order = "sessionFirst", notify = false } = {}) {
    const session = this.sessionFor(null, sessionId);
    if (!["stopped", "failed"].includes(status)) throw bad('status must be "stopped" or "failed"');
    if (!["sessionFirst", "resourcesFirst"].includes(order)) throw bad('order must be "sessionFirst" or "resourcesFirst"');
    if (typeof notify !== "boolean") throw bad("notify must be a boolean");
    if (notify) this.emitSession(session, "sessionNotification", {});
    const destroyed = () => this.emitSession(session, "sessionDestroyed", { reason: "serverRotation" });
    if (order === "sessionFirst") destroyed();
    /** @type {string[]} */
    const archives = [];
    for (const a of this.archives.values()) {
      if (a.sessionId !== session.id || !ARCHIVE_ACTIVE.includes(a.status)) continue;
      if (status === "failed") this.failArchive(a, "server rotation");
      else this.stopArchiveInternal(a, "session ended: server rotation");
      archives.push(a.id);
    }
    /** @type {string[]} */
    const broadcasts = [];
    for (const b of this.broadcasts.values()) {
      if (b.sessionId !== session.id || b.status !== "started") continue;
      this.stopBroadcastInternal(b, status);
      broadcasts.push(b.id);
    }
    if (order === "resourcesFirst") destroyed();
    return { sessionId: session.id, status, archives, broadcasts };
  }

  /**
   * @param {Archive} a
   * @param {string} reason
   */
  failArchive(a, reason) {
    this.cancel(a.readyTimer);
    a.readyTimer = null;
    a.url = null;
    a.duration = Math.max(0, Math.round((Date.now() - a.createdAt) / 1000));
    this.setArchiveStatusInternal(a, "failed", reason);
  }

  // Control: end one running broadcast as the platform would on a failure ("failed") or on its own
  // ("stopped"), with its callback.
  /**
   * @param {string} broadcastId
   * @param {string} status
   */
  forceBroadcastStatus(broadcastId, status) {
    const b = this.findBroadcast(null, broadcastId);
    if (!["stopped", "failed"].includes(status)) throw bad('status must be "stopped" or "failed"');
    if (b.status !== "started") throw new StandinError(409, `The broadcast is not running (status "${b.status}")`);
    this.stopBroadcastInternal(b, status);
    return this.broadcastJson(b);
  }

  // ---- broadcasts -----------------------------------------------------------------------

  /** @param {Broadcast} b */
  broadcastJson(b) {
    /** @type {{ hls?: string | null, hlsStatus?: string | null, rtmp?: import("./types").RtmpTarget[] }} */
    const urls = {};
    if (b.hls) {
      urls.hls = b.hlsUrl;
      urls.hlsStatus = b.hlsStatus;
    }
    if (b.rtmp) urls.rtmp = b.rtmp.map((r) => ({ ...r }));
    /** @type {Record<string, unknown>} */
    const out = {
      id: b.id,
      sessionId: b.sessionId,
      ...ownerFields(b.ownerKind, b.ownerId),
      createdAt: b.createdAt,
      updatedAt: b.updatedAt,
      resolution: b.resolution,
      status: b.status,
      maxDuration: b.maxDuration,
      streamMode: b.streamMode,
      hasAudio: b.hasAudio,
      hasVideo: b.hasVideo,
      broadcastUrls: urls,
      settings: b.hls ? { hls: { ...b.hls } } : {},
      streams: b.streams.map((s) => ({ ...s })),
    };
    if (b.multiBroadcastTag !== null) out.multiBroadcastTag = b.multiBroadcastTag;
    if (b.maxBitrate !== undefined) out.maxBitrate = b.maxBitrate;
    return out;
  }

  /** @param {Broadcast} b */
  emitBroadcast(b) {
    const partner = b.ownerKind === "project" ? { partnerId: b.ownerId } : {};
    this.callbacks.emit("broadcast", { ...this.broadcastJson(b), event: "broadcast", ...partner });
  }

  /**
   * @param {Owner | null} owner the REST caller (null: the control API)
   * @param {string} broadcastId
   */
  findBroadcast(owner, broadcastId) {
    const b = this.broadcasts.get(broadcastId);
    if (!b) throw new StandinError(404, "Broadcast not found");
    checkOwner(owner, b, "Broadcast");
    return b;
  }

  /**
   * @param {unknown} outputs
   * @returns {{ hls: import("./types").HlsSettings | null, rtmp: import("./types").RtmpTarget[] | null }}
   */
  validateOutputs(outputs) {
    if (!isPlainObject(outputs)) throw bad("outputs must be an object with hls and/or rtmp");
    const { hls, rtmp } = outputs;
    if (hls === undefined && rtmp === undefined) throw bad("outputs must include hls and/or rtmp");
    /** @type {import("./types").HlsSettings | null} */
    let hlsOut = null;
    if (hls !== undefined) {
      if (!isPlainObject(hls)) throw bad("outputs.hls must be an object");
      hlsOut = { dvr: optBool(hls.dvr, "outputs.hls.dvr", false), lowLatency: optBool(hls.lowLatency, "outputs.hls.lowLatency", false) };
      if (hlsOut.dvr && hlsOut.lowLatency) throw bad("outputs.hls cannot set both dvr and lowLatency");
    }
    /** @type {import("./types").RtmpTarget[] | null} */
    let rtmpOut = null;
    if (rtmp !== undefined) {
      if (!Array.isArray(rtmp)) throw bad("outputs.rtmp must be an array");
      if (rtmp.length > MAX_RTMP) throw bad(`At most ${MAX_RTMP} RTMP outputs are allowed`);
      /** @type {Set<string>} */
      const ids = new Set();
      rtmpOut = rtmp.map((/** @type {unknown} */ r, /** @type {number} */ i) => {
        if (!isPlainObject(r)) throw bad(`outputs.rtmp[${i}] must be an object`);
        if (typeof r.serverUrl !== "string" || !/^rtmps?:\/\/\S+$/.test(r.serverUrl)) {
          throw bad(`outputs.rtmp[${i}].serverUrl must be an rtmp:// or rtmps:// URL`);
        }
        if (typeof r.streamName !== "string" || !r.streamName) throw bad(`outputs.rtmp[${i}].streamName is required`);
        const id = r.id === undefined || r.id === null ? "" : String(r.id);
        if (id && ids.has(id)) throw bad(`Duplicate rtmp id "${id}"`);
        if (id) ids.add(id);
        return { id, serverUrl: r.serverUrl, streamName: r.streamName, status: "connecting" };
      });
    }
    if (!hlsOut && (!rtmpOut || rtmpOut.length === 0)) throw bad("outputs must include hls and/or at least one rtmp target");
    return { hls: hlsOut, rtmp: rtmpOut };
  }

  /**
   * @param {Owner} owner
   * @param {Body} body
   */
  startBroadcast(owner, body) {
    if (!isPlainObject(body)) throw bad("Request body must be a JSON object");
    if (!body.sessionId || typeof body.sessionId !== "string") throw bad("sessionId is required");
    const session = this.sessionFor(owner, body.sessionId);
    const { hls, rtmp } = this.validateOutputs(body.outputs);
    const maxDuration = body.maxDuration === undefined ? 14400 : Number(body.maxDuration);
    if (!Number.isInteger(maxDuration) || maxDuration < 60 || maxDuration > 36000) {
      throw bad("maxDuration must be an integer between 60 and 36000 seconds");
    }
    if (body.resolution !== undefined && !RESOLUTIONS.includes(body.resolution)) {
      throw bad(`resolution must be one of ${RESOLUTIONS.join(", ")}`);
    }
    const streamMode = body.streamMode === undefined ? "auto" : body.streamMode;
    if (!["auto", "manual"].includes(streamMode)) throw bad('streamMode must be "auto" or "manual"');
    const layout = validateLayout(body.layout);
    const hasAudio = optBool(body.hasAudio, "hasAudio", true);
    const hasVideo = optBool(body.hasVideo, "hasVideo", true);
    if (!hasAudio && !hasVideo) throw bad("A broadcast needs audio, video or both");
    const tag = body.multiBroadcastTag === undefined || body.multiBroadcastTag === null ? null : String(body.multiBroadcastTag);
    if (session.mediaMode !== "routed") {
      throw new StandinError(409, "The session does not use the Media Router (relayed sessions cannot be broadcast)");
    }
    if (session.e2ee) throw new StandinError(409, "End-to-end encrypted sessions cannot be broadcast");
    if (this.options.requireClientForBroadcast && session.connections.size === 0) {
      throw bad("The session has no connected clients");
    }
    const clash = [...this.broadcasts.values()].find(
      (b) => b.sessionId === session.id && b.status === "started" && b.multiBroadcastTag === tag,
    );
    if (clash) {
      throw new StandinError(
        409,
        tag
          ? `A broadcast with multiBroadcastTag "${tag}" is already running for this session`
          : "The broadcast has already started for the session (use a distinct multiBroadcastTag for simultaneous broadcasts)",
      );
    }
    const now = Date.now();
    const id = newId();
    /** @type {Broadcast} */
    const b = {
      seq: ++this.seq,
      id,
      sessionId: session.id,
      ownerId: session.ownerId,
      ownerKind: session.ownerKind,
      createdAt: now,
      updatedAt: now,
      resolution: body.resolution || "640x480",
      status: "started",
      maxDuration,
      maxBitrate: body.maxBitrate,
      streamMode,
      hasAudio,
      hasVideo,
      layout,
      hls,
      hlsUrl: hls ? `${this.baseUrl}/_media/hls/${id}/index.m3u8` : null,
      hlsStatus: hls ? "connecting" : null,
      rtmp,
      streams: [],
      multiBroadcastTag: tag,
      timers: [],
    };
    this.broadcasts.set(id, b);
    // Outputs go from "connecting" to "live" shortly after the start, as on the platform.
    b.timers.push(
      this.later(this.options.broadcastLiveMs, () => {
        if (b.status !== "started") return;
        if (b.rtmp) for (const r of b.rtmp) r.status = "live";
        if (b.hls) b.hlsStatus = "live";
        b.updatedAt = Date.now();
      }),
    );
    b.timers.push(
      this.later(maxDuration * 1000, () => {
        if (b.status === "started") this.stopBroadcastInternal(b);
      }),
    );
    this.emitBroadcast(b);
    return this.broadcastJson(b);
  }

  /**
   * @param {Owner} owner
   * @param {string} broadcastId
   */
  stopBroadcast(owner, broadcastId) {
    const b = this.findBroadcast(owner, broadcastId);
    if (b.status !== "started") throw new StandinError(409, "The broadcast is already stopped");
    this.stopBroadcastInternal(b);
    return this.broadcastJson(b);
  }

  /**
   * @param {Broadcast} b
   * @param {string} [status]
   */
  stopBroadcastInternal(b, status = "stopped") {
    for (const t of b.timers) this.cancel(t);
    b.timers = [];
    b.status = status;
    b.updatedAt = Date.now();
    if (b.rtmp) for (const r of b.rtmp) r.status = "offline";
    if (b.hls) b.hlsStatus = "ended";
    this.emitBroadcast(b);
  }

  /**
   * @param {Owner} owner
   * @param {string} broadcastId
   */
  getBroadcast(owner, broadcastId) {
    return this.broadcastJson(this.findBroadcast(owner, broadcastId));
  }

  /**
   * @param {Owner} owner
   * @param {Query} query
   */
  listBroadcasts(owner, query) {
    const items = [...this.broadcasts.values()]
      .filter((b) => b.ownerId === owner.id && (!query.sessionId || b.sessionId === query.sessionId))
      .sort((x, y) => y.seq - x.seq)
      .map((b) => this.broadcastJson(b));
    return pageOf(items, query);
  }

  /**
   * @param {Owner} owner
   * @param {string} broadcastId
   * @param {Body} body
   */
  setBroadcastLayout(owner, broadcastId, body) {
    const b = this.findBroadcast(owner, broadcastId);
    if (b.status !== "started") throw new StandinError(409, "The broadcast is not running");
    b.layout = validateLayout(body, null) || { type: "bestFit" };
    b.updatedAt = Date.now();
  }

  /**
   * @param {Owner} owner
   * @param {string} broadcastId
   * @param {Body} body
   */
  patchBroadcastStreams(owner, broadcastId, body) {
    const b = this.findBroadcast(owner, broadcastId);
    if (b.status !== "started") throw new StandinError(409, "The broadcast is not running");
    this.patchStreams(b, this.knownSession(b.sessionId), body);
  }

  // ---- signals, moderation, streams -----------------------------------------------------

  /**
   * @param {Owner} owner
   * @param {string} sessionId
   * @param {string | null} connectionId one recipient, or null for every client of the session
   * @param {Body} body
   */
  signal(owner, sessionId, connectionId, body) {
    const session = this.sessionFor(owner, sessionId);
    /** @type {string[]} */
    let recipients;
    if (connectionId) {
      const conn = session.connections.get(connectionId);
      if (!conn) throw new StandinError(404, "Connection not found");
      recipients = [conn.id];
    } else {
      recipients = [...session.connections.keys()];
    }
    if (!isPlainObject(body)) throw bad("Request body must be a JSON object");
    const type = body.type === undefined || body.type === null ? "" : body.type;
    if (typeof type !== "string" || !/^[A-Za-z0-9_~-]*$/.test(type)) throw bad('type must contain only letters, digits, "-", "_" and "~"');
    if (Buffer.byteLength(type) > 128) throw new StandinError(413, "type exceeds 128 bytes");
    const data = body.data === undefined || body.data === null ? "" : body.data;
    if (typeof data !== "string") throw bad("data must be a string");
    if (Buffer.byteLength(data) > 8192) throw new StandinError(413, "data exceeds 8 kB");
    /** @type {import("./types").Signal} */
    const entry = { at: Date.now(), sessionId, connectionId: connectionId || null, type, data, recipients };
    this.signals.push(entry);
    return entry;
  }

  /**
   * What a simulated client's SDK would be told: whether its connection is still open and the
   * signals sent to it, from `after` (an index into the signal log) on. An unknown connection is
   * closed, not an error: a client polls this after a force-disconnect too.
   * @param {string} connectionId
   * @param {{ after?: number }} [opts]
   */
  clientEvents(connectionId, { after = 0 } = {}) {
    /** @type {Array<{ index: number, at: number, type: string, data: string }>} */
    const signals = [];
    for (let index = Math.max(0, after); index < this.signals.length; index += 1) {
      const entry = this.signals[index];
      if (entry.recipients.includes(connectionId)) signals.push({ index, at: entry.at, type: entry.type, data: entry.data });
    }
    return { connectionId, connected: this.connections.has(connectionId), signals, next: this.signals.length };
  }

  /**
   * @param {Owner} owner
   * @param {string} sessionId
   * @param {string} connectionId
   */
  forceDisconnect(owner, sessionId, connectionId) {
    const session = this.sessionFor(owner, sessionId);
    if (!session.connections.has(connectionId)) throw new StandinError(404, "Connection not found");
    this.disconnectClient(connectionId, { reason: "forceDisconnected" });
  }

  /**
   * @param {Session} session
   * @param {string} streamId
   */
  findStream(session, streamId) {
    const s = session.streams.get(streamId);
    if (!s) throw new StandinError(404, "Stream not found");
    return s;
  }

  /**
   * @param {Owner} owner
   * @param {string} sessionId
   */
  listStreams(owner, sessionId) {
    const session = this.sessionFor(owner, sessionId);
    const items = [...session.streams.values()].map((s) => this.streamJson(s));
    return { count: items.length, items };
  }

  /**
   * @param {Owner} owner
   * @param {string} sessionId
   * @param {string} streamId
   */
  getStream(owner, sessionId, streamId) {
    return this.streamJson(this.findStream(this.sessionFor(owner, sessionId), streamId));
  }

  /**
   * @param {Owner} owner
   * @param {string} sessionId
   * @param {Body} body
   */
  setStreamClassLists(owner, sessionId, body) {
    const session = this.sessionFor(owner, sessionId);
    if (!isPlainObject(body) || !Array.isArray(body.items)) throw bad("items must be an array");
    // Validate everything first so a bad entry changes nothing.
    /** @type {Array<[Stream, string[]]>} */
    const changes = body.items.map((/** @type {unknown} */ item, /** @type {number} */ i) => {
      if (!isPlainObject(item) || typeof item.id !== "string") throw bad(`items[${i}].id must be a string`);
      if (!Array.isArray(item.layoutClassList) || item.layoutClassList.some((/** @type {unknown} */ c) => typeof c !== "string")) {
        throw bad(`items[${i}].layoutClassList must be an array of strings`);
      }
      return [this.findStream(session, item.id), item.layoutClassList.slice()];
    });
    for (const [stream, list] of changes) stream.layoutClassList = list;
  }

  /**
   * @param {Owner} owner
   * @param {string} sessionId
   * @param {string} streamId
   */
  muteStream(owner, sessionId, streamId) {
    const session = this.sessionFor(owner, sessionId);
    const stream = this.findStream(session, streamId);
    stream.audioMuted = true;
    return { ...ownerFields(session.ownerKind, session.ownerId), sessionId, streamId, status: "ACTIVE", createdAt: Date.now() };
  }

  /**
   * @param {Owner} owner
   * @param {string} sessionId
   * @param {Body} body
   */
  muteAll(owner, sessionId, body) {
    const session = this.sessionFor(owner, sessionId);
    if (!isPlainObject(body) || typeof body.active !== "boolean") throw bad("active must be a boolean");
    /** @type {unknown} */
    const excluded = body.excludedStreamIds === undefined ? [] : body.excludedStreamIds;
    if (!Array.isArray(excluded) || excluded.some((/** @type {unknown} */ x) => typeof x !== "string"))
      throw bad("excludedStreamIds must be an array of strings");
    session.forceMute = { active: body.active, excludedStreamIds: excluded.slice() };
    if (body.active) {
      for (const s of session.streams.values()) if (!excluded.includes(s.id)) s.audioMuted = true;
    }
    return { ...ownerFields(session.ownerKind, session.ownerId), sessionId, status: "ACTIVE", createdAt: Date.now() };
  }

  // ---- media (HLS playlist, archive file) -----------------------------------------------

  /** @param {string} broadcastId */
  hlsPlaylist(broadcastId) {
    const b = this.broadcasts.get(broadcastId);
    if (!b || !b.hls) throw new StandinError(404, "Broadcast not found");
    const lines = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-TARGETDURATION:2", "#EXT-X-MEDIA-SEQUENCE:0"];
    for (let i = 0; i < 3; i += 1) lines.push("#EXTINF:2.000,", `segment${i}.ts`);
    if (b.status !== "started") lines.push("#EXT-X-ENDLIST");
    return `${lines.join("\n")}\n`;
  }

  /** @param {string} broadcastId */
  hasBroadcast(broadcastId) {
    return this.broadcasts.has(broadcastId);
  }

  /** @param {string} archiveId */
  archiveFile(archiveId) {
    const a = this.archives.get(archiveId);
    if (!a || a.status !== "available") throw new StandinError(404, "Archive not available");
    return a;
  }

  // ---- snapshot -------------------------------------------------------------------------

  /**
   * @param {string} sessionId
   * @returns {import("./types").SessionClients}
   */
  sessionState(sessionId) {
    const s = this.sessions.get(sessionId);
    if (!s) throw new StandinError(404, "Session not found");
    return snapshot({
      id: s.id,
      connections: [...s.connections.values()].map((c) => ({ connectionId: c.id, createdAt: c.createdAt, role: c.role })),
      streams: [...s.streams.values()].map((st) => ({ ...this.streamJson(st), connectionId: st.connectionId, createdAt: st.createdAt })),
    });
  }

  /** @returns {import("./types").ModelSnapshot} */
  state() {
    const sessions = [...this.sessions.values()].map((s) => ({
      id: s.id,
      ...ownerFields(s.ownerKind, s.ownerId),
      mediaMode: s.mediaMode,
      archiveMode: s.archiveMode,
      location: s.location,
      e2ee: s.e2ee,
      adopted: s.adopted,
      createdAt: s.createdAt,
      forceMute: s.forceMute,
      connections: [...s.connections.values()].map((c) => this.connectionJson(c)),
      streams: [...s.streams.values()].map((st) => ({
        ...this.streamJson(st),
        connectionId: st.connectionId,
        createdAt: st.createdAt,
        hasAudio: st.hasAudio,
        hasVideo: st.hasVideo,
        audioMuted: st.audioMuted,
      })),
    }));
    const archives = [...this.archives.values()].map((a) => ({
      ...this.archiveJson(a),
      multiArchiveTag: a.multiArchiveTag,
      layout: a.layout,
      auto: a.auto,
    }));
    const broadcasts = [...this.broadcasts.values()].map((b) => ({ ...this.broadcastJson(b), layout: b.layout }));
    return snapshot({ sessions, archives, broadcasts, signals: this.signals });
  }
}

module.exports = { Model, validateLayout, RESOLUTIONS, LAYOUT_TYPES };
