/** The set-up the login suites share: named callers of a login function, and a world with two admins. */
import type { CallableFunction } from "firebase-functions/v2/https";
import { fft, resetDatabase, useFakeAuth, type FakeAuth } from "./harness";
import { callers, type CallerName } from "./callers";
import { seedAdmin } from "./fixtures";

export interface LoginAnswer {
  token: string;
  uid: string;
  event: Record<string, unknown>;
}

/** Calls the login function as one of the named callers (testing/callers). */
export function loginAs(fn: CallableFunction<never, unknown>): (name: CallerName, data: unknown) => Promise<LoginAnswer> {
  const call = fft.wrap(fn);
  return (name, data) => call({ data, auth: callers[name] } as never) as Promise<LoginAnswer>;
}

/** A fresh database with admins `adm1` and `adm2`, and an in-memory Auth that records custom tokens. */
export async function loginWorld(): Promise<FakeAuth> {
  const auth = useFakeAuth();
  await resetDatabase();
  await seedAdmin("adm1");
  await seedAdmin("adm2");
  return auth;
}
