/** Simulated media on the local stack: clients and streams at the Vonage stand-in's control API. */
import type { MediaEvent, MediaSession, SessionTokens, Tile } from "./types";

interface StandinEvents {
  connected: boolean;
  signals: Array<{ type: string; data: string }>;
  next: number;
}

interface StandinSession {
  streams: Array<{ id: string; name: string; connectionId: string }>;
}

const POLL_MS = 1000;

export class StandinMedia implements MediaSession {
  readonly simulated = true;
  private connectionId: string | null = null;
  private streamId: string | null = null;
  private listeners = new Set<(tiles: Tile[]) => void>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private last = "";
  private eventListeners = new Set<(event: MediaEvent) => void>();
  private eventTimer: ReturnType<typeof setTimeout> | undefined;
  private signalsAfter = 0;
  private readonly onPageHide = () => this.leaveOnUnload();

  constructor(
    private readonly base: string,
    private readonly tokens: SessionTokens,
  ) {}

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.base}/_control${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`Vonage stand-in: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  async connect(): Promise<void> {
    if (this.connectionId) return;
    const session = encodeURIComponent(this.tokens.sessionId);
    const answer = await this.request<{ connectionId: string }>("POST", `/sessions/${session}/connections`, { token: this.tokens.token });
    this.connectionId = answer.connectionId;
    window.addEventListener("pagehide", this.onPageHide);
    // Signals sent before this connection existed are not for it.
    this.signalsAfter = (await this.request<StandinEvents>("GET", this.eventsPath(answer.connectionId, 0))).next;
    this.refresh();
    this.pollEventsSoon();
  }

  async publish(name: string): Promise<void> {
    if (!this.connectionId) throw new Error("not connected");
    if (this.streamId) return;
    const stream = await this.request<{ id: string }>("POST", `/connections/${encodeURIComponent(this.connectionId)}/streams`, {
      name,
      videoType: "camera",
    });
    this.streamId = stream.id;
    this.refresh();
  }

  async unpublish(): Promise<void> {
    const id = this.streamId;
    if (!id) return;
    this.streamId = null;
    await this.request("DELETE", `/streams/${encodeURIComponent(id)}?reason=clientDisconnected`);
    this.refresh();
  }

  async disconnect(): Promise<void> {
    const id = this.connectionId;
    this.stopPolling();
    if (!id) return;
    this.connectionId = null;
    this.streamId = null;
    window.removeEventListener("pagehide", this.onPageHide);
    // A connection the producer closed meanwhile is already gone (as a real client's would be).
    const events = await this.request<StandinEvents>("GET", this.eventsPath(id, Number.MAX_SAFE_INTEGER));
    if (events.connected) await this.request("DELETE", `/connections/${encodeURIComponent(id)}?reason=clientDisconnected`);
  }

  onEvent(listener: (event: MediaEvent) => void): () => void {
    this.eventListeners.add(listener);
    this.pollEventsSoon();
    return () => this.eventListeners.delete(listener);
  }

  private eventsPath(connectionId: string, after: number): string {
    return `/connections/${encodeURIComponent(connectionId)}/events?after=${after}`;
  }

  /** What the Vonage client SDK would push (signals, a forced disconnect), polled from the stand-in. */
  private pollEventsSoon(): void {
    if (this.eventTimer || !this.connectionId || this.eventListeners.size === 0) return;
    this.eventTimer = setTimeout(() => void this.pollEvents(), POLL_MS);
  }

  private async pollEvents(): Promise<void> {
    this.eventTimer = undefined;
    const id = this.connectionId;
    if (!id) return;
    try {
      const events = await this.request<StandinEvents>("GET", this.eventsPath(id, this.signalsAfter));
      if (this.connectionId !== id) return;
      this.signalsAfter = events.next;
      for (const signal of events.signals) this.tell({ kind: "signal", type: signal.type, data: signal.data });
      if (!events.connected) {
        this.connectionId = null;
        this.streamId = null;
        this.stopPolling();
        window.removeEventListener("pagehide", this.onPageHide);
        this.tell({ kind: "disconnected" });
        return;
      }
    } catch {
      // The next poll asks again.
    }
    this.pollEventsSoon();
  }

  private tell(event: MediaEvent): void {
    for (const listener of this.eventListeners) listener(event);
  }

  /** A closed tab leaves the session, as a real client's connection drops. */
  private leaveOnUnload(): void {
    if (!this.connectionId) return;
    void fetch(`${this.base}/_control/connections/${encodeURIComponent(this.connectionId)}?reason=clientDisconnected`, {
      method: "DELETE",
      keepalive: true,
    }).catch(() => undefined);
    this.connectionId = null;
  }

  watch(listener: (tiles: Tile[]) => void): () => void {
    this.listeners.add(listener);
    this.last = "";
    this.refresh();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stopPolling();
    };
  }

  attach(): void {}
  detach(): void {}
  snapshot(): string | null {
    return null;
  }

  private stopPolling(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.connectionId && this.eventTimer) {
      clearTimeout(this.eventTimer);
      this.eventTimer = undefined;
    }
  }

  private refresh(): void {
    this.stopPolling();
    if (this.listeners.size === 0 || !this.connectionId) return;
    void this.poll();
  }

  private async poll(): Promise<void> {
    try {
      const session = await this.request<StandinSession>("GET", `/sessions/${encodeURIComponent(this.tokens.sessionId)}`);
      const tiles = session.streams.map((stream) => ({
        streamId: stream.id,
        name: stream.name || "unnamed",
        own: stream.connectionId === this.connectionId,
      }));
      const key = JSON.stringify(tiles);
      if (key !== this.last) {
        this.last = key;
        for (const listener of this.listeners) listener(tiles);
      }
    } finally {
      if (this.listeners.size > 0 && this.connectionId) this.timer = setTimeout(() => void this.poll(), POLL_MS);
    }
  }
}
