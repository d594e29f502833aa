// The parts of the `opentok` 2.23 SDK this project uses (the package ships no typings and
// @types/opentok describes 2.14).
declare module "opentok" {
  type Callback<T> = (error: unknown, result?: T) => void;

  namespace OpenTok {
    interface Session {
      sessionId: string;
    }
    interface Archive {
      id: string;
      status: string;
      sessionId: string;
      name?: string;
      outputMode?: string;
      url?: string | null;
      duration?: number;
      createdAt?: number;
      reason?: string;
    }
    interface Broadcast {
      id: string;
      sessionId: string;
      status: string;
      broadcastUrls?: { hls?: string; rtmp?: Array<{ id?: string; serverUrl: string; streamName: string; status?: string }> };
    }
    interface TokenOptions {
      role?: "publisher" | "subscriber" | "moderator" | "publisheronly";
      data?: string;
      expireTime?: number;
      initialLayoutClassList?: string[];
    }
  }

  class OpenTok {
    constructor(apiKey: string, apiSecret: string, env?: string | { apiUrl?: string; timeout?: number });
    apiKey: string;
    createSession(options: Record<string, unknown>, callback: Callback<OpenTok.Session>): void;
    generateToken(sessionId: string, options?: OpenTok.TokenOptions, generateT1Token?: boolean): string;
    startArchive(sessionId: string, options: Record<string, unknown>, callback: Callback<OpenTok.Archive>): void;
    stopArchive(archiveId: string, callback: Callback<OpenTok.Archive>): void;
    getArchive(archiveId: string, callback: Callback<OpenTok.Archive>): void;
    listArchives(options: Record<string, unknown>, callback: (error: unknown, archives?: OpenTok.Archive[], total?: number) => void): void;
    startBroadcast(sessionId: string, options: Record<string, unknown>, callback: Callback<OpenTok.Broadcast>): void;
    stopBroadcast(broadcastId: string, callback: Callback<OpenTok.Broadcast>): void;
    getBroadcast(broadcastId: string, callback: Callback<OpenTok.Broadcast>): void;
    listBroadcasts(
      options: Record<string, unknown>,
      callback: (error: unknown, broadcasts?: OpenTok.Broadcast[], total?: number) => void,
    ): void;
    signal(sessionId: string, connectionId: string | null, payload: { type?: string; data?: string }, callback: Callback<void>): void;
    forceDisconnect(sessionId: string, connectionId: string, callback: Callback<void>): void;
  }

  export = OpenTok;
}
