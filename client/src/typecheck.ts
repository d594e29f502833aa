/**
 * Compile-time checks of the derived types (type-checked by the client build, never run): if the
 * derivation silently fell back to `any` or `never`, these lines stop compiling.
 */
import type { CallableInput, CallableName, CallableOutput } from "./callables";

type IsAny<T> = 0 extends 1 & T ? true : false;
type Assert<T extends true> = T;

export type Checks = [
  Assert<IsAny<CallableInput<"createEvent">> extends false ? true : false>,
  Assert<IsAny<CallableOutput<"createTokensFan">> extends false ? true : false>,
  Assert<"loginFan" extends CallableName ? true : false>,
  // HTTP and background functions are not callables.
  Assert<"vonageCallbacks" extends CallableName ? false : true>,
  Assert<"stopBroadcastAfterDrain" extends CallableName ? false : true>,
  Assert<CallableOutput<"loginFan"> extends { token: string; uid: string } ? true : false>,
  Assert<{ name: string; interactiveLimit: number } extends CallableInput<"createEvent"> ? true : false>,
  Assert<{ fanId: number } extends CallableInput<"createTokenStageFan"> ? false : true>,
];
