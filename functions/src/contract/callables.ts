/**
 * Every callable of the backend: its input schema (as clients may check it; the functions build the
 * same schemas with their deeper checks, see callables/admins.ts and callables/events.ts) and the
 * output it declares. The function files annotate their handlers with these outputs, and
 * tests/contract.test.ts checks that the exported callables are exactly these, with these types.
 */
import type { z } from "zod";
import { accessInputs, type AccessOutputs } from "./callables/access";
import { adminInputs, type AdminOutputs } from "./callables/admins";
import { analyticsInputs, type AnalyticsOutputs } from "./callables/analytics";
import { eventInputs, type EventOutputs } from "./callables/events";
import { liveInputs, type LiveOutputs } from "./callables/live";
import { seatInputs, type SeatOutputs } from "./callables/seats";

/** Every callable's input schema by name. */
export const callableInputs = {
  ...accessInputs,
  ...adminInputs,
  ...analyticsInputs,
  ...eventInputs,
  ...liveInputs,
  ...seatInputs,
};

/** Every callable's declared output by name. */
export interface CallableOutputs extends AccessOutputs, AdminOutputs, AnalyticsOutputs, EventOutputs, LiveOutputs, SeatOutputs {}

export type CallableName = keyof typeof callableInputs & keyof CallableOutputs;
/** What a client sends (defaults not yet applied: a field with a default may be left out). */
export type CallableInput<N extends CallableName> = z.input<(typeof callableInputs)[N]>;
export type CallableOutput<N extends CallableName> = CallableOutputs[N];

/** One entry per callable, for code that iterates over them (and for docs/api-reference.md). */
export type Callables = { [N in CallableName]: { input: CallableInput<N>; output: CallableOutput<N> } };

/** The error codes the callables answer with (docs/api-reference.md); `details` carries zod issues on invalid-argument. */
export type CallableErrorCode =
  | "functions/invalid-argument"
  | "functions/unauthenticated"
  | "functions/permission-denied"
  | "functions/not-found"
  | "functions/already-exists"
  | "functions/failed-precondition"
  | "functions/resource-exhausted"
  | "functions/unavailable"
  | "functions/internal";
