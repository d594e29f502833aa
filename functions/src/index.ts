// Exports only: each function lives in its own file, grouped by area.
export { login } from "./auth/login";
export { vonageCallbacks } from "./analytics/vonageCallbacks";
export { getSessionAnalytics } from "./analytics/getSessionAnalytics";
