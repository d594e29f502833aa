/** Domain rows of the analytics area: each triggers one documented code through the real callable. */
import { authFor } from "../harness";
import { seedEvent } from "../fixtures";
import { admin, callAs, type Row } from "./support";

export const rows: Row[] = [
  {
    fn: "getSessionAnalytics",
    code: "not-found",
    how: "an unknown event",
    run: () => callAs("getSessionAnalytics", admin, { eventId: "no-such-event" }),
  },
  {
    fn: "getSessionAnalytics",
    code: "permission-denied",
    how: "another admin's show",
    run: async () =>
      callAs("getSessionAnalytics", authFor("adm2", { role: "admin", superAdmin: false }, "password"), {
        eventId: (await seedEvent("adm1", { status: "closed" })).id,
      }),
  },
];
