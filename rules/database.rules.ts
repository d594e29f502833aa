/**
 * The source of database.rules.json (Realtime Database security rules). `node rules/generate.ts --write`
 * writes the JSON; a test fails when the committed file differs from what this source generates.
 *
 * The rules replace IBS's role middleware for everything clients touch directly. Claims come from the
 * login functions' custom tokens: role (admin|host|celebrity|fan), superAdmin, adminId and eventId.
 * Everything not opened here is server-only (the Admin SDK bypasses rules). The node names come from
 * the contract's paths (functions/src/contract/paths.ts), which the functions and the rules matrix use too.
 */
import { children, nodes } from "../functions/src/contract/paths.ts";

type Rule = string | boolean;
export interface RuleNode {
  ".read"?: Rule;
  ".write"?: Rule;
  ".validate"?: Rule;
  ".indexOn"?: string | string[];
  [child: string]: RuleNode | Rule | string[] | undefined;
}

// ---- named conditions ------------------------------------------------------------------------

const signedIn = "auth != null";
const and = (...parts: string[]) => parts.join(" && ");
const or = (...parts: string[]) => `(${parts.join(" || ")})`;
const group = (condition: string) => `(${condition})`;

/** The caller is an admin. */
const isAdmin = "auth.token.role == 'admin'";
/** The caller is a superAdmin. */
const isSuperAdmin = "auth.token.superAdmin == true";
/** The caller is the admin who owns `$adminId` (the producer of its shows). */
const isOwnerAdmin = "auth.uid == $adminId && auth.token.role == 'admin'";
/**
 * A flag only the server sets to true (the producer's floor callables, live/floor); anyone allowed to
 * write the record may reset it. createTokenStageFan trusts `isOnStage`.
 */
const serverOnlyTrue = "newData.isBoolean() && newData.val() == false";
/** The fan owns the presence key `$fanId` (`<uid>` on mobile, `<uid>-<random>` per web tab). */
const ownsFanKey = "($fanId == auth.uid || $fanId.beginsWith(auth.uid + '-'))";

/**
 * The path from a node to its show's live record (`activeBroadcasts/{adminId}/{fanUrl}`), `depth`
 * levels up: rules are evaluated at the node, and the record's `eventId` says which event it is.
 */
const liveRecord = (depth: number) => `data${".parent()".repeat(depth)}`;

/** The caller logged in to this show: the live record's event, of this admin (any role). */
const participantOf = (depth: number) =>
  and(signedIn, "auth.token.adminId == $adminId", `auth.token.eventId == ${liveRecord(depth)}.child('eventId').val()`);

/** One role of this show (host, celebrity, fan), from its login. */
const roleOf = (role: string, depth: number) =>
  and(
    signedIn,
    `auth.token.role == '${role}'`,
    "auth.token.adminId == $adminId",
    `auth.token.eventId == ${liveRecord(depth)}.child('eventId').val()`,
  );

/** The owner admin, while the live record exists (no writes into a show that is not open). */
const ownerWhileOpen = (depth: number) => and(signedIn, isOwnerAdmin, `${liveRecord(depth)}.exists()`);

const heartbeat = "newData.isNumber() && newData.val() <= now + 60000";
const boundedString = (max: number) => `newData.isString() && newData.val().length <= ${max}`;
const oneOf = (...values: string[]) => `newData.isString() && newData.val().matches(/^(${values.join("|")})$/)`;

/** A presence flag or heartbeat of the producer (owner admin), readable by every participant. */
const producerField = (validate: string): RuleNode => ({ ".read": participantOf(1), ".write": ownerWhileOpen(1), ".validate": validate });
/** A presence flag or heartbeat of the host or the celebrity, written by that role only. */
const stageRoleField = (role: "host" | "celebrity", validate: string): RuleNode => ({
  ".read": participantOf(1),
  ".write": roleOf(role, 1),
  ".validate": validate,
});

// ---- the tree --------------------------------------------------------------------------------

/** A fan's presence record in the live record (`activeFans/{fanId}`). */
const fanRecord: RuleNode = {
  ".read": and(signedIn, "auth.token.role == 'fan'", ownsFanKey),
  // The owner admin may change or remove an existing record (never create one); the fan writes their own.
  ".write": and(
    signedIn,
    "data.parent().parent().child('eventId').exists()",
    or(
      group(and(isOwnerAdmin, "(data.exists() || !newData.exists())")),
      group(
        and(
          "auth.token.role == 'fan'",
          "auth.token.adminId == $adminId",
          "auth.token.eventId == data.parent().parent().child('eventId').val()",
          ownsFanKey,
          // A fan the producer removed (live/bans) cannot write a record again.
          "!root.child('liveBans').child(auth.token.eventId).child(auth.uid).exists()",
        ),
      ),
    ),
  ),
  ".validate": "newData.hasChildren(['id']) && $fanId.length <= 200",
  id: { ".validate": "newData.isString() && newData.val() == $fanId" },
  name: { ".validate": boundedString(60) },
  browser: { ".validate": boundedString(60) },
  os: { ".validate": boundedString(60) },
  mobile: { ".validate": "newData.isBoolean()" },
  // A small JPEG/PNG data URL of the fan's camera; bounded so nobody fills the database.
  snapshot: { ".validate": "newData.isString() && newData.val().beginsWith('data:image/') && newData.val().length <= 120000" },
  streamId: { ".validate": boundedString(128) },
  networkQuality: { ".validate": oneOf("great", "good", "poor") },
  // The floor's flags: set by the server (bringBackstage, bringOnStage, startPrivateCall), only reset by clients.
  isBackstage: { ".validate": serverOnlyTrue },
  isOnStage: { ".validate": serverOnlyTrue },
  inPrivateCall: { ".validate": serverOnlyTrue },
  $other: { ".validate": false },
};

/** The live-state record of a show (IBS contract), created at preshow and removed at close. */
const liveRecordNode: RuleNode = {
  // The producer (owner admin) reads everything, fan records included.
  ".read": and(signedIn, isOwnerAdmin),
  // Public show state, readable by every participant of this event (fans, host, celebrity). Named
  // children below repeat the read rule: a named child's rules replace the wildcard's.
  $public: { ".read": and("$public != 'activeFans'", participantOf(1)) },
  producerActive: producerField("newData.isBoolean()"),
  producerHeartBeat: producerField(heartbeat),
  // The private call: set by the server (startPrivateCall, endPrivateCall), read by every participant.
  privateCall: {
    ".read": participantOf(1),
    ".validate": "newData.hasChildren(['isWith'])",
    isWith: { ".validate": oneOf("host", "celebrity", "fan", "backstageFan", "activeFan") },
    fanId: { ".validate": boundedString(200) },
    $other: { ".validate": false },
  },
  // Volume per participant type: set by the producer; host and celebrity remove their own key.
  volume: {
    ".read": participantOf(1),
    $participant: {
      ".write": and(
        signedIn,
        `${liveRecord(2)}.exists()`,
        or(
          group(isOwnerAdmin),
          group(
            and(
              "!newData.exists()",
              "auth.token.role == $participant",
              "auth.token.adminId == $adminId",
              `auth.token.eventId == ${liveRecord(2)}.child('eventId').val()`,
            ),
          ),
        ),
      ),
      ".validate":
        "$participant.matches(/^(host|celebrity|fan|backstageFan|producer)$/) && newData.isNumber() && newData.val() >= 0 && newData.val() <= 100",
    },
  },
  // Host and celebrity presence and heartbeats: only that role of this event.
  hostActive: stageRoleField("host", "newData.isBoolean()"),
  hostHeartBeat: stageRoleField("host", heartbeat),
  celebrityActive: stageRoleField("celebrity", "newData.isBoolean()"),
  celebrityHeartBeat: stageRoleField("celebrity", heartbeat),
  // Fan records: web keys `<uid>-<random>`, mobile keys `<uid>`.
  [children.activeFans]: { $fanId: fanRecord },
};

/**
 * The fan line (live/line): the server writes it in transactions; the owner admin reads it all, a fan
 * reads only their own entry (position and state) and may only delete it (leaving, or their
 * `onDisconnect`), never create, change or reorder one.
 */
const liveLineNode: RuleNode = {
  ".read": and(signedIn, isAdmin, `root.child('${nodes.events}').child($eventId).child('adminId').val() == auth.uid`),
  // The callback handler looks a participant's entries up (live/queue).
  [children.fans]: {
    ".indexOn": ["participantId"],
    $fanId: {
      ".read": and(signedIn, "auth.token.role == 'fan'", "auth.token.eventId == $eventId", ownsFanKey),
      ".write": and(signedIn, "auth.token.role == 'fan'", "auth.token.eventId == $eventId", ownsFanKey, "!newData.exists()"),
    },
  },
};

/** The one seat holder entry a fan may give up (also from an onDisconnect handler), never take. */
const ownSeatRelease = and(signedIn, "auth.uid == $uid", "!newData.exists()");

export const databaseRules: { rules: RuleNode } = {
  rules: {
    ".read": false,
    ".write": false,
    // Admin profiles: the admin reads their own, a superAdmin reads all; writes go through callables.
    [nodes.admins]: {
      ".read": and(signedIn, isAdmin, isSuperAdmin),
      ".indexOn": ["email"],
      $uid: { ".read": and(signedIn, "auth.uid == $uid", isAdmin) },
    },
    // Sealed Vonage credentials, login lookups, current-event pointers, session index, attendance,
    // processed callback ids and the audit trail: server-only (no rule grants access).
    [nodes.adminCredentials]: {},
    // Tenants' own sealed callback signing secrets (admins/callbackSecret): server-only.
    [nodes.adminCallbackSecrets]: {},
    [nodes.eventKeys]: {},
    [nodes.currentEvents]: {},
    [nodes.sessionIndex]: {},
    // Participants' connections and streams are looked up by uid (live/connections).
    [nodes.attendance]: {
      $eventId: { [children.connections]: { ".indexOn": ["participantId"] }, [children.streams]: { ".indexOn": ["participantId"] } },
    },
    // Removed participants and sent signal ids of the live show: server-only.
    [nodes.liveBans]: {},
    [nodes.liveSignals]: {},
    [nodes.liveLines]: { $eventId: liveLineNode },
    // Expired dedupe claims are found by claimedAt (attendance/dedupe).
    [nodes.processedCallbacks]: { $eventId: { ".indexOn": ["claimedAt"] } },
    [nodes.auditLog]: {},
    // Shared call budgets (per-minute counters of platform/sharedBudget): server-only.
    [nodes.budgets]: {},
    // When each admin's sessions were last revoked (platform/revocation): server-only; expired ones are
    // found by their value (the revocation time).
    [nodes.tokenRevocations]: { ".indexOn": ".value" },
    // Client request ids of retried creations (platform/idempotency): server-only; expired ones are
    // found by `at`.
    [nodes.clientRequests]: { $caller: { ".indexOn": ["at"] } },
    // Events: the owner admin (producer) reads their own; public views go through callables.
    [nodes.events]: {
      // imagesClosedAt: image cleanup; broadcast/stopAfter, lifecycle/unfinishedSince: the close backstop
      // (both scheduled functions).
      ".indexOn": ["adminId", "status", "imagesClosedAt", "broadcast/stopAfter", "lifecycle/unfinishedSince"],
      $eventId: { ".read": and(signedIn, isAdmin, "(data.child('adminId').val() == auth.uid || auth.token.superAdmin == true)") },
    },
    // Seats of the interactive session, in shards (seats/shards). The server admits fans in a shard
    // transaction; a fan may only give up their own seat, never take one, nor confirm a claim. One
    // claim per page load: a fan removes a claim (e.g. on disconnect) while another tab's keeps the seat.
    [nodes.stageGates]: {
      $eventId: {
        [children.shards]: {
          $shard: {
            $uid: {
              ".read": and(signedIn, "auth.uid == $uid"),
              ".write": ownSeatRelease,
              $claim: { ".write": ownSeatRelease },
            },
          },
        },
      },
    },
    // Upgrade offers from HLS (seats/offers): the server writes them; a fan reads only their own, of
    // the event in their login; the owner admin reads the show's. The ask queue is server-only.
    [nodes.seatOffers]: {
      $eventId: {
        ".read": and(signedIn, isAdmin, "root.child('events').child($eventId).child('adminId').val() == auth.uid"),
        $uid: { ".read": and(signedIn, "auth.token.role == 'fan'", "auth.uid == $uid", "auth.token.eventId == $eventId") },
      },
    },
    // The queue is read in order of ask time (`orderByValue().limitToFirst`), never whole.
    [nodes.seatAsks]: { $eventId: { ".indexOn": ".value" } },
    [nodes.activeBroadcasts]: { $adminId: { $fanUrl: liveRecordNode } },
  },
};
