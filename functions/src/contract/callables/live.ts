/** The live show run from the server: the line, the producer's floor actions, the audit log (API area: live). */
import { z } from "zod";
import { id } from "../schemas";
import type { AuditEntry, EventStatus, LineState } from "../records";

const streamId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_~=+-]+$/, "must be a Vonage stream id");

/** The input of a producer's floor action: the event, and what the action needs. */
const producerAction = <S extends z.ZodRawShape>(shape: S) => z.object({ eventId: id, ...shape }).strict();

export const liveInputs = {
  getAuditLog: z
    .object({
      eventId: id,
      pageSize: z.number().int().min(1).max(200).default(50),
      // A push id from an earlier page's `next`.
      after: z
        .string()
        .regex(/^[-0-9A-Za-z_]{1,64}$/)
        .optional(),
    })
    .strict(),
  joinLine: z.object({ fanId: id, name: z.string().trim().min(1).max(60).optional() }).strict(),
  leaveLine: z.object({ fanId: id }).strict(),
  getLine: z.object({ eventId: id }).strict(),
  bringBackstage: producerAction({ fanId: id }),
  bringOnStage: producerAction({ fanId: id }),
  takeOffStage: producerAction({ fanId: id }),
  startPrivateCall: producerAction({ with: z.enum(["host", "celebrity", "fan"]), fanId: id.optional() }),
  endPrivateCall: producerAction({}),
  removeParticipant: producerAction({ participantId: id }),
  muteStream: producerAction({ streamId }),
  muteAll: producerAction({ session: z.enum(["stage", "backstage"]).default("stage"), active: z.boolean().default(true) }),
  sendSignal: producerAction({
    type: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[A-Za-z0-9_~-]+$/, "must contain only letters, digits, '-', '_' and '~'"),
    data: z.string().max(2000),
    participantId: id.optional(),
    session: z.enum(["stage", "backstage", "both"]).optional(),
    requestId: id.optional(),
  }),
  refreshTokens: z.object({ fanId: id.optional() }).strict(),
};

export type SessionKind = "stage" | "backstage";

export type LineSpot = {
  eventId: string;
  fanId: string;
  state: LineState;
  /** 1-based place among the waiting fans; null once backstage or on stage. */
  position: number | null;
  /** Your entry: listen to it for your position and state; `onDisconnect(ref(db, linePath)).remove()` right away. */
  linePath: string;
};

export type LineView = {
  eventId: string;
  /** Fans waiting (state inLine). */
  waiting: number;
  size: number;
  max: number;
  /** In line order (first come first): waiting fans, then whoever the producer moved, by when they joined. */
  fans: Array<{
    fanId: string;
    participantId: string;
    name: string;
    state: LineState;
    position: number | null;
    inPrivateCall: boolean;
    joinedAt: number;
  }>;
};

export type MoveAnswer = {
  eventId: string;
  fanId: string;
  participantId: string;
  state: LineState;
  /** False when the fan already was there (a repeat). */
  changed: boolean;
};

export type PrivateCallAnswer = {
  eventId: string;
  privateCall: { isWith: string; fanId?: string } | null;
  changed: boolean;
};

export type RemovalAnswer = {
  eventId: string;
  participantId: string;
  /** False when they had been removed before (a repeat): nothing else was needed. */
  firstRemoval: boolean;
  /** Line entries (tabs) taken out of the line. */
  leftLine: number;
  /** Connections Vonage force-disconnected now / that were already gone. */
  disconnected: number;
  alreadyGone: number;
};

export type MuteAnswer = {
  eventId: string;
  session: SessionKind;
  streamId?: string;
  /** Streams left unmuted (muteAll: the stage's own: host, celebrity, fans on stage, the producer). */
  excluded?: number;
  active?: boolean;
};

export type SignalAnswer = {
  eventId: string;
  /** Connections signalled one by one (to a participant), or sessions signalled whole. */
  connections?: number;
  sessions?: SessionKind[];
  /** True when this requestId was already sent: nothing was sent again. */
  duplicate: boolean;
};

export type RefreshedTokens = {
  userType: "fan" | "host" | "celebrity";
  eventId: string;
  status: EventStatus;
  apiKey: string;
  stageSessionId: string;
  stageToken: string;
  /** `publisher` for the host, the celebrity and a fan on stage; `subscriber` for other fans. */
  stageRole: "publisher" | "subscriber";
  /** Fans only: the backstage session and its publisher token. */
  sessionId?: string;
  backstageToken?: string;
  expiresAt: number;
};

export type AuditPage = {
  eventId: string;
  entries: AuditEntry[];
  /** Pass as `after` for the next page; null when this page is the last. */
  next: string | null;
};

export type LiveOutputs = {
  getAuditLog: AuditPage;
  joinLine: LineSpot;
  leaveLine: { eventId: string; fanId: string; left: boolean };
  getLine: LineView;
  bringBackstage: MoveAnswer;
  bringOnStage: MoveAnswer;
  takeOffStage: MoveAnswer;
  startPrivateCall: PrivateCallAnswer;
  endPrivateCall: PrivateCallAnswer;
  removeParticipant: RemovalAnswer;
  muteStream: MuteAnswer;
  muteAll: MuteAnswer;
  sendSignal: SignalAnswer;
  refreshTokens: RefreshedTokens;
};
