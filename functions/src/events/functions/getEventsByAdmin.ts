/**
 * `getEventsByAdmin`: public list of an admin's events that are not closed, oldest first, public fields
 * only (IBS returned host and celebrity slugs here: docs/ibs-flaws.md#5; no session ids either: docs/ibs-flaws.md#7).
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { id } from "../../platform/schemas";
import { openPublicEvents } from "../queries";

export const getEventsByAdmin = validatedCallable({
  name: "getEventsByAdmin",
  input: z.object({ adminId: id }).strict(),
  allow: "anyone",
  handler: ({ adminId }) => openPublicEvents(adminId),
});
