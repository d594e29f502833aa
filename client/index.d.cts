/**
 * Typed wrappers over `httpsCallable` of the Firebase JS SDK (web and React Native).
 *
 *   import { getFunctions } from "firebase/functions";
 *   import { callable, api } from "@interactive-broadcast/client";
 *   const loginFan = callable(getFunctions(app, "us-central1"), "loginFan");
 *   const { token } = await loginFan({ adminId, slug });   // input and output checked by tsc
 */
import type { Functions, HttpsCallableOptions } from "firebase/functions";
import type { CallableName, CallableInput, CallableOutput } from "./src/callables";
export type { CallableName, CallableInput, CallableOutput, Callables, CallableErrorCode } from "./src/callables";

/** A callable whose input may be left out when its schema has no required field. */
export type TypedCallable<N extends CallableName> =
  {} extends CallableInput<N>
    ? (data?: CallableInput<N>) => Promise<CallableOutput<N>>
    : (data: CallableInput<N>) => Promise<CallableOutput<N>>;

/** Every callable by name, each typed; functions are created on first use. */
export type Api = { readonly [N in CallableName]: TypedCallable<N> };

export declare function callable<N extends CallableName>(functions: Functions, name: N, options?: HttpsCallableOptions): TypedCallable<N>;
export declare function api(functions: Functions, options?: HttpsCallableOptions): Api;
