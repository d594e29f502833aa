/** Domain rows of the tokens area: each triggers one documented code through the real callable. */
import { authFor, testDatabase } from "../harness";
import { seedEvent } from "../fixtures";
import { eventIn } from "../lifecycleFixtures";
import { db } from "../../platform/firebase";
import { paths } from "../../contract/paths";
import { forgetCredentials } from "../../admins/tenants";
import type { EventRecord } from "../../events/model";
import { admin, callAs, limited, type Row } from "./support";

const login = (role: "fan" | "host" | "celebrity", eventId: string) => authFor(`${role}1`, { role, adminId: "adm1", eventId });
const fanOf = (event: Pick<EventRecord, "id">) => login("fan", event.id);
/**
 * Every transaction on the event's seat shards loses (other instances win each race, the SDK gives up
 * with maxretry), as on a shard many instances write at once.
 */
async function shardsContended(eventId: string): Promise<void> {
  (await testDatabase()).contend(paths.seatShards(eventId), 100_000);
}

/** A login for an event deleted since (its claims outlive it). */
const GONE = "no-such-event";

/**
 * The event's sessions were made with the project-wide key (adm1 has no key of their own), and the
 * operator has since replaced that key (VONAGE_API_KEY): no credential can sign for those sessions.
 */
async function projectKeyReplaced<T>(run: (event: EventRecord) => Promise<T>): Promise<T> {
  await db().ref(paths.adminCredentials("adm1")).remove();
  forgetCredentials("adm1");
  const event = await eventIn("preshow");
  const before = process.env.VONAGE_API_KEY;
  process.env.VONAGE_API_KEY = "47999002";
  try {
    return await run(event);
  } finally {
    process.env.VONAGE_API_KEY = before;
  }
}

export const rows: Row[] = [
  {
    fn: "askForSeat",
    code: "failed-precondition",
    how: "a show not opened yet",
    run: async () => callAs("askForSeat", fanOf(await seedEvent("adm1")), {}),
  },
  { fn: "askForSeat", code: "not-found", how: "a login for a deleted event", run: () => callAs("askForSeat", login("fan", GONE), {}) },
  {
    fn: "askForSeat",
    code: "resource-exhausted",
    how: "a second call over a limit of 1 a minute",
    run: async () => limited("askForSeat", {}, fanOf(await seedEvent("adm1", { status: "live" }))),
  },
  {
    fn: "createTokenByUserType",
    code: "failed-precondition",
    how: "the project-wide key that made the show's sessions was replaced",
    run: () =>
      projectKeyReplaced((event) => callAs("createTokenByUserType", login("host", event.id), { adminId: "adm1", userType: "host" })),
  },
  {
    fn: "createTokenByUserType",
    code: "not-found",
    how: "an admin with no show running",
    run: async () =>
      callAs("createTokenByUserType", fanOf(await seedEvent("adm1", { status: "closed" })), { adminId: "adm1", userType: "fan" }),
  },
  {
    fn: "createTokenByUserType",
    code: "resource-exhausted",
    how: "a second call over a limit of 1 a minute",
    run: async () => limited("createTokenByUserType", { adminId: "adm1", userType: "fan" }, fanOf(await eventIn("preshow"))),
  },
  {
    fn: "createTokenHostCeleb",
    code: "failed-precondition",
    how: "a show that has ended",
    run: async () => callAs("createTokenHostCeleb", login("host", (await seedEvent("adm1", { status: "closed" })).id), {}),
  },
  {
    fn: "createTokenHostCeleb",
    code: "not-found",
    how: "a login for a deleted event",
    run: () => callAs("createTokenHostCeleb", login("celebrity", GONE), {}),
  },
  {
    fn: "createTokenHostCeleb",
    code: "resource-exhausted",
    how: "a second call over a limit of 1 a minute",
    run: async () => limited("createTokenHostCeleb", {}, login("host", (await seedEvent("adm1", { status: "preshow" })).id)),
  },
  {
    fn: "createTokenProducer",
    code: "failed-precondition",
    how: "a show that has ended",
    run: async () => callAs("createTokenProducer", admin, { eventId: (await seedEvent("adm1", { status: "closed" })).id }),
  },
  {
    fn: "createTokenProducer",
    code: "not-found",
    how: "an unknown event",
    run: () => callAs("createTokenProducer", admin, { eventId: GONE }),
  },
  {
    fn: "createTokenProducer",
    code: "resource-exhausted",
    how: "a second call over a limit of 1 a minute",
    run: async () => limited("createTokenProducer", { eventId: (await seedEvent("adm1", { status: "preshow" })).id }, admin),
  },
  {
    fn: "createTokensFan",
    code: "failed-precondition",
    how: "a show not opened yet",
    run: async () => callAs("createTokensFan", fanOf(await seedEvent("adm1")), {}),
  },
  {
    fn: "createTokensFan",
    code: "not-found",
    how: "a login for a deleted event",
    run: () => callAs("createTokensFan", login("fan", GONE), {}),
  },
  {
    fn: "createTokensFan",
    code: "resource-exhausted",
    how: "a second call over a limit of 1 a minute",
    run: async () => limited("createTokensFan", {}, fanOf(await seedEvent("adm1", { status: "live" }))),
  },
  {
    fn: "createTokenStageFan",
    code: "failed-precondition",
    how: "a show not opened yet",
    run: async () => callAs("createTokenStageFan", fanOf(await seedEvent("adm1")), { fanId: "fan1" }),
  },
  {
    fn: "createTokenStageFan",
    code: "not-found",
    how: "a login for a deleted event",
    run: () => callAs("createTokenStageFan", login("fan", GONE), { fanId: "fan1" }),
  },
  {
    fn: "createTokenStageFan",
    code: "resource-exhausted",
    how: "a second call over a limit of 1 a minute",
    run: async () => limited("createTokenStageFan", { fanId: "fan1" }, fanOf(await seedEvent("adm1", { status: "live" }))),
  },
  {
    fn: "createTokensFan",
    code: "unavailable",
    how: "the seat shards contended (every transaction loses its race)",
    run: async () => {
      const event = await seedEvent("adm1", { status: "live" });
      await shardsContended(event.id);
      return callAs("createTokensFan", fanOf(event), {});
    },
  },
  {
    fn: "createTokenByUserType",
    code: "unavailable",
    how: "a fan's seat while the seat shards are contended",
    run: async () => {
      const event = await eventIn("preshow");
      await shardsContended(event.id);
      return callAs("createTokenByUserType", fanOf(event), { adminId: "adm1", userType: "fan" });
    },
  },
  {
    fn: "askForSeat",
    code: "unavailable",
    how: "a free seat to offer while the seat shards are contended",
    run: async () => {
      const event = await seedEvent("adm1", { status: "live" });
      await shardsContended(event.id);
      return callAs("askForSeat", fanOf(event), {});
    },
  },
];
