/**
 * `loginFan` ({adminId, slug?}; anyone, rate limited; FAN_LOGINS_PER_ADDRESS_PER_MINUTE per event, shared): with a slug, the event of that fan link; without
 * one (an embed that only knows the admin), the admin's current show. One database read.
 *
 * The token's uid is the caller's own when they are already a fan (signed in anonymously, or with an
 * earlier fan token), so presence keys `<uid>-...` and a held seat survive a page reload; anyone else
 * gets a fresh random uid (never the uid of an admin, host or celebrity).
 */
import { validatedCallable } from "../../platform/callable";
import { fanLoginsPerAddressPerMinute } from "../../platform/config";
import { fanLogin } from "../eventLogin";
import type { CallableOutput } from "../../contract/callables";
import { accessInputs } from "../../contract/callables/access";

export const loginFan = validatedCallable({
  name: "loginFan",
  input: accessInputs.loginFan,
  allow: "anyone",
  rateLimited: true,
  // Each signed-out login is a fresh uid, and each uid can hold a seat: a per-uid budget bounds nothing.
  sharedBudget: { perMinute: () => fanLoginsPerAddressPerMinute.value(), key: (data) => `${data.adminId}/${data.slug ?? ""}` },
  handler: (data, caller): Promise<CallableOutput<"loginFan">> => fanLogin(caller, data.adminId, data.slug),
});
