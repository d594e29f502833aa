/** Decoding Vonage client tokens in tests: verified with the project secret, algorithm pinned. */
import jwt from "jsonwebtoken";
import { LOCAL_VONAGE } from "./harness";

export interface VonageClaims {
  iss: string;
  session_id: string;
  role: string;
  exp: number;
  expire_time: number;
  scope: string;
  connection_data?: string;
  data: { userType: string; participantId: string; eventId: string };
}

export function vonageClaims(token: string, secret = LOCAL_VONAGE.apiSecret): VonageClaims {
  const claims = jwt.verify(token, secret, { algorithms: ["HS256"] }) as Omit<VonageClaims, "data">;
  return { ...claims, data: JSON.parse(claims.connection_data ?? "{}") };
}
