/**
 * `getAuditLog({eventId, pageSize?, after?})`: the show's audit trail for its owner admin (or a
 * superAdmin), oldest first, a page at a time: pass the answer's `next` as `after` for the next page.
 */
import { validatedCallable } from "../../platform/callable";
import { auditPage } from "../audit";
import { producedEvent } from "../producer";
import type { CallableOutput } from "../../contract/callables";
import { liveInputs } from "../../contract/callables/live";

export const getAuditLog = validatedCallable({
  name: "getAuditLog",
  input: liveInputs.getAuditLog,
  allow: ["admin", "superAdmin"],
  handler: async ({ eventId, pageSize, after }, caller): Promise<CallableOutput<"getAuditLog">> => {
    await producedEvent(caller, eventId, "read its audit log");
    return { eventId, ...(await auditPage(eventId, pageSize, after)) };
  },
});
