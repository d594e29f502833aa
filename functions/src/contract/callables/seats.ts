/** Seats and client tokens (API area: tokens). */
import { z } from "zod";
import { id } from "../schemas";
import type { EventStatus } from "../records";

export const seatInputs = {
  createTokenProducer: z.object({ eventId: id }).strict(),
  createTokenHostCeleb: z.object({}).strict(),
  createTokensFan: z.object({ fanId: id.optional() }).strict(),
  createTokenStageFan: z.object({ fanId: id }).strict(),
  createTokenByUserType: z.object({ adminId: id, userType: z.enum(["fan", "host", "celebrity"]) }).strict(),
  releaseSeat: z.object({}).strict(),
  askForSeat: z.object({ fanId: id.optional() }).strict(),
  cancelSeatAsk: z.object({ fanId: id.optional() }).strict(),
};

/** Why a fan watches the HLS stream instead of a seat. */
export type HlsReason = "seatsFull" | "noInteractiveSeats";

/** What every answer with tokens carries: the show, its status, the key the client SDK needs, and when the tokens end. */
export type TokenGrant = {
  eventId: string;
  status: EventStatus;
  apiKey: string;
  expiresAt: number;
};

export type InteractiveAnswer = TokenGrant & {
  mode: "interactive";
  /** True when the fan already held a seat (a reload or a second tab): still one seat. */
  keptSeat: boolean;
  /** The session each token is for: the client SDK needs it to connect (the token carries it too). */
  sessionId: string;
  stageSessionId: string;
  /** Publisher on backstage (getting in line), connection data `backstageFan`. */
  backstageToken: string;
  /** Subscriber on stage: a fan cannot publish on stage with it. Its connection confirms the seat. */
  stageToken: string;
  /** Where the seat is held: register `onDisconnect(ref(db, seatPath)).remove()` right away; `remove()` to leave. */
  seatPath: string;
};

export type HlsAnswer = {
  mode: "hls";
  reason: HlsReason;
  message: string;
  eventId: string;
  status: EventStatus;
  /** Null until the broadcast runs (it starts when the show goes live). */
  hlsUrl: string | null;
};

export type FullAnswer = {
  mode: "full";
  reason: HlsReason;
  message: string;
  eventId: string;
  status: EventStatus;
};

/** A fan's join: a seat with its tokens, the HLS stream, or neither (the show is full). */
export type FanAnswer = InteractiveAnswer | HlsAnswer | FullAnswer;

/** A token for the stage session only. */
export type StageFanTokens = TokenGrant & {
  stageSessionId: string;
  stageToken: string;
};

export type HostCelebTokens = StageFanTokens & {
  userType: "host" | "celebrity";
};

export type ProducerTokens = StageFanTokens & {
  sessionId: string;
  backstageToken: string;
};

/** An HLS viewer's ask for a seat (askForSeat); `seatOffers/{eventId}/{uid}` follows it. */
export type SeatAskAnswer = {
  /** waiting: in the queue; offered: a seat is held for you until `expiresAt`: call createTokensFan. */
  status: "waiting" | "offered";
  /** When the hold ends (ms since the epoch) while offered; null while waiting. */
  expiresAt: number | null;
};

export type SeatOutputs = {
  createTokenProducer: ProducerTokens;
  createTokenHostCeleb: HostCelebTokens;
  createTokensFan: FanAnswer;
  createTokenStageFan: StageFanTokens;
  createTokenByUserType: HostCelebTokens | FanAnswer;
  releaseSeat: { released: boolean };
  askForSeat: SeatAskAnswer;
  cancelSeatAsk: { cancelled: boolean };
};
