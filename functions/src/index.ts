// Exports only: each function lives in its own file, grouped by area.
export { login } from "./auth/login";
export { vonageCallbacks } from "./analytics/vonageCallbacks";
export { getSessionAnalytics } from "./analytics/getSessionAnalytics";
export { loginFan } from "./auth/loginFan";
export { loginHost } from "./auth/loginHost";
export { loginCelebrity } from "./auth/loginCelebrity";
export { createAdmin } from "./admins/createAdmin";
export { updateAdmin } from "./admins/updateAdmin";
export { deleteAdmin } from "./admins/deleteAdmin";
export { getAdmin } from "./admins/getAdmin";
export { getAdmins } from "./admins/getAdmins";
export { createTokenProducer } from "./tokens/createTokenProducer";
export { createTokenHostCeleb } from "./tokens/createTokenHostCeleb";
export { createTokensFan } from "./tokens/createTokensFan";
export { createTokenStageFan } from "./tokens/createTokenStageFan";
export { createTokenByUserType } from "./tokens/createTokenByUserType";
export { releaseSeat } from "./tokens/releaseSeat";
