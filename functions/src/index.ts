// Exports only: each function lives in its own file, grouped by area.
export { login } from "./auth/login";
