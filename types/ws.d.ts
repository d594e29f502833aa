// The part of ws 8 (the WebSocket server firebase-server runs) that the local database server uses.
declare module "ws" {
  import type { EventEmitter } from "node:events";
  class WebSocket extends EventEmitter {
    readonly readyState: number;
    send(data: string): void;
    close(code?: number, reason?: string): void;
    terminate(): void;
  }
  export = WebSocket;
}
