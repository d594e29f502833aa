/**
 * The caller's network address as the platform defines it, never as the client claims it.
 *
 * Deployed (Cloud Run functions): Google's front end appends the address it received the connection
 * from to `X-Forwarded-For`, after whatever the client sent in that header, so only the LAST entry is
 * the platform's; the first entries are the client's to forge. In the Functions emulator the request
 * reaches the function over a local socket and every caller is on this machine: the address is the
 * socket's, `local` when the socket has none (the emulator's Unix socket).
 */

export interface AddressedRequest {
  headers?: Record<string, string | string[] | undefined>;
  socket?: { remoteAddress?: string };
}

export const runsInEmulator = (): boolean => process.env.FUNCTIONS_EMULATOR === "true";

export function clientAddress(request: AddressedRequest | undefined, emulator = runsInEmulator()): string {
  const socketAddress = request?.socket?.remoteAddress;
  if (emulator) return socketAddress || "local";
  const forwarded = request?.headers?.["x-forwarded-for"];
  const entries = (Array.isArray(forwarded) ? forwarded.join(",") : (forwarded ?? ""))
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries[entries.length - 1] ?? socketAddress ?? "unknown";
}
