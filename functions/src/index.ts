// Exports only: each function lives in its own file, grouped by area.
export { login } from "./auth/login";
export { createTokenProducer } from "./tokens/createTokenProducer";
export { createTokenHostCeleb } from "./tokens/createTokenHostCeleb";
export { createTokensFan } from "./tokens/createTokensFan";
export { createTokenStageFan } from "./tokens/createTokenStageFan";
export { createTokenByUserType } from "./tokens/createTokenByUserType";
export { releaseSeat } from "./tokens/releaseSeat";
