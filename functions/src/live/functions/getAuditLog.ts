/**
 * `getAuditLog({eventId, pageSize?, after?})`: the show's audit trail for its owner admin (or a
 * superAdmin), oldest first, a page at a time: pass the answer's `next` as `after` for the next page.
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { id } from "../../platform/schemas";
import { auditPage } from "../audit";
import { producedEvent } from "../producer";

export const getAuditLog = validatedCallable({
  name: "getAuditLog",
  input: z
    .object({
      eventId: id,
      pageSize: z.number().int().min(1).max(200).default(50),
      // A push id from an earlier page's `next`.
      after: z
        .string()
        .regex(/^[-0-9A-Za-z_]{1,64}$/)
        .optional(),
    })
    .strict(),
  allow: ["admin", "superAdmin"],
  handler: async ({ eventId, pageSize, after }, caller) => {
    await producedEvent(caller, eventId, "read its audit log");
    return { eventId, ...(await auditPage(eventId, pageSize, after)) };
  },
});
