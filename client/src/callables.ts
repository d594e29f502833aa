/**
 * The input and output types of every callable: the contract's (functions/src/contract, imported as
 * `@interactive-broadcast/contract` through this package's tsconfig `paths`). The input types are
 * inferred from the contract's zod schemas, the outputs are the types the contract declares and the
 * functions' handlers are annotated with, so a changed schema or output breaks the client build
 * instead of a client at run time. Type-only: nothing of the backend ships to clients, and nothing of
 * functions/src but the contract is read.
 */
export type { CallableErrorCode, CallableInput, CallableName, CallableOutput, Callables } from "@interactive-broadcast/contract";
