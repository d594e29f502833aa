/**
 * Who is connected where, from the session-monitoring callbacks the backend already stores
 * (`attendance/{eventId}/connections|streams`, attendance/appliers): a participant's open connections
 * and streams, by the `participantId` (uid) in the connection data the server set. Queried by that
 * child (indexed in the rules) and capped: a participant's history in one show is their reloads.
 */
import { db } from "../platform/firebase";
import { paths } from "../contract/paths";

export type SessionKind = "stage" | "backstage";

export interface OpenConnection {
  connectionId: string;
  session: SessionKind;
  userType: string;
}

export interface OpenStream {
  streamId: string;
  connectionId: string;
  participantId: string;
  session: SessionKind | null;
}

interface ConnectionRecord {
  participantId?: string;
  userType?: string;
  session?: string;
  leftAt?: number;
}

interface StreamRecord {
  connectionId?: string;
  participantId?: string;
  endedAt?: number;
}

const HISTORY_CAP = 100;

const kindOf = (value: unknown): SessionKind | null => (value === "stage" || value === "backstage" ? value : null);

/** The participant's connections no `connectionDestroyed` has closed yet. */
export async function openConnectionsOf(eventId: string, participantId: string): Promise<OpenConnection[]> {
  const snapshot = await db()
    .ref(`${paths.attendance(eventId)}/connections`)
    .orderByChild("participantId")
    .equalTo(participantId)
    .limitToLast(HISTORY_CAP)
    .once("value");
  const open: OpenConnection[] = [];
  snapshot.forEach((child) => {
    const value = child.val() as ConnectionRecord;
    const session = kindOf(value?.session);
    if (child.key && session && value.leftAt === undefined)
      open.push({ connectionId: child.key, session, userType: value.userType ?? "unknown" });
  });
  return open;
}

/** The participant's streams no `streamDestroyed` has closed yet, with the session each is in. */
export async function openStreamsOf(eventId: string, participantId: string): Promise<OpenStream[]> {
  const snapshot = await db()
    .ref(`${paths.attendance(eventId)}/streams`)
    .orderByChild("participantId")
    .equalTo(participantId)
    .limitToLast(HISTORY_CAP)
    .once("value");
  const open: Array<Omit<OpenStream, "session">> = [];
  snapshot.forEach((child) => {
    const value = child.val() as StreamRecord;
    if (child.key && value?.connectionId && value.endedAt === undefined) {
      open.push({ streamId: child.key, connectionId: value.connectionId, participantId });
    }
  });
  return Promise.all(open.map(async (stream) => ({ ...stream, session: await sessionOfConnection(eventId, stream.connectionId) })));
}

/** One stream as the callbacks reported it, or null when no callback named it. */
export async function streamById(eventId: string, streamId: string): Promise<(OpenStream & { ended: boolean; userType: string }) | null> {
  const value = (await db().ref(paths.attendanceStream(eventId, streamId)).once("value")).val() as StreamRecord | null;
  if (!value?.connectionId) return null;
  const connection = (
    await db().ref(paths.attendanceConnection(eventId, value.connectionId)).once("value")
  ).val() as ConnectionRecord | null;
  return {
    streamId,
    connectionId: value.connectionId,
    participantId: value.participantId ?? value.connectionId,
    session: kindOf(connection?.session),
    ended: value.endedAt !== undefined,
    userType: connection?.userType ?? "unknown",
  };
}

async function sessionOfConnection(eventId: string, connectionId: string): Promise<SessionKind | null> {
  return kindOf(
    (
      await db()
        .ref(`${paths.attendanceConnection(eventId, connectionId)}/session`)
        .once("value")
    ).val(),
  );
}
