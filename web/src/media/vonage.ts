/** Real media, deployed: the Vonage Video web client (loaded on demand, in its own chunk). */
import type OTNamespace from "@vonage/client-sdk-video";
import type { MediaEvent, MediaSession, SessionTokens, Tile } from "./types";

type OT = typeof OTNamespace;

async function loadOT(): Promise<OT> {
  const module = (await import("@vonage/client-sdk-video")) as OT & { default?: OT };
  return module.default ?? module;
}

export class VonageMedia implements MediaSession {
  readonly simulated = false;
  private session: OTNamespace.Session | null = null;
  private publisher: OTNamespace.Publisher | null = null;
  private streams = new Map<string, OTNamespace.Stream>();
  private subscribers = new Map<string, OTNamespace.Subscriber>();
  private listeners = new Set<(tiles: Tile[]) => void>();
  private eventListeners = new Set<(event: MediaEvent) => void>();

  constructor(private readonly tokens: SessionTokens) {}

  async connect(): Promise<void> {
    if (this.session) return;
    const OT = await loadOT();
    const session = OT.initSession(this.tokens.apiKey, this.tokens.sessionId);
    session.on("streamCreated", (event) => {
      this.streams.set(event.stream.streamId, event.stream);
      this.emit();
    });
    session.on("streamDestroyed", (event) => {
      this.streams.delete(event.stream.streamId);
      this.detach(event.stream.streamId);
      this.emit();
    });
    session.on("signal", (event) => {
      // Vonage prefixes a typed signal's event type with "signal:".
      const type = (event.type ?? "").replace(/^signal:/, "");
      this.tell({ kind: "signal", type, data: typeof event.data === "string" ? event.data : "" });
    });
    session.on("sessionDisconnected", () => {
      if (this.session === session) this.tell({ kind: "disconnected" });
    });
    await session.connect.promise(this.tokens.token);
    this.session = session;
  }

  async publish(name: string, target: HTMLElement | null): Promise<void> {
    if (!this.session) throw new Error("not connected");
    if (this.publisher) return;
    const OT = await loadOT();
    const publisher = await OT.initPublisher.promise(target ?? undefined, {
      name,
      insertMode: "append",
      width: "100%",
      height: "100%",
    });
    await this.session.publish.promise(publisher);
    this.publisher = publisher;
  }

  unpublish(): Promise<void> {
    if (this.session && this.publisher) this.session.unpublish(this.publisher);
    this.publisher?.destroy();
    this.publisher = null;
    return Promise.resolve();
  }

  async disconnect(): Promise<void> {
    await this.unpublish();
    for (const id of [...this.subscribers.keys()]) this.detach(id);
    const session = this.session;
    this.session = null;
    this.streams.clear();
    if (session) await session.disconnect();
  }

  watch(listener: (tiles: Tile[]) => void): () => void {
    this.listeners.add(listener);
    listener(this.tiles());
    return () => this.listeners.delete(listener);
  }

  attach(streamId: string, element: HTMLElement): void {
    const stream = this.streams.get(streamId);
    if (!this.session || !stream || this.subscribers.has(streamId)) return;
    const subscriber = this.session.subscribe(stream, element, { insertMode: "append", width: "100%", height: "100%" });
    this.subscribers.set(streamId, subscriber);
  }

  detach(streamId: string): void {
    const subscriber = this.subscribers.get(streamId);
    this.subscribers.delete(streamId);
    if (subscriber && this.session) this.session.unsubscribe(subscriber);
  }

  onEvent(listener: (event: MediaEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  private tell(event: MediaEvent): void {
    for (const listener of this.eventListeners) listener(event);
  }

  snapshot(): string | null {
    const data = this.publisher?.getImgData();
    return data ? `data:image/png;base64,${data}` : null;
  }

  private tiles(): Tile[] {
    return [...this.streams.values()].map((stream) => ({ streamId: stream.streamId, name: stream.name || "unnamed", own: false }));
  }

  private emit(): void {
    const tiles = this.tiles();
    for (const listener of this.listeners) listener(tiles);
  }
}
