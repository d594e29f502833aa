/**
 * Calling the `vonageCallbacks` HTTP function in unit tests as the Functions runtime would: the exact
 * bytes of the body, and the Authorization header Vonage signs (HS256 with the signing secret of the
 * local configuration, `payload_hash` of the body).
 */
import { createHash, randomUUID } from "node:crypto";
import jwt from "jsonwebtoken";
import { resetDatabase } from "./harness";
import { seedEvent } from "./fixtures";
import { db } from "../platform/firebase";
import { connectionData } from "../seats/connectionData";
import type { EventRecord } from "../events/model";
import { vonageCallbacks } from "../attendance/functions/vonageCallbacks";
import { setTaskEnqueuerForTests } from "../platform/tasks";

export const CALLBACK_SECRET = process.env.VONAGE_CALLBACK_SIGNING_SECRET as string;

export interface FakeResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: unknown;
  headersSent: boolean;
}

/** One request with `raw` as its body; `authorization` null sends no Authorization header. */
export async function postRaw(
  raw: Buffer,
  options: { authorization: string | null; method?: string; query?: Record<string, unknown> },
): Promise<FakeResponse> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.authorization !== null) headers.authorization = options.authorization;
  const req = {
    method: options.method ?? "POST",
    headers,
    query: options.query ?? {},
    rawBody: raw,
    body: (() => {
      try {
        return JSON.parse(raw.toString());
      } catch {
        return {};
      }
    })(),
    get: (name: string) => headers[name.toLowerCase()],
    header: (name: string) => headers[name.toLowerCase()],
  };
  const res = {
    statusCode: 200,
    headers: {} as Record<string, string>,
    body: undefined as unknown,
    headersSent: false,
    status(code: number) {
      this.statusCode = code;
      return this;
    },
    set(name: string, value: string) {
      this.headers[name] = value;
      return this;
    },
    json(value: unknown) {
      this.body = value;
      this.headersSent = true;
      return this;
    },
    send(value: unknown) {
      return this.json(value);
    },
    on() {
      return this;
    },
  };
  await (vonageCallbacks as unknown as (req: unknown, res: unknown) => Promise<void>)(req, res);
  return res;
}

/** A callback token as Vonage signs one for `raw` (claims, secret and options overridable). */
export function signCallback(
  raw: Buffer,
  claims: Record<string, unknown> = {},
  secret: string | Buffer = CALLBACK_SECRET,
  options: jwt.SignOptions = { algorithm: "HS256" },
): string {
  const iat = Math.floor(Date.now() / 1000);
  const payload = {
    iss: "Vonage",
    iat,
    exp: iat + 300,
    jti: randomUUID(),
    payload_hash: createHash("sha256").update(raw).digest("hex"),
    ...claims,
  };
  return jwt.sign(payload, secret as jwt.Secret, options);
}

/** Posts `body` (JSON unless a string), signed unless `authorization` says otherwise. */
export function postCallback(
  body: unknown,
  options: { authorization?: string | null; method?: string; raw?: Buffer; query?: Record<string, unknown> } = {},
): Promise<FakeResponse> {
  const raw = options.raw ?? Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
  const authorization = options.authorization === undefined ? `Bearer ${signCallback(raw)}` : options.authorization;
  return postRaw(raw, { authorization, method: options.method, query: options.query });
}

export const outcome = (res: FakeResponse) => (res.body as { outcome?: string }).outcome;

/** A session-monitoring connection callback for `event` (its stage session unless told otherwise). */
export function connectionCallback(
  event: EventRecord,
  type: "connectionCreated" | "connectionDestroyed",
  connectionId: string,
  participant: { participantId: string; userType?: "fan" | "host"; name?: string } | { raw: string },
  createdAt: number,
  timestamp = createdAt,
  sessionId = event.stageSessionId,
) {
  return {
    sessionId,
    projectId: "47000001",
    event: type,
    timestamp,
    ...(type === "connectionDestroyed" ? { reason: "clientDisconnected" } : {}),
    connection: {
      id: connectionId,
      createdAt,
      data:
        "raw" in participant
          ? participant.raw
          : connectionData({
              userType: participant.userType ?? "fan",
              participantId: participant.participantId,
              eventId: event.id,
              name: participant.name,
            }),
    },
  };
}

/** When the callback suites' show started. */
export const T0 = Date.UTC(2026, 0, 10, 18, 0, 0);

/** A fresh database with one live event of `adm1`, started at T0, for the callbacks to report on. */
export async function liveEventForCallbacks(): Promise<EventRecord> {
  await resetDatabase();
  // Ended runs of a live show enqueue a continuity task: captured nowhere here (live/continuity's suites test it).
  setTaskEnqueuerForTests(async () => undefined);
  return seedEvent("adm1", { status: "live", showStartedAt: T0 });
}

export const attendanceOf = async (event: EventRecord) => (await db().ref(`attendance/${event.id}`).once("value")).val();
export const everything = async () => (await db().ref().once("value")).val();

/** `connectionCallback`'s arguments after the event. */
export type ConnectionArgs = Parameters<typeof connectionCallback> extends [EventRecord, ...infer Rest] ? Rest : never;
