/**
 * Every database path in one place, built from the top-level node names below: the functions, the
 * rules source (rules/database.rules.ts), the rules matrix (test/rules/matrix.cjs) and the tests read
 * these. Client-facing shapes (activeBroadcasts) follow the IBS contract; the rest are server-only
 * nodes closed to clients by database.rules.json. Imports nothing: Node loads this file as it is
 * (type stripping) for the rules generator and the matrix.
 */

/** The top-level nodes of the database, by name. */
export const nodes = {
  admins: "admins",
  adminCredentials: "adminCredentials",
  adminCallbackSecrets: "adminCallbackSecrets",
  events: "events",
  eventKeys: "eventKeys",
  currentEvents: "currentEvents",
  activeBroadcasts: "activeBroadcasts",
  stageGates: "stageGates",
  sessionIndex: "sessionIndex",
  attendance: "attendance",
  processedCallbacks: "processedCallbacks",
  auditLog: "auditLog",
  budgets: "budgets",
  tokenRevocations: "tokenRevocations",
  clientRequests: "clientRequests",
  liveLines: "liveLines",
  liveBans: "liveBans",
  liveSignals: "liveSignals",
  seatOffers: "seatOffers",
  seatAsks: "seatAsks",
} as const;

/** Children of a node with a fixed name (under `activeBroadcasts/{adminId}/{fanUrl}`, `stageGates/{eventId}`, ...). */
export const children = {
  /** The seat shards of a stage gate. */
  shards: "shards",
  /** The connections and streams of an event's attendance. */
  connections: "connections",
  streams: "streams",
  /** The entries of a fan line. */
  fans: "fans",
  /** The live counts beside a live record. */
  counts: "counts",
  /** The fans' presence records of a live record. */
  activeFans: "activeFans",
} as const;

const n = nodes;
const c = children;

export const paths = {
  admin: (uid: string) => `${n.admins}/${uid}`,
  admins: () => n.admins,
  /** Server-only: the tenant's Vonage key and sealed secret, read together in one round trip. */
  adminCredentials: (uid: string) => `${n.adminCredentials}/${uid}`,
  /** Server-only: the tenant's own sealed Vonage callback signing secret (admins/callbackSecret). */
  adminCallbackSecret: (uid: string) => `${n.adminCallbackSecrets}/${uid}`,
  event: (eventId: string) => `${n.events}/${eventId}`,
  events: () => n.events,
  /** Server-only: login lookups by slug (fan) or secret (host, celebrity), one read per login. */
  eventKey: (adminId: string, kind: "fan" | "host" | "celebrity", key: string) => `${n.eventKeys}/${adminId}/${kind}/${key}`,
  eventKeys: (adminId: string) => `${n.eventKeys}/${adminId}`,
  /** Server-only: the admin's current show (newest live, else newest preshow), for embeds. */
  currentEvent: (adminId: string) => `${n.currentEvents}/${adminId}`,
  /** The live-state record clients read and write (IBS `activeBroadcasts`). */
  liveRecord: (adminId: string, fanUrl: string) => `${n.activeBroadcasts}/${adminId}/${fanUrl}`,
  liveRecords: (adminId: string) => `${n.activeBroadcasts}/${adminId}`,
  /** Seat decisions: limit, status, HLS state, counters and the seat shards of one event. */
  stageGate: (eventId: string) => `${n.stageGates}/${eventId}`,
  /** The seat shards of one event's gate (seats/shards). */
  seatShards: (eventId: string) => `${n.stageGates}/${eventId}/${c.shards}`,
  /** One fan's seat, in one shard of the gate (seats/shards). */
  seat: (eventId: string, shard: string, uid: string) => `${n.stageGates}/${eventId}/${c.shards}/${shard}/${uid}`,
  /** Upgrade offers (seats/offers): one fan's offer state, server-written, read by that fan only. */
  seatOffer: (eventId: string, uid: string) => `${n.seatOffers}/${eventId}/${uid}`,
  seatOffers: (eventId: string) => `${n.seatOffers}/${eventId}`,
  /** Server-only: the HLS viewers waiting for a seat, `{uid}: askedAt`, read in order by value. */
  seatAsk: (eventId: string, uid: string) => `${n.seatAsks}/${eventId}/${uid}`,
  seatAsks: (eventId: string) => `${n.seatAsks}/${eventId}`,
  /** Server-only: map of Vonage session id -> event, for callbacks. */
  sessionIndex: (sessionId: string) => `${n.sessionIndex}/${sessionId}`,
  attendance: (eventId: string) => `${n.attendance}/${eventId}`,
  /** Every dedupe claim of one event's callbacks. */
  processedCallbacks: (eventId: string) => `${n.processedCallbacks}/${eventId}`,
  /** Attendance intervals from session-monitoring callbacks (analytics). */
  attendanceConnection: (eventId: string, connectionId: string) => `${n.attendance}/${eventId}/${c.connections}/${connectionId}`,
  attendanceStream: (eventId: string, streamId: string) => `${n.attendance}/${eventId}/${c.streams}/${streamId}`,
  /** Dedupe claim of one callback, grouped per event so deleting an event can drop them together. */
  processedCallback: (eventId: string, key: string) => `${n.processedCallbacks}/${eventId}/${key}`,
  /** Server-only: the show's audit trail (live/audit), paged through getAuditLog. */
  auditLog: (eventId: string) => `${n.auditLog}/${eventId}`,
  /** Server-only: shared call budgets, one bucket per minute (platform/sharedBudget). */
  budgets: () => n.budgets,
  budgetCount: (window: number, name: string, key: string) => `${n.budgets}/${window}/${name}/${key}`,
  /** Server-only: when an admin's sessions were last revoked (seconds; platform/revocation). */
  tokenRevocation: (uid: string) => `${n.tokenRevocations}/${uid}`,
  tokenRevocations: () => n.tokenRevocations,
  /** Server-only: client request ids of retried creations (platform/idempotency). */
  clientRequests: (caller: string) => `${n.clientRequests}/${caller}`,
  clientRequest: (caller: string, key: string) => `${n.clientRequests}/${caller}/${key}`,
  /** The fan line of a show (live/line): server-written; the owner admin reads it, each fan their own entry. */
  liveLine: (eventId: string) => `${n.liveLines}/${eventId}`,
  liveLineFan: (eventId: string, fanId: string) => `${n.liveLines}/${eventId}/${c.fans}/${fanId}`,
  /** Server-only: participants removed from a show (live/bans), refused every new token for it. */
  liveBans: (eventId: string) => `${n.liveBans}/${eventId}`,
  liveBan: (eventId: string, uid: string) => `${n.liveBans}/${eventId}/${uid}`,
  /** Server-only: requestIds of signals already sent (a retried signal is sent once). */
  liveSignals: (eventId: string) => `${n.liveSignals}/${eventId}`,
  /** Server-written live counts beside the live record (`inLine`, `seated`, `hls`), read by participants. */
  liveCount: (adminId: string, fanUrl: string, name: string) => `${n.activeBroadcasts}/${adminId}/${fanUrl}/${c.counts}/${name}`,
} as const;
