/**
 * The input and output types of every callable, derived from the functions themselves: each export of
 * functions/src/index.ts is a `CallableFunction<z.input<Schema>, Promise<Output>>` built by
 * `validatedCallable`, so a changed zod schema or handler return type changes these types and breaks
 * the client build instead of a client at run time. Type-only: nothing of the backend ships to clients.
 */
type Backend = typeof import("../../functions/src/index");

/** Structural match of firebase-functions' CallableFunction (HTTP, task and scheduled exports lack `stream`). */
type CallableShape<I, O> = {
  run(request: { data: I }): Promise<O>;
  stream(...args: never[]): unknown;
};

/** Names of the exports that are callables (onCall), not HTTP endpoints or background functions. */
export type CallableName = {
  [K in keyof Backend]: Backend[K] extends CallableShape<infer _I, infer _O> ? K : never;
}[keyof Backend];

export type CallableInput<N extends CallableName> = Backend[N] extends CallableShape<infer I, infer _O> ? I : never;
export type CallableOutput<N extends CallableName> = Backend[N] extends CallableShape<infer _I, infer O> ? O : never;

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
