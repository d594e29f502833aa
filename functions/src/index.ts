/**
 * Exports only. Each export is a getter that loads its function's file on first access: a deployed
 * instance serves the one function named by FUNCTION_TARGET and reads only that export, so its cold
 * start loads only that function's module graph; deploy analysis and tests, which read every export,
 * load them all. The `declare` lines give the exports their types.
 *
 * tools/api-reference.cjs reads this file: each `lazy` line names a function's file, and the
 * `// API area:` line above it its section in docs/api-reference.md. Keep the order of the
 * exports: the reference prints output types as TypeScript's checker first meets them (fields and
 * union members in that order), and the checker meets them in this order.
 */
/* eslint-disable @typescript-eslint/no-require-imports */

function lazy(name: string, file: string): void {
  Object.defineProperty(exports, name, { enumerable: true, get: () => (require(file) as Record<string, unknown>)[name] });
}

// API area: auth
lazy("login", "./access/functions/login");

// API area: analytics
lazy("vonageCallbacks", "./attendance/functions/vonageCallbacks");
lazy("getSessionAnalytics", "./attendance/functions/getSessionAnalytics");

// API area: auth
lazy("loginFan", "./access/functions/loginFan");
lazy("loginHost", "./access/functions/loginHost");
lazy("loginCelebrity", "./access/functions/loginCelebrity");

// API area: admins
lazy("createAdmin", "./admins/functions/createAdmin");
lazy("updateAdmin", "./admins/functions/updateAdmin");
lazy("deleteAdmin", "./admins/functions/deleteAdmin");
lazy("getAdmin", "./admins/functions/getAdmin");
lazy("getAdmins", "./admins/functions/getAdmins");

// API area: tokens
lazy("createTokenProducer", "./seats/functions/createTokenProducer");
lazy("createTokenHostCeleb", "./seats/functions/createTokenHostCeleb");
lazy("createTokensFan", "./seats/functions/createTokensFan");
lazy("createTokenStageFan", "./seats/functions/createTokenStageFan");
lazy("createTokenByUserType", "./seats/functions/createTokenByUserType");
lazy("releaseSeat", "./seats/functions/releaseSeat");
lazy("sweepSeats", "./seats/functions/sweepSeats");
lazy("askForSeat", "./seats/functions/askForSeat");
lazy("cancelSeatAsk", "./seats/functions/cancelSeatAsk");

// API area: events
lazy("createEvent", "./events/functions/createEvent");
lazy("updateEvent", "./events/functions/updateEvent");
lazy("deleteEvent", "./events/functions/deleteEvent");
lazy("getEvent", "./events/functions/getEvent");
lazy("getEvents", "./events/functions/getEvents");
lazy("getEventsByAdmin", "./events/functions/getEventsByAdmin");
lazy("getEventByKey", "./events/functions/getEventByKey");
lazy("getMostRecentEvent", "./events/functions/getMostRecentEvent");
lazy("changeStatus", "./events/functions/changeStatus");

// API area: broadcast
lazy("eventGoLive", "./events/functions/eventGoLive");
lazy("endBroadcast", "./events/functions/endBroadcast");
lazy("getBroadcastData", "./events/functions/getBroadcastData");
lazy("stopBroadcastAfterDrain", "./events/functions/stopBroadcastAfterDrain");

// API area: archive
lazy("startArchive", "./events/functions/startArchive");
lazy("stopArchive", "./events/functions/stopArchive");

// API area: events
lazy("finishDrainedBroadcasts", "./events/functions/finishDrainedBroadcasts");
lazy("cleanupEventImages", "./events/functions/cleanupEventImages");

// API area: live
lazy("getAuditLog", "./live/functions/getAuditLog");
lazy("restoreShowContinuity", "./live/functions/restoreShowContinuity");
lazy("joinLine", "./live/functions/joinLine");
lazy("leaveLine", "./live/functions/leaveLine");
lazy("getLine", "./live/functions/getLine");
lazy("bringBackstage", "./live/functions/bringBackstage");
lazy("bringOnStage", "./live/functions/bringOnStage");
lazy("takeOffStage", "./live/functions/takeOffStage");
lazy("startPrivateCall", "./live/functions/startPrivateCall");
lazy("endPrivateCall", "./live/functions/endPrivateCall");
lazy("removeParticipant", "./live/functions/removeParticipant");
lazy("muteStream", "./live/functions/muteStream");
lazy("muteAll", "./live/functions/muteAll");
lazy("sendSignal", "./live/functions/sendSignal");
lazy("refreshTokens", "./live/functions/refreshTokens");

export declare const login: typeof import("./access/functions/login").login;
export declare const vonageCallbacks: typeof import("./attendance/functions/vonageCallbacks").vonageCallbacks;
export declare const getSessionAnalytics: typeof import("./attendance/functions/getSessionAnalytics").getSessionAnalytics;
export declare const loginFan: typeof import("./access/functions/loginFan").loginFan;
export declare const loginHost: typeof import("./access/functions/loginHost").loginHost;
export declare const loginCelebrity: typeof import("./access/functions/loginCelebrity").loginCelebrity;
export declare const createAdmin: typeof import("./admins/functions/createAdmin").createAdmin;
export declare const updateAdmin: typeof import("./admins/functions/updateAdmin").updateAdmin;
export declare const deleteAdmin: typeof import("./admins/functions/deleteAdmin").deleteAdmin;
export declare const getAdmin: typeof import("./admins/functions/getAdmin").getAdmin;
export declare const getAdmins: typeof import("./admins/functions/getAdmins").getAdmins;
export declare const createTokenProducer: typeof import("./seats/functions/createTokenProducer").createTokenProducer;
export declare const createTokenHostCeleb: typeof import("./seats/functions/createTokenHostCeleb").createTokenHostCeleb;
export declare const createTokensFan: typeof import("./seats/functions/createTokensFan").createTokensFan;
export declare const createTokenStageFan: typeof import("./seats/functions/createTokenStageFan").createTokenStageFan;
export declare const createTokenByUserType: typeof import("./seats/functions/createTokenByUserType").createTokenByUserType;
export declare const releaseSeat: typeof import("./seats/functions/releaseSeat").releaseSeat;
export declare const sweepSeats: typeof import("./seats/functions/sweepSeats").sweepSeats;
export declare const askForSeat: typeof import("./seats/functions/askForSeat").askForSeat;
export declare const cancelSeatAsk: typeof import("./seats/functions/cancelSeatAsk").cancelSeatAsk;
export declare const createEvent: typeof import("./events/functions/createEvent").createEvent;
export declare const updateEvent: typeof import("./events/functions/updateEvent").updateEvent;
export declare const deleteEvent: typeof import("./events/functions/deleteEvent").deleteEvent;
export declare const getEvent: typeof import("./events/functions/getEvent").getEvent;
export declare const getEvents: typeof import("./events/functions/getEvents").getEvents;
export declare const getEventsByAdmin: typeof import("./events/functions/getEventsByAdmin").getEventsByAdmin;
export declare const getEventByKey: typeof import("./events/functions/getEventByKey").getEventByKey;
export declare const getMostRecentEvent: typeof import("./events/functions/getMostRecentEvent").getMostRecentEvent;
export declare const changeStatus: typeof import("./events/functions/changeStatus").changeStatus;
export declare const eventGoLive: typeof import("./events/functions/eventGoLive").eventGoLive;
export declare const endBroadcast: typeof import("./events/functions/endBroadcast").endBroadcast;
export declare const getBroadcastData: typeof import("./events/functions/getBroadcastData").getBroadcastData;
export declare const stopBroadcastAfterDrain: typeof import("./events/functions/stopBroadcastAfterDrain").stopBroadcastAfterDrain;
export declare const startArchive: typeof import("./events/functions/startArchive").startArchive;
export declare const stopArchive: typeof import("./events/functions/stopArchive").stopArchive;
export declare const finishDrainedBroadcasts: typeof import("./events/functions/finishDrainedBroadcasts").finishDrainedBroadcasts;
export declare const cleanupEventImages: typeof import("./events/functions/cleanupEventImages").cleanupEventImages;
export declare const getAuditLog: typeof import("./live/functions/getAuditLog").getAuditLog;
export declare const restoreShowContinuity: typeof import("./live/functions/restoreShowContinuity").restoreShowContinuity;
export declare const joinLine: typeof import("./live/functions/joinLine").joinLine;
export declare const leaveLine: typeof import("./live/functions/leaveLine").leaveLine;
export declare const getLine: typeof import("./live/functions/getLine").getLine;
export declare const bringBackstage: typeof import("./live/functions/bringBackstage").bringBackstage;
export declare const bringOnStage: typeof import("./live/functions/bringOnStage").bringOnStage;
export declare const takeOffStage: typeof import("./live/functions/takeOffStage").takeOffStage;
export declare const startPrivateCall: typeof import("./live/functions/startPrivateCall").startPrivateCall;
export declare const endPrivateCall: typeof import("./live/functions/endPrivateCall").endPrivateCall;
export declare const removeParticipant: typeof import("./live/functions/removeParticipant").removeParticipant;
export declare const muteStream: typeof import("./live/functions/muteStream").muteStream;
export declare const muteAll: typeof import("./live/functions/muteAll").muteAll;
export declare const sendSignal: typeof import("./live/functions/sendSignal").sendSignal;
export declare const refreshTokens: typeof import("./live/functions/refreshTokens").refreshTokens;
