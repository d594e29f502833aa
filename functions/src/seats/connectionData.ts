/**
 * Vonage connection data is set by the server only: clients trust `userType` to accept producer
 * signals (IBS let callers choose it), and analytics keys attendance by `participantId` (the Firebase
 * uid, so a re-join adds up to the same person instead of a new connection).
 */
export const USER_TYPES = ["producer", "host", "celebrity", "fan", "backstageFan"] as const;
export type UserType = (typeof USER_TYPES)[number];

export interface ConnectionData {
  userType: UserType;
  participantId: string;
  eventId: string;
  /** Display name, when the participant gave one (fans in line). */
  name?: string;
  /** A seated fan's stage token: its claim, `<shard>/<claimId>` (seats/confirm). */
  seat?: string;
}

export function connectionData(data: ConnectionData): string {
  const payload: ConnectionData = { userType: data.userType, participantId: data.participantId, eventId: data.eventId };
  if (data.name) payload.name = data.name.slice(0, 60);
  if (data.seat) payload.seat = data.seat;
  return JSON.stringify(payload);
}

/** Parses connection data from a Vonage callback; anything not minted by us yields undefined. */
export function parseConnectionData(raw: unknown): ConnectionData | undefined {
  if (typeof raw !== "string" || raw.length > 1024) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<ConnectionData>;
    if (!value || typeof value !== "object") return undefined;
    if (!USER_TYPES.includes(value.userType as UserType)) return undefined;
    if (typeof value.participantId !== "string" || typeof value.eventId !== "string") return undefined;
    return {
      userType: value.userType as UserType,
      participantId: value.participantId,
      eventId: value.eventId,
      ...(typeof value.name === "string" ? { name: value.name } : {}),
      ...(typeof value.seat === "string" ? { seat: value.seat } : {}),
    };
  } catch {
    return undefined;
  }
}
