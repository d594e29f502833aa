/**
 * The backend's contract (docs/contract.md): the callables' inputs and declared outputs, the stored
 * records clients read, and the database paths. Imports only zod; nothing here reaches a domain or
 * the platform, so clients, tools and the rules generator can use it without the server.
 */
export * from "./paths";
export * from "./schemas";
export * from "./records";
export * from "./callables";
export * from "./callables/access";
export * from "./callables/admins";
export * from "./callables/analytics";
export * from "./callables/events";
export * from "./callables/live";
export * from "./callables/seats";
