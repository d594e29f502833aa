/**
 * Every database path in one place. Client-facing shapes (activeBroadcasts) follow the IBS contract;
 * the rest are server-only nodes closed to clients by database.rules.json.
 */
export const paths = {
  admin: (uid: string) => `admins/${uid}`,
  admins: () => "admins",
  /** Server-only: the tenant's Vonage key and sealed secret, read together in one round trip. */
  adminCredentials: (uid: string) => `adminCredentials/${uid}`,
  event: (eventId: string) => `events/${eventId}`,
  events: () => "events",
  /** Server-only: login lookups by slug (fan) or secret (host, celebrity), one read per login. */
  eventKey: (adminId: string, kind: "fan" | "host" | "celebrity", key: string) => `eventKeys/${adminId}/${kind}/${key}`,
  eventKeys: (adminId: string) => `eventKeys/${adminId}`,
  /** Server-only: the admin's current show (newest live, else newest preshow), for embeds. */
  currentEvent: (adminId: string) => `currentEvents/${adminId}`,
  /** The live-state record clients read and write (IBS `activeBroadcasts`). */
  liveRecord: (adminId: string, fanUrl: string) => `activeBroadcasts/${adminId}/${fanUrl}`,
  liveRecords: (adminId: string) => `activeBroadcasts/${adminId}`,
  /** Seat decisions: limit, status, HLS state, counters and the seat shards of one event. */
  stageGate: (eventId: string) => `stageGates/${eventId}`,
  /** One fan's seat, in one shard of the gate (seats/shards). */
  seat: (eventId: string, shard: string, uid: string) => `stageGates/${eventId}/shards/${shard}/${uid}`,
  /** Upgrade offers (seats/offers): one fan's offer state, server-written, read by that fan only. */
  seatOffer: (eventId: string, uid: string) => `seatOffers/${eventId}/${uid}`,
  seatOffers: (eventId: string) => `seatOffers/${eventId}`,
  /** Server-only: the HLS viewers waiting for a seat, `{uid}: askedAt`, read in order by value. */
  seatAsk: (eventId: string, uid: string) => `seatAsks/${eventId}/${uid}`,
  seatAsks: (eventId: string) => `seatAsks/${eventId}`,
  /** Server-only: map of Vonage session id -> event, for callbacks. */
  sessionIndex: (sessionId: string) => `sessionIndex/${sessionId}`,
  attendance: (eventId: string) => `attendance/${eventId}`,
  /** Every dedupe claim of one event's callbacks. */
  processedCallbacks: (eventId: string) => `processedCallbacks/${eventId}`,
  /** Attendance intervals from session-monitoring callbacks (analytics). */
  attendanceConnection: (eventId: string, connectionId: string) => `attendance/${eventId}/connections/${connectionId}`,
  attendanceStream: (eventId: string, streamId: string) => `attendance/${eventId}/streams/${streamId}`,
  /** Dedupe claim of one callback, grouped per event so deleting an event can drop them together. */
  processedCallback: (eventId: string, key: string) => `processedCallbacks/${eventId}/${key}`,
  /** Server-only: the show's audit trail (live/audit), paged through getAuditLog. */
  auditLog: (eventId: string) => `auditLog/${eventId}`,
  /** Server-only: shared call budgets, one bucket per minute (platform/sharedBudget). */
  budgets: () => "budgets",
  budgetCount: (window: number, name: string, key: string) => `budgets/${window}/${name}/${key}`,
  /** Server-only: when an admin's sessions were last revoked (seconds; platform/revocation). */
  tokenRevocation: (uid: string) => `tokenRevocations/${uid}`,
  tokenRevocations: () => "tokenRevocations",
  /** Server-only: client request ids of retried creations (platform/idempotency). */
  clientRequests: (caller: string) => `clientRequests/${caller}`,
  clientRequest: (caller: string, key: string) => `clientRequests/${caller}/${key}`,
  /** The fan line of a show (live/line): server-written; the owner admin reads it, each fan their own entry. */
  liveLine: (eventId: string) => `liveLines/${eventId}`,
  liveLineFan: (eventId: string, fanId: string) => `liveLines/${eventId}/fans/${fanId}`,
  /** Server-only: participants removed from a show (live/bans), refused every new token for it. */
  liveBans: (eventId: string) => `liveBans/${eventId}`,
  liveBan: (eventId: string, uid: string) => `liveBans/${eventId}/${uid}`,
  /** Server-only: requestIds of signals already sent (a retried signal is sent once). */
  liveSignals: (eventId: string) => `liveSignals/${eventId}`,
  /** Server-written live counts beside the live record (`inLine`, `seated`, `hls`), read by participants. */
  liveCount: (adminId: string, fanUrl: string, name: string) => `activeBroadcasts/${adminId}/${fanUrl}/counts/${name}`,
} as const;
