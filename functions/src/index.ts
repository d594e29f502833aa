/**
 * Exports only. Each export is a getter that loads its function's file on first access: a deployed
 * instance serves the one function named by FUNCTION_TARGET and reads only that export, so its cold
 * start loads only that function's module graph; deploy analysis and tests, which read every export,
 * load them all. The `declare` lines give the exports their types.
 */
/* eslint-disable @typescript-eslint/no-require-imports */

function lazy(name: string, file: string): void {
  Object.defineProperty(exports, name, { enumerable: true, get: () => (require(file) as Record<string, unknown>)[name] });
}

lazy("login", "./auth/login");
lazy("vonageCallbacks", "./analytics/vonageCallbacks");
lazy("getSessionAnalytics", "./analytics/getSessionAnalytics");
lazy("loginFan", "./auth/loginFan");
lazy("loginHost", "./auth/loginHost");
lazy("loginCelebrity", "./auth/loginCelebrity");
lazy("createAdmin", "./admins/createAdmin");
lazy("updateAdmin", "./admins/updateAdmin");
lazy("deleteAdmin", "./admins/deleteAdmin");
lazy("getAdmin", "./admins/getAdmin");
lazy("getAdmins", "./admins/getAdmins");
lazy("createTokenProducer", "./tokens/createTokenProducer");
lazy("createTokenHostCeleb", "./tokens/createTokenHostCeleb");
lazy("createTokensFan", "./tokens/createTokensFan");
lazy("createTokenStageFan", "./tokens/createTokenStageFan");
lazy("createTokenByUserType", "./tokens/createTokenByUserType");
lazy("releaseSeat", "./tokens/releaseSeat");
lazy("createEvent", "./events/createEvent");
lazy("updateEvent", "./events/updateEvent");
lazy("deleteEvent", "./events/deleteEvent");
lazy("getEvent", "./events/getEvent");
lazy("getEvents", "./events/getEvents");
lazy("getEventsByAdmin", "./events/getEventsByAdmin");
lazy("getEventByKey", "./events/getEventByKey");
lazy("getMostRecentEvent", "./events/getMostRecentEvent");
lazy("changeStatus", "./events/changeStatus");
lazy("eventGoLive", "./broadcast/eventGoLive");
lazy("endBroadcast", "./broadcast/endBroadcast");
lazy("getBroadcastData", "./broadcast/getBroadcastData");
lazy("stopBroadcastAfterDrain", "./broadcast/stopBroadcastAfterDrain");
lazy("startArchive", "./archive/startArchive");
lazy("stopArchive", "./archive/stopArchive");
lazy("finishDrainedBroadcasts", "./scheduled/finishDrainedBroadcasts");
lazy("cleanupEventImages", "./scheduled/cleanupEventImages");

export declare const login: typeof import("./auth/login").login;
export declare const vonageCallbacks: typeof import("./analytics/vonageCallbacks").vonageCallbacks;
export declare const getSessionAnalytics: typeof import("./analytics/getSessionAnalytics").getSessionAnalytics;
export declare const loginFan: typeof import("./auth/loginFan").loginFan;
export declare const loginHost: typeof import("./auth/loginHost").loginHost;
export declare const loginCelebrity: typeof import("./auth/loginCelebrity").loginCelebrity;
export declare const createAdmin: typeof import("./admins/createAdmin").createAdmin;
export declare const updateAdmin: typeof import("./admins/updateAdmin").updateAdmin;
export declare const deleteAdmin: typeof import("./admins/deleteAdmin").deleteAdmin;
export declare const getAdmin: typeof import("./admins/getAdmin").getAdmin;
export declare const getAdmins: typeof import("./admins/getAdmins").getAdmins;
export declare const createTokenProducer: typeof import("./tokens/createTokenProducer").createTokenProducer;
export declare const createTokenHostCeleb: typeof import("./tokens/createTokenHostCeleb").createTokenHostCeleb;
export declare const createTokensFan: typeof import("./tokens/createTokensFan").createTokensFan;
export declare const createTokenStageFan: typeof import("./tokens/createTokenStageFan").createTokenStageFan;
export declare const createTokenByUserType: typeof import("./tokens/createTokenByUserType").createTokenByUserType;
export declare const releaseSeat: typeof import("./tokens/releaseSeat").releaseSeat;
export declare const createEvent: typeof import("./events/createEvent").createEvent;
export declare const updateEvent: typeof import("./events/updateEvent").updateEvent;
export declare const deleteEvent: typeof import("./events/deleteEvent").deleteEvent;
export declare const getEvent: typeof import("./events/getEvent").getEvent;
export declare const getEvents: typeof import("./events/getEvents").getEvents;
export declare const getEventsByAdmin: typeof import("./events/getEventsByAdmin").getEventsByAdmin;
export declare const getEventByKey: typeof import("./events/getEventByKey").getEventByKey;
export declare const getMostRecentEvent: typeof import("./events/getMostRecentEvent").getMostRecentEvent;
export declare const changeStatus: typeof import("./events/changeStatus").changeStatus;
export declare const eventGoLive: typeof import("./broadcast/eventGoLive").eventGoLive;
export declare const endBroadcast: typeof import("./broadcast/endBroadcast").endBroadcast;
export declare const getBroadcastData: typeof import("./broadcast/getBroadcastData").getBroadcastData;
export declare const stopBroadcastAfterDrain: typeof import("./broadcast/stopBroadcastAfterDrain").stopBroadcastAfterDrain;
export declare const startArchive: typeof import("./archive/startArchive").startArchive;
export declare const stopArchive: typeof import("./archive/stopArchive").stopArchive;
export declare const finishDrainedBroadcasts: typeof import("./scheduled/finishDrainedBroadcasts").finishDrainedBroadcasts;
export declare const cleanupEventImages: typeof import("./scheduled/cleanupEventImages").cleanupEventImages;
