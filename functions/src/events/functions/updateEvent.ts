/**
 * `updateEvent`: the owner (or a superAdmin) changes some fields of an event that is not closed.
 * The fan slug changes only before preshow (fans' links and the live record hang on it); archive and
 * broadcast settings only before the show is live (they act at go-live); the interactive limit any time
 * before close, reaching the seat gate and the live record at once. A replaced image is deleted, an
 * unchanged one never (IBS deleted images the form merely re-sent: docs/ibs-flaws.md#16).
 */
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { id } from "../../platform/schemas";
import { dateTime, eventImage, eventName, httpsUrl, interactiveLimit, rtmpOutputs, slug } from "../input";
import { updateEventFor } from "../update";

const input = z
  .object({
    id,
    name: eventName.optional(),
    fanUrl: slug.optional(),
    archiveEvent: z.boolean().optional(),
    uncomposed: z.boolean().optional(),
    redirectUrl: httpsUrl.nullable().optional(),
    rtmpOutputs: rtmpOutputs.nullable().optional(),
    interactiveLimit: interactiveLimit.optional(),
    dateTimeStart: dateTime.nullable().optional(),
    dateTimeEnd: dateTime.nullable().optional(),
    startImage: eventImage.nullable().optional(),
    endImage: eventImage.nullable().optional(),
  })
  .strict();

export const updateEvent = validatedCallable({
  name: "updateEvent",
  input,
  allow: ["admin"],
  handler: (data, caller) => updateEventFor(caller, data),
});
