import { config } from "../lib/config";
import { StandinMedia } from "./standin";
import type { MediaSession, SessionTokens } from "./types";
import { VonageMedia } from "./vonage";

export type { MediaEvent, MediaSession, SessionTokens, Tile } from "./types";

export function openMedia(tokens: SessionTokens): MediaSession {
  const standin = config().vonageStandin;
  return standin ? new StandinMedia(standin, tokens) : new VonageMedia(tokens);
}

export function mediaSimulated(): boolean {
  return Boolean(config().vonageStandin);
}
