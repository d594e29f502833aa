/**
 * The callers every role test goes through: the `auth` part of a callable request for each role, as
 * the login functions' tokens (or a password / anonymous sign-in) would make it. `adm1` owns the
 * events the fan, host and celebrity belong to; `adm2` is the other admin.
 */
import { authFor } from "./harness";

export const callers = {
  unauthenticated: undefined,
  anonymous: authFor("anon1", {}, "anonymous"),
  /** Signed in with e-mail and password, but not a registered admin. */
  plainUser: authFor("user1", {}, "password"),
  fan: authFor("fan1", { role: "fan", adminId: "adm1", eventId: "ev1" }),
  host: authFor("host-ev1", { role: "host", adminId: "adm1", eventId: "ev1" }),
  celebrity: authFor("celebrity-ev1", { role: "celebrity", adminId: "adm1", eventId: "ev1" }),
  admin: authFor("adm1", { role: "admin", superAdmin: false }, "password"),
  otherAdmin: authFor("adm2", { role: "admin", superAdmin: false }, "password"),
  superAdmin: authFor("sup1", { role: "admin", superAdmin: true }, "password"),
} as const;

export type CallerName = keyof typeof callers;

/** Every caller that is not an admin: refused by admin-only functions with permission-denied. */
export const NON_ADMINS: CallerName[] = ["anonymous", "plainUser", "fan", "host", "celebrity"];

/** A 10 kB string: no field accepts it. */
export const HUGE = "x".repeat(10_000);
