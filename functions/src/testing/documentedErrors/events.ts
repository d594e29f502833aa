/** Domain rows of the events area: each triggers one documented code through the real callable. */
import { authFor } from "../harness";
import { seedAdmin, seedEvent } from "../fixtures";
import { useVonageStandin } from "../vonageStandin";
import { db } from "../../platform/firebase";
import { paths } from "../../contract/paths";
import { admin, callAs, retryWhileFirstFails, superAdmin, type Row } from "./support";

/** Another admin: every owner check refuses them adm1's events. */
const otherAdmin = authFor("adm2", { role: "admin", superAdmin: false }, "password");

/** An event of adm1 made through the callables (real Vonage sessions on the stand-in), moved on to `status`. */
async function showIn(status: "preshow" | "live", data: Record<string, unknown> = {}): Promise<{ id: string }> {
  const event = (await callAs("createEvent", admin, { name: "Documented show", ...data })) as { id: string };
  for (const next of status === "live" ? ["preshow", "live"] : ["preshow"])
    await callAs("changeStatus", admin, { id: event.id, status: next });
  return event;
}

/** Waits until a status change holds the event's lease (it is running its Vonage steps). */
async function untilLeased(eventId: string): Promise<void> {
  const lease = db().ref(`${paths.event(eventId)}/lifecycle/lease`);
  const deadline = Date.now() + 30_000;
  while (!(await lease.get()).exists()) {
    if (Date.now() > deadline) throw new Error("the status change never took the event's lease");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs `body` with VONAGE_TIMEOUT_MS set to `ms`, then restores what it was. */
async function withVonageTimeout<T>(ms: number, body: () => Promise<T>): Promise<T> {
  const before = process.env.VONAGE_TIMEOUT_MS;
  process.env.VONAGE_TIMEOUT_MS = String(ms);
  try {
    return await body();
  } finally {
    if (before === undefined) delete process.env.VONAGE_TIMEOUT_MS;
    else process.env.VONAGE_TIMEOUT_MS = before;
  }
}

/**
 * adm1's credential becomes a legacy pair Vonage accepts; the answer rotates its secret in the Vonage
 * dashboard, after which Vonage refuses the secret adm1 still has.
 */
async function rotatableCredential(): Promise<() => void> {
  const apiKey = "47999002";
  const standin = await useVonageStandin();
  standin.addProject(apiKey, "documented0errors0the0old0secret0000001");
  await seedAdmin("adm1", {}, { apiKey, apiSecret: "documented0errors0the0old0secret0000001" });
  return () => void standin.addProject(apiKey, "documented0errors0the0new0secret0000001");
}

export const rows: Row[] = [
  {
    fn: "changeStatus",
    code: "failed-precondition",
    how: "a transition the state machine refuses (notStarted to live)",
    run: async () => callAs("changeStatus", admin, { id: (await seedEvent("adm1")).id, status: "live" }),
  },
  {
    fn: "changeStatus",
    code: "failed-precondition",
    how: "Vonage refuses the admin's credential at go-live (its secret was rotated since the event was made)",
    run: async () => {
      const rotate = await rotatableCredential();
      const { id } = await showIn("preshow", { archiveEvent: true });
      rotate();
      return callAs("changeStatus", admin, { id, status: "live" });
    },
  },
  {
    fn: "changeStatus",
    code: "not-found",
    how: "an unknown event",
    run: () => callAs("changeStatus", admin, { id: "nope", status: "preshow" }),
  },
  {
    fn: "changeStatus",
    code: "permission-denied",
    how: "another admin's event",
    run: async () => callAs("changeStatus", otherAdmin, { id: (await seedEvent("adm1")).id, status: "preshow" }),
  },
  {
    fn: "changeStatus",
    code: "unavailable",
    how: "Vonage answers 500 to the archive start at go-live",
    run: async () => {
      const { id } = await showIn("preshow", { archiveEvent: true });
      (await useVonageStandin()).injectFault({ method: "POST", pathRegex: "/archive$", status: 500, count: 0 });
      return callAs("changeStatus", admin, { id, status: "live" });
    },
  },
  {
    fn: "createEvent",
    code: "already-exists",
    how: "a fan URL another open event of the admin holds",
    run: async () => callAs("createEvent", admin, { name: "Twin", fanUrl: (await seedEvent("adm1")).fanUrl }),
  },
  {
    fn: "createEvent",
    code: "failed-precondition",
    how: "Vonage refuses the admin's credential (its secret was rotated)",
    run: async () => {
      (await rotatableCredential())();
      return callAs("createEvent", admin, { name: "Refused" });
    },
  },
  {
    fn: "createEvent",
    code: "failed-precondition",
    how: "a retry with the requestId of a call whose event was deleted since",
    run: async () => {
      const data = { name: "Gone", requestId: "request-event-gone-1" };
      const { id } = (await callAs("createEvent", admin, data)) as { id: string };
      await callAs("deleteEvent", admin, { id });
      return callAs("createEvent", admin, data);
    },
  },
  {
    fn: "createEvent",
    code: "not-found",
    how: "a superAdmin creating for an unknown admin",
    run: () => callAs("createEvent", superAdmin, { name: "Orphan", adminId: "nobody" }),
  },
  {
    fn: "createEvent",
    code: "permission-denied",
    how: "an admin creating for another admin",
    run: () => callAs("createEvent", admin, { name: "Not mine", adminId: "adm2" }),
  },
  {
    fn: "createEvent",
    code: "aborted",
    how: "a retry while the first call with its requestId runs and then fails (Vonage down)",
    run: () =>
      retryWhileFirstFails(
        "createEvent",
        admin,
        { name: "Twice", requestId: "request-twice-1" },
        async () => {
          (await useVonageStandin()).injectFault({ method: "POST", pathRegex: "/session/create", status: 500, count: 0, delayMs: 300 });
        },
        "unavailable",
      ),
  },
  {
    fn: "createEvent",
    code: "unavailable",
    how: "Vonage answers 500 to session creation",
    run: async () => {
      (await useVonageStandin()).injectFault({ method: "POST", pathRegex: "/session/create", status: 500, count: 0 });
      return callAs("createEvent", admin, { name: "Down" });
    },
  },
  {
    fn: "deleteEvent",
    code: "failed-precondition",
    how: "a delete while another call's go-live is running (Vonage slow to start the archive)",
    run: async () => {
      const { id } = await showIn("preshow", { archiveEvent: true });
      return withVonageTimeout(10_000, async () => {
        (await useVonageStandin()).injectFault({ method: "POST", pathRegex: "/archive$", delayMs: 4_000, count: 1 });
        const goLive = callAs("changeStatus", admin, { id, status: "live" }).catch(() => undefined);
        try {
          await untilLeased(id);
          return await callAs("deleteEvent", admin, { id });
        } finally {
          await goLive;
        }
      });
    },
  },
  {
    fn: "deleteEvent",
    code: "failed-precondition",
    how: "Vonage refuses the admin's credential when stopping the live show's archive (its secret was rotated)",
    run: async () => {
      const rotate = await rotatableCredential();
      const { id } = await showIn("live", { archiveEvent: true });
      rotate();
      return callAs("deleteEvent", admin, { id });
    },
  },
  { fn: "deleteEvent", code: "not-found", how: "an unknown event", run: () => callAs("deleteEvent", admin, { id: "nope" }) },
  {
    fn: "deleteEvent",
    code: "permission-denied",
    how: "another admin's event",
    run: async () => callAs("deleteEvent", otherAdmin, { id: (await seedEvent("adm1")).id }),
  },
  {
    fn: "deleteEvent",
    code: "unavailable",
    how: "Vonage answers 500 to stopping the live show's archive",
    run: async () => {
      const { id } = await showIn("live", { archiveEvent: true });
      (await useVonageStandin()).injectFault({ method: "POST", pathRegex: "/archive/[^/]+/stop$", status: 500, count: 0 });
      return callAs("deleteEvent", admin, { id });
    },
  },
  { fn: "getEvent", code: "not-found", how: "an unknown event", run: () => callAs("getEvent", admin, { id: "nope" }) },
  {
    fn: "getEvent",
    code: "permission-denied",
    how: "another admin's event",
    run: async () => callAs("getEvent", otherAdmin, { id: (await seedEvent("adm1")).id }),
  },
  {
    fn: "getEventByKey",
    code: "not-found",
    how: "a fan URL no event of the admin ever had",
    run: async () => {
      await seedEvent("adm1");
      return callAs("getEventByKey", undefined, { adminId: "adm1", slug: "no-such-show" });
    },
  },
  {
    fn: "getEvents",
    code: "permission-denied",
    how: "an admin naming another admin",
    run: () => callAs("getEvents", admin, { adminId: "adm2" }),
  },
  {
    fn: "updateEvent",
    code: "already-exists",
    how: "a fan URL another open event of the admin holds",
    run: async () => {
      const [event, other] = [await seedEvent("adm1"), await seedEvent("adm1")];
      return callAs("updateEvent", admin, { id: event.id, fanUrl: other.fanUrl });
    },
  },
  {
    fn: "updateEvent",
    code: "failed-precondition",
    how: "a closed event",
    run: async () => callAs("updateEvent", admin, { id: (await seedEvent("adm1", { status: "closed" })).id, name: "Too late" }),
  },
  { fn: "updateEvent", code: "not-found", how: "an unknown event", run: () => callAs("updateEvent", admin, { id: "nope", name: "X" }) },
  {
    fn: "updateEvent",
    code: "permission-denied",
    how: "another admin's event",
    run: async () => callAs("updateEvent", otherAdmin, { id: (await seedEvent("adm1")).id, name: "Hijack" }),
  },
];
