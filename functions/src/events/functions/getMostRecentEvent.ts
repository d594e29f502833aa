/**
 * `getMostRecentEvent`: public fields of the admin's current show, the newest live event, else the
 * newest preshow event (IBS returned the oldest: docs/ibs-flaws.md#19). No show running is an answer, not an error:
 * `null`.
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { id } from "../../platform/schemas";
import { currentPublicEvent } from "../queries";

export const getMostRecentEvent = validatedCallable({
  name: "getMostRecentEvent",
  input: z.object({ adminId: id }).strict(),
  allow: "anyone",
  handler: ({ adminId }) => currentPublicEvent(adminId),
});
