/** Logins (API area: auth): the admin's, and the fan's, host's and celebrity's event logins. */
import { z } from "zod";
import { id, linkSecret, slug } from "../schemas";
import type { EventKeyRecord } from "../records";
import type { AdminProfile } from "./admins";

const stageLogin = z.object({ adminId: id, slug: linkSecret }).strict();

export const accessInputs = {
  login: z.object({}).strict(),
  loginFan: z.object({ adminId: id, slug: slug.optional() }).strict(),
  loginHost: stageLogin,
  loginCelebrity: stageLogin,
};

/** What an event login answers about its event: every field present, null when unset. */
export type LoginEvent = { [K in keyof EventKeyRecord]-?: Exclude<EventKeyRecord[K], undefined> };

export type EventLoginAnswer = {
  /** A custom token: `signInWithCustomToken(auth, token)`. */
  token: string;
  uid: string;
  event: LoginEvent;
};

export type AccessOutputs = {
  login: {
    admin: AdminProfile;
    /** True when the claims changed: refresh the ID token (`getIdToken(user, true)`) before the next call. */
    refreshIdToken: boolean;
  };
  loginFan: EventLoginAnswer;
  loginHost: EventLoginAnswer;
  loginCelebrity: EventLoginAnswer;
};
