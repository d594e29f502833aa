/**
 * Video for the pages. Deployed, the Vonage Video web client publishes and subscribes with the tokens
 * the backend mints. On the local stack there is no media server: the same calls connect and publish
 * simulated clients at the Vonage stand-in (its control API), whose callbacks feed attendance as
 * Vonage's would, and the tiles show the stand-in's simulated streams.
 */
export interface Tile {
  streamId: string;
  name: string;
  /** This page's own stream. */
  own: boolean;
}

/** What the session tells its client: a signal sent to it, or that its connection was closed by others. */
export type MediaEvent = { kind: "signal"; type: string; data: string } | { kind: "disconnected" };

export interface MediaSession {
  readonly simulated: boolean;
  connect(): Promise<void>;
  /** Publishes the camera (deployed: into `target`, the self view). */
  publish(name: string, target: HTMLElement | null): Promise<void>;
  unpublish(): Promise<void>;
  disconnect(): Promise<void>;
  /** The streams of the session as they come and go; returns the unsubscribe. */
  watch(listener: (tiles: Tile[]) => void): () => void;
  /** Deployed: subscribes to the stream into `element`. Simulated: nothing to render. */
  attach(streamId: string, element: HTMLElement): void;
  detach(streamId: string): void;
  /** Signals to this connection and its being disconnected (not by `disconnect()`); returns the unsubscribe. */
  onEvent(listener: (event: MediaEvent) => void): () => void;
  /** A still of the own camera as a data URL (deployed), or null. */
  snapshot(): string | null;
}

export interface SessionTokens {
  apiKey: string;
  sessionId: string;
  token: string;
}
