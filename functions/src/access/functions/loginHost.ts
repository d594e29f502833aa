/**
 * `loginHost` ({adminId, slug}): `slug` is the host link secret of the event (>= 128 bits, looked
 * up under `eventKeys/{adminId}/host/`), and it is required: IBS issued a stage token for the
 * current event from the public adminId alone (docs/ibs-flaws.md#5). Fan slugs and the other role's secret live
 * in other namespaces, so they never log in as host.
 *
 * The uid is fixed per event and role (`host-<eventId>`): re-joins are one participant for
 * presence and attendance.
 */
import { stageLoginCallable } from "./stageLoginCallable";

export const loginHost = stageLoginCallable("host");
