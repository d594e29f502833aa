/** Domain rows of the broadcast area: each triggers one documented code through the real callable. */
import { seedAdmin, seedEvent } from "../fixtures";
import { eventIn, stored } from "../lifecycleFixtures";
import { useVonageStandin } from "../vonageStandin";
import type { EventRecord } from "../../events/model";
import { admin, callAs, type Row } from "./support";

/**
 * Runs `call` while the producer's "Go live" on a preshow event is still starting the broadcast (the
 * stand-in holds that request a moment), i.e. while the go-live holds the event's lease: what a
 * second click of the producer (another tab, another button) meets.
 */
export async function duringGoLive(call: (eventId: string) => Promise<unknown>): Promise<unknown> {
  const event = await eventIn("preshow");
  (await useVonageStandin()).injectFault({ method: "POST", pathRegex: "/broadcast$", delayMs: 1500, count: 1 });
  const goLive = callAs("eventGoLive", admin, { id: event.id }).catch(() => undefined);
  try {
    const deadline = Date.now() + 20_000;
    while (!(await stored<EventRecord>(`events/${event.id}`)).lifecycle?.lease) {
      if (Date.now() > deadline) throw new Error("the go-live never took the event's lease");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return await call(event.id);
  } finally {
    await goLive;
  }
}

/** A live show of an admin without HLS (so its close enqueues no broadcast stop) that archives. */
export async function liveArchivingShow(): Promise<EventRecord> {
  await seedAdmin("adm1", { hls: false });
  return eventIn("live", { archiveEvent: true });
}

/** Vonage answers 500 to every archive stop until the row's faults are cleared. */
export async function archiveStopsFail(): Promise<void> {
  (await useVonageStandin()).injectFault({ method: "POST", pathRegex: "/archive/[^/]+/stop$", status: 500, count: 0 });
}

export const rows: Row[] = [
  { fn: "eventGoLive", code: "not-found", how: "an unknown event", run: () => callAs("eventGoLive", admin, { id: "no-such-event" }) },
  {
    fn: "eventGoLive",
    code: "failed-precondition",
    how: "an event not opened yet (notStarted cannot go live)",
    run: async () => callAs("eventGoLive", admin, { id: (await seedEvent("adm1")).id }),
  },
  {
    fn: "eventGoLive",
    code: "unavailable",
    how: "Vonage answers 500 to the broadcast start",
    run: async () => {
      const event = await eventIn("preshow");
      (await useVonageStandin()).injectFault({ method: "POST", pathRegex: "/broadcast$", status: 500, count: 1 });
      return callAs("eventGoLive", admin, { id: event.id });
    },
  },
  { fn: "endBroadcast", code: "not-found", how: "an unknown event", run: () => callAs("endBroadcast", admin, { id: "no-such-event" }) },
  {
    fn: "endBroadcast",
    code: "failed-precondition",
    how: "ending the show while its go-live is still starting Vonage",
    run: () => duringGoLive((id) => callAs("endBroadcast", admin, { id })),
  },
  {
    fn: "endBroadcast",
    code: "unavailable",
    how: "Vonage answers 500 to the archive stop",
    run: async () => {
      const event = await liveArchivingShow();
      await archiveStopsFail();
      return callAs("endBroadcast", admin, { id: event.id });
    },
  },
  {
    fn: "getBroadcastData",
    code: "not-found",
    how: "an unknown fan link",
    run: () => callAs("getBroadcastData", undefined, { adminId: "adm1", slug: "no-such-show" }),
  },
];
