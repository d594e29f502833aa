/** Domain rows of the archive area: each triggers one documented code through the real callable. */
import { eventIn } from "../lifecycleFixtures";
import { useVonageStandin } from "../vonageStandin";
import { admin, callAs, type Row } from "./support";
import { archiveStopsFail, duringGoLive, liveArchivingShow } from "./broadcast";

export const rows: Row[] = [
  { fn: "startArchive", code: "not-found", how: "an unknown event", run: () => callAs("startArchive", admin, { id: "no-such-event" }) },
  {
    fn: "startArchive",
    code: "failed-precondition",
    how: "a show that is not live (preshow)",
    run: async () => callAs("startArchive", admin, { id: (await eventIn("preshow")).id }),
  },
  {
    fn: "startArchive",
    code: "unavailable",
    how: "Vonage answers 500 to the archive start",
    run: async () => {
      const event = await eventIn("live");
      (await useVonageStandin()).injectFault({ method: "POST", pathRegex: "/archive$", status: 500, count: 1 });
      return callAs("startArchive", admin, { id: event.id });
    },
  },
  { fn: "stopArchive", code: "not-found", how: "an unknown event", run: () => callAs("stopArchive", admin, { id: "no-such-event" }) },
  {
    fn: "stopArchive",
    code: "failed-precondition",
    how: "stopping the archive while the show's go-live is still starting Vonage",
    run: () => duringGoLive((id) => callAs("stopArchive", admin, { id })),
  },
  {
    fn: "stopArchive",
    code: "unavailable",
    how: "Vonage answers 500 to the archive stop",
    run: async () => {
      const event = await liveArchivingShow();
      await archiveStopsFail();
      return callAs("stopArchive", admin, { id: event.id });
    },
  },
];
