// The records of the Vonage stand-in, defined once for its JSDoc types (lib/*, index.js, cli.js, test/*):
// `/** @typedef {import("./types").Session} Session */`. Types only: nothing here exists at run time.
import type { KeyObject } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/** A request body or control payload before validation (JSON or form fields): checked field by field. */
export type Body = Record<string, any>;

/** Query string parameters of a request, by name. */
export type Query = Record<string, string>;

// ---- owners ------------------------------------------------------------------------------

export type OwnerKind = "project" | "application";

/** A legacy OpenTok project: API key + secret (HS256 tokens, T1 tokens). */
export interface Project {
  kind: "project";
  id: string;
  apiKey: string;
  secret: string;
  /** The secret as a KeyObject, built once. */
  key: KeyObject;
}

/** A Vonage application: application id (a UUID) + RSA public key (RS256 tokens). */
export interface Application {
  kind: "application";
  id: string;
  applicationId: string;
  /** Whether the application has the Video capability. */
  video: boolean;
  publicKey: KeyObject;
}

export type Owner = Project | Application;

/** Who may sign: projects by API key, applications by id. */
export interface Owners {
  projects: Map<string, Project>;
  applications: Map<string, Application>;
}

/** A JWT's claims as a signer set them (unchecked). */
export type Claims = Record<string, any>;

/** A client token, verified: who signed it and what it grants. */
export interface VerifiedClientToken {
  owner: Owner;
  claims: Claims;
  expireTime: number | null;
  kind: "t1" | "jwt" | "jwt-rs256";
}

/** The connection attributes a client token grants (or a token-less simulated client gets). */
export interface ClientAttributes {
  ownerKind?: OwnerKind;
  ownerId?: string;
  role: string;
  data: string;
  initialLayoutClassList: string[];
  expireTime: number | null;
  tokenKind: "t1" | "jwt" | "jwt-rs256" | "none";
}

// ---- options -----------------------------------------------------------------------------

/** The stand-in's live options (index.js DEFAULTS; `setOptions` and `setCallback` change them). */
export interface Options {
  callbackUrl: string | null;
  archiveCallbackUrl: string | null;
  broadcastCallbackUrl: string | null;
  callbackSigningSecret: string | null;
  callbackTimeoutMs: number;
  callbackRetries: number;
  callbackRetryDelayMs: number;
  archiveReadyMs: number;
  archiveFinalStatus: "available" | "uploaded";
  broadcastLiveMs: number;
  requireClientForArchive: boolean;
  requireClientForBroadcast: boolean;
  emptySessionStopMs: number;
  adoptUnknownSessions: boolean;
  clockToleranceSec: number;
  publicUrl: string | null;
  logRequests: boolean;
}

/** What `startVonageStandin` accepts: the options, plus where to listen and who may call. */
export interface StartInput extends Partial<Options> {
  host?: string;
  port?: number | string;
  /** API key -> secret. */
  projects?: Record<string, string>;
  /** Application id -> public (or private) key PEM, or {publicKey, video}. */
  applications?: Record<string, ApplicationInput>;
  /** Alias of callbackSigningSecret. */
  signingSecret?: string | null;
}

export type Pem = string | Buffer;

/** One entry of the `applications` start option. */
export type ApplicationInput = Pem | { publicKey?: Pem; privateKey?: Pem; video?: boolean | null };

export interface ApplicationOptions {
  /** Validated by makeApplication: a boolean, or missing (true). */
  video?: unknown;
}

// ---- sessions, connections, streams ------------------------------------------------------

export type Timer = ReturnType<typeof setTimeout>;

export interface ForceMute {
  active: boolean;
  excludedStreamIds: string[];
}

export interface Session {
  id: string;
  ownerId: string;
  ownerKind: OwnerKind;
  /** "routed" | "relayed" */
  mediaMode: string;
  /** "manual" | "always" */
  archiveMode: string;
  location: string;
  e2ee: boolean;
  /** Accepted by adoptUnknownSessions rather than created here. */
  adopted: boolean;
  createdAt: number;
  connections: Map<string, Connection>;
  streams: Map<string, Stream>;
  forceMute: ForceMute;
  /** Stops archives and broadcasts emptySessionStopMs after the last client left. */
  emptyTimer: Timer | null;
}

/** The fields `addSession` takes. */
export interface SessionSettings {
  mediaMode: string;
  archiveMode: string;
  location: string;
  e2ee: boolean;
  adopted?: boolean;
}

/** A simulated client's connection. */
export interface Connection {
  id: string;
  sessionId: string;
  ownerId: string;
  ownerKind: OwnerKind;
  createdAt: number;
  data: string;
  role: string;
  /** How it connected: the token kind, or "none". */
  via: string;
  initialLayoutClassList: string[];
  tokenExpireTime: number | null;
}

/** A stream a simulated client publishes. */
export interface Stream {
  id: string;
  sessionId: string;
  connectionId: string;
  createdAt: number;
  name: string;
  /** "camera" | "screen" | "custom" */
  videoType: string;
  hasAudio: boolean;
  hasVideo: boolean;
  layoutClassList: string[];
  audioMuted: boolean;
}

/** connectClient's options: a client token, or (without one) data and role. */
export interface ConnectOptions {
  token?: string | null;
  data?: unknown;
  role?: string;
}

export interface StreamOptions {
  name?: unknown;
  videoType?: string;
  hasAudio?: unknown;
  hasVideo?: unknown;
}

/** Why a connection or stream ended ("clientDisconnected", "forceDisconnected"...). */
export interface ReasonOptions {
  reason?: string;
}

/** One signal sent by REST, with the connections it reached. */
export interface Signal {
  at: number;
  sessionId: string;
  connectionId: string | null;
  type: string;
  data: string;
  recipients: string[];
}

// ---- archives and broadcasts -------------------------------------------------------------

export interface Layout {
  type: string;
  stylesheet?: string;
  screenshareType?: string;
}

/** A stream picked into an archive or broadcast in the manual stream mode. */
export interface StreamEntry {
  streamId: string;
  hasAudio: boolean;
  hasVideo: boolean;
}

/** What archives and broadcasts share: a run on one session, owned by a project or an application. */
export interface SessionRun {
  /** Creation order, for newest-first listings. */
  seq: number;
  id: string;
  sessionId: string;
  ownerId: string;
  ownerKind: OwnerKind;
  createdAt: number;
  updatedAt: number;
}

export interface Archive extends SessionRun {
  name: string | null;
  /** started, paused, stopped, uploaded, available, expired, failed, deleted */
  status: string;
  duration: number;
  size: number;
  url: string | null;
  reason: string;
  /** "composed" | "individual" */
  outputMode: string;
  resolution: string | undefined;
  hasAudio: boolean;
  hasVideo: boolean;
  /** "auto" | "manual" */
  streamMode: string;
  streams: StreamEntry[];
  layout: Layout | null;
  multiArchiveTag: string | null;
  /** Started by an "always" session rather than by a REST call. */
  auto: boolean;
  sha256sum: string | null;
  /** As the caller sent them (not validated). */
  maxBitrate: unknown;
  quantizationParameter: unknown;
  readyTimer: Timer | null;
}

export interface HlsSettings {
  dvr: boolean;
  lowLatency: boolean;
}

export interface RtmpTarget {
  id: string;
  serverUrl: string;
  streamName: string;
  /** connecting, live, offline */
  status: string;
}

export interface Broadcast extends SessionRun {
  resolution: string;
  /** started, stopped, failed */
  status: string;
  maxDuration: number;
  maxBitrate: unknown;
  streamMode: string;
  hasAudio: boolean;
  hasVideo: boolean;
  layout: Layout;
  hls: HlsSettings | null;
  hlsUrl: string | null;
  hlsStatus: string | null;
  rtmp: RtmpTarget[] | null;
  streams: StreamEntry[];
  multiBroadcastTag: string | null;
  timers: Timer[];
}

/** rotateSession's options. */
export interface RotationOptions {
  status?: string;
  order?: string;
  notify?: unknown;
}

// ---- callbacks ---------------------------------------------------------------------------

/** session, archive or broadcast (what Vonage's callback URLs are configured for). */
export type CallbackKind = string;

/** The answer to one delivery attempt. */
export interface PostResult {
  status: number | null;
  error?: string;
  response?: string;
  ms?: number;
}

export interface Delivery extends PostResult {
  at: number;
  attempt: number;
  url: string;
}

/** What a callback is, as the stand-in keeps it and as `callbacks()` lists it. */
export interface CallbackFields {
  seq: number;
  id: string;
  kind: CallbackKind;
  event: string | null;
  status: string | null;
  sessionId: string | null;
  projectId: string | null;
  applicationId: string | null;
  createdAt: number;
  body: string;
  /** queued, held, delivered, failed, skipped, dropped, cancelled, error */
  state: string;
  deliveries: Delivery[];
}

/** One callback the stand-in emitted (or was asked to send), with each delivery attempt. */
export interface CallbackRecord extends CallbackFields {
  /** The body, parsed (null when it is not JSON). */
  payload: any;
  url?: string;
  authorization?: string | null;
  lastStatus?: number | null;
  note?: string;
  duplicateOf?: number;
  custom?: boolean;
}

/** How one delivery is sent (overrides of the configured URL and signature). */
export interface DeliveryOptions {
  url?: string;
  signingSecret?: string;
  unsigned?: boolean;
  reuseAuthorization?: string;
}

/** One owner's own callback URL and signature secret. */
export interface OwnerCallback {
  url?: string | null;
  signingSecret?: string | null;
}

export interface OwnerCallbackInput extends OwnerCallback {
  owner?: unknown;
}

export interface ReleaseOptions {
  /** "fifo" | "lifo" | the seqs to send first. */
  order?: string | Array<number | string>;
  drop?: Array<number | string>;
}

export interface RedeliverOptions {
  sameToken?: boolean;
}

/** An arbitrary callback to send (a forged or malformed one). */
export interface SendSpec {
  kind?: CallbackKind;
  payload?: unknown;
  signingSecret?: string;
  unsigned?: boolean;
  url?: string;
}

// ---- faults ------------------------------------------------------------------------------

/** What a test asks for (validated by FaultTable.add). */
export interface FaultSpec {
  method?: string;
  path?: string | RegExp;
  pathRegex?: string;
  status?: number | string | null;
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number | string;
  reset?: boolean;
  count?: number | string;
}

export interface PathMatcher {
  test(pathname: string): boolean;
  toString(): string;
}

export interface Fault {
  id: number;
  method: string | null;
  path: string | null;
  matcher: PathMatcher | null;
  status: number | null;
  body: unknown;
  headers: Record<string, string> | null;
  delayMs: number;
  reset: boolean;
  remaining: number;
  hits: number;
}

// ---- HTTP --------------------------------------------------------------------------------

/** What a route handler answers: a status and a JSON body (none for 204). */
export interface Reply {
  status: number;
  body?: unknown;
}

export type Handler<C> = (context: C) => Reply | Promise<Reply>;

export type Params = Record<string, string>;

/** What a REST handler gets: the authenticated owner, the path parameters, the query and the body. */
export interface RestContext {
  owner: Owner;
  params: Params;
  query: Query;
  body: Body;
}

/** What a control handler gets (no owner: the control API is not authenticated). */
export interface ControlContext {
  params: Params;
  query: Query;
  body: Body | undefined;
}

export type RouteMatch<C> =
  | { handler: Handler<C>; params: Params; methodNotAllowed?: undefined; allow?: undefined }
  | { methodNotAllowed: true; allow: string[]; handler?: undefined; params?: undefined };

/** A logged REST or media request. */
export interface RequestLogEntry {
  at: number;
  method: string | undefined;
  path: string;
  query: string | undefined;
  status: number | string | null;
  ms?: number;
  fault?: number;
}

export type { IncomingHttpHeaders };

// ---- snapshots ---------------------------------------------------------------------------
// What `state()`, `callbacks()` and the control API answer: plain JSON copies (fields whose value is
// undefined are absent), never the live records above.

/** Whose a session, connection, archive or broadcast is: `projectId` for a legacy project, else `applicationId`. */
export type OwnerFieldsJson = { projectId: string; applicationId?: undefined } | { applicationId: string; projectId?: undefined };

/** A connection as the REST API and `state()` show it. */
export type ConnectionJson = OwnerFieldsJson & {
  connectionId: string;
  sessionId: string;
  createdAt: number;
  data: string;
  role: string;
  /** How it connected: the token kind, or "none". */
  via: string;
  /** The ids of the streams it publishes. */
  streams: string[];
};

/** A stream as the REST API shows it. */
export interface StreamJson {
  id: string;
  videoType: string;
  name: string;
  layoutClassList: string[];
}

/** A stream in `state()`: the REST fields and what the stand-in keeps beside them. */
export interface StreamSnapshot extends StreamJson {
  connectionId: string;
  createdAt: number;
  hasAudio: boolean;
  hasVideo: boolean;
  audioMuted: boolean;
}

/** A session in `state()`. */
export type SessionSnapshot = OwnerFieldsJson & {
  id: string;
  mediaMode: string;
  archiveMode: string;
  location: string;
  e2ee: boolean;
  adopted: boolean;
  createdAt: number;
  forceMute: ForceMute;
  connections: ConnectionJson[];
  streams: StreamSnapshot[];
};

/** An archive as the REST API shows it (model.archiveJson): the record's public fields, owner as JSON. */
export type ArchiveJson = OwnerFieldsJson &
  Pick<
    Archive,
    | "id"
    | "sessionId"
    | "createdAt"
    | "updatedAt"
    | "name"
    | "status"
    | "duration"
    | "size"
    | "url"
    | "reason"
    | "outputMode"
    | "hasAudio"
    | "hasVideo"
    | "streamMode"
    | "streams"
    | "sha256sum"
  > & {
    password: string;
    /** Composed archives only. */
    resolution?: string;
    maxBitrate?: unknown;
    quantizationParameter?: unknown;
  };

/** An archive in `state()`. */
export type ArchiveSnapshot = ArchiveJson & { multiArchiveTag: string | null; layout: Layout | null; auto: boolean };

/** A broadcast as the REST API shows it (model.broadcastJson): the record's public fields, owner as JSON. */
export type BroadcastJson = OwnerFieldsJson &
  Pick<
    Broadcast,
    | "id"
    | "sessionId"
    | "createdAt"
    | "updatedAt"
    | "resolution"
    | "status"
    | "maxDuration"
    | "streamMode"
    | "hasAudio"
    | "hasVideo"
    | "streams"
  > & {
    /** `hls` and `hlsStatus` when HLS was asked for, `rtmp` when RTMP targets were. */
    broadcastUrls: { hls?: string | null; hlsStatus?: string | null; rtmp?: RtmpTarget[] };
    settings: { hls?: HlsSettings };
    multiBroadcastTag?: string;
    maxBitrate?: unknown;
  };

/** A broadcast in `state()`. */
export type BroadcastSnapshot = BroadcastJson & { layout: Layout };

/** One session's clients and streams (`sessionState`, GET /_control/sessions/:id). */
export interface SessionClients {
  id: string;
  connections: Array<{ connectionId: string; createdAt: number; role: string }>;
  streams: Array<StreamJson & { connectionId: string; createdAt: number }>;
}

/** What the model holds (model.state()). */
export interface ModelSnapshot {
  sessions: SessionSnapshot[];
  archives: ArchiveSnapshot[];
  broadcasts: BroadcastSnapshot[];
  signals: Signal[];
}

/** One callback as `callbacks()` lists it (CallbackDispatcher.list). */
export interface CallbackSnapshot extends CallbackFields {
  url: string | null;
  signed: boolean;
  duplicateOf: number | null;
  custom: boolean;
  note: string | null;
  lastStatus: number | null;
  /** The body, parsed (null when it is not JSON). */
  payload: CallbackPayload | null;
}

/** A connection as a session callback names it (model.connectionInfo; a stream's gone connection has only its id). */
export interface CallbackConnection {
  id: string;
  createdAt?: number;
  data?: string;
}

/**
 * A callback's body as the stand-in emits them: session monitoring (`event`, `sessionId`, the owner's
 * id, `timestamp`, a `connection` or `stream`, `reason` on ends), archive and broadcast status (their
 * REST JSON with `event` "archive" or "broadcast", `partnerId` for a legacy project). A custom
 * sendCallback may carry any JSON object: every field is optional.
 */
export interface CallbackPayload {
  event?: string;
  sessionId?: string;
  projectId?: string;
  applicationId?: string;
  partnerId?: string;
  timestamp?: number;
  reason?: string;
  connection?: CallbackConnection;
  stream?: { id: string; connection: CallbackConnection; createdAt: number; name: string; videoType: string };
  /** Archive and broadcast callbacks. */
  id?: string;
  status?: string;
  [field: string]: unknown;
}

/** An injected fault as `state().faults` lists it (FaultTable.describe). */
export interface FaultSnapshot {
  id: number;
  method: string | null;
  path: string | null;
  status: number | null;
  delayMs: number;
  reset: boolean;
  remaining: number | "until cleared";
  hits: number;
}

/** `state()`: everything, for assertions (secrets and keys left out). */
export interface StandinState extends ModelSnapshot {
  url: string;
  /** The live options; the callback signing secret shows only whether one is set. */
  options: Omit<Options, "callbackSigningSecret"> & { callbackSigningSecret: "(set)" | null };
  /** The API keys of the legacy projects. */
  projects: string[];
  applications: Array<{ applicationId: string; video: boolean }>;
  callbacks: CallbackSnapshot[];
  callbacksHeld: boolean;
  faults: FaultSnapshot[];
  requests: RequestLogEntry[];
}

/** A running stand-in: what `startVonageStandin` resolves with. */
export type VonageStandin = Awaited<ReturnType<typeof import("../index").startVonageStandin>>;
