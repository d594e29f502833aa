/**
 * `loginHost` ({adminId, slug}): `slug` is the host link secret of the event (>= 128 bits, looked
 * up under `eventKeys/{adminId}/host/`), and it is required: IBS issued a stage token for the
 * current event from the public adminId alone (flaw 5). Fan slugs and the other role's secret live
 * in other namespaces, so they never log in as host.
 *
 * The uid is fixed per event and role (`host-<eventId>`): re-joins are one participant for
 * presence and attendance.
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { paths } from "../../platform/paths";
import { id, linkSecret } from "../../platform/schemas";
import { eventLogin, readEventKey } from "../eventLogin";

export const loginHost = validatedCallable({
  name: "loginHost",
  input: z.object({ adminId: id, slug: linkSecret }).strict(),
  allow: "anyone",
  rateLimited: true,
  handler: async (data) => {
    const key = await readEventKey(paths.eventKey(data.adminId, "host", data.slug));
    return eventLogin("host", data.adminId, key, `host-${key.eventId}`);
  },
});
