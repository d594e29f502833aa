/**
 * `loginFan` ({adminId, slug?}; anyone, rate limited): with a slug, the event of that fan link; without
 * one (an embed that only knows the admin), the admin's current show. One database read.
 *
 * The token's uid is the caller's own when they are already a fan (signed in anonymously, or with an
 * earlier fan token), so presence keys `<uid>-...` and a held seat survive a page reload; anyone else
 * gets a fresh random uid (never the uid of an admin, host or celebrity).
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { validatedCallable } from "../../platform/callable";
import { paths } from "../../platform/paths";
import { id, slug } from "../../platform/schemas";
import { eventLogin, readEventKey } from "../eventLogin";

export const loginFan = validatedCallable({
  name: "loginFan",
  input: z.object({ adminId: id, slug: slug.optional() }).strict(),
  allow: "anyone",
  rateLimited: true,
  handler: async (data, caller) => {
    const key = await readEventKey(data.slug ? paths.eventKey(data.adminId, "fan", data.slug) : paths.currentEvent(data.adminId));
    // Alphanumeric only: the presence rules match `<uid>-...`, so a uid must not contain '-'.
    const keepUid = caller && (caller.anonymous || caller.role === "fan");
    const uid = keepUid ? caller.uid : `fan${randomBytes(16).toString("hex")}`;
    return eventLogin("fan", data.adminId, key, uid);
  },
});
