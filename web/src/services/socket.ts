import { io, type Socket } from "socket.io-client";
import type {
  ClientEventAck,
  ClientEventName,
  ClientToServerEvents,
  ServerEventName,
  ServerEventPayload,
  ServerToClientEvents,
} from "@support-chat/contracts";
import { CLIENT_ERRORS, ChatRequestError } from "./errors.js";

/**
 * The one place that talks socket.io. Stores call `request`; the dispatcher subscribes with
 * `on`/`onPhase`; components never see a socket.
 */
export type ConnectionPhase = "idle" | "connecting" | "connected" | "reconnecting" | "refused";

export interface PhaseChange {
  phase: ConnectionPhase;
  /** True when this `connected` follows an earlier connection: time to rejoin and resync. */
  resumed: boolean;
  /** Why the server refused the connection (bad or expired token), when it did. */
  reason: string | null;
}

type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Payload<K extends ClientEventName> = Parameters<ClientToServerEvents[K]>[0];
type AnyHandler = (payload: unknown) => void;

const ACK_TIMEOUT_MS = 8000;
/** After the server itself closed the socket (e.g. a gateway shutting down), try again soon. */
const SERVER_CLOSE_RETRY_MS = 1000;

export interface ConnectOptions {
  url: string;
  token: string;
  path?: string;
}

export class SocketService {
  private socket: ChatSocket | null = null;
  private token: string | null = null;
  private everConnected = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly handlers = new Map<string, Set<AnyHandler>>();
  private readonly phaseHandlers = new Set<(change: PhaseChange) => void>();
  private current: ConnectionPhase = "idle";

  get phase(): ConnectionPhase {
    return this.current;
  }

  get connected(): boolean {
    return this.current === "connected";
  }

  /** Connects once per token; calling it again with the same token does nothing. */
  connect(options: ConnectOptions): void {
    if (this.socket && this.token === options.token) return;
    this.disconnect();
    this.token = options.token;
    const socket: ChatSocket = io(options.url, {
      path: options.path ?? "/socket.io",
      auth: { token: options.token },
      autoConnect: false,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
    });
    socket.on("connect", () => {
      const resumed = this.everConnected;
      this.everConnected = true;
      this.setPhase({ phase: "connected", resumed, reason: null });
    });
    socket.on("disconnect", (reason) => {
      this.setPhase({ phase: "reconnecting", resumed: false, reason: null });
      // socket.io reconnects by itself except when the server closed the socket on purpose.
      if (reason === "io server disconnect") this.scheduleRetry(socket);
    });
    socket.on("connect_error", (error: Error) => {
      if (socket.active) {
        this.setPhase({
          phase: this.everConnected ? "reconnecting" : "connecting",
          resumed: false,
          reason: null,
        });
      } else {
        this.setPhase({ phase: "refused", resumed: false, reason: error.message });
      }
    });
    socket.onAny((event: string, payload: unknown) => {
      for (const handler of this.handlers.get(event) ?? []) handler(payload);
    });
    this.socket = socket;
    this.setPhase({ phase: "connecting", resumed: false, reason: null });
    socket.connect();
  }

  disconnect(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.socket?.removeAllListeners();
    this.socket?.offAny();
    this.socket?.disconnect();
    this.socket = null;
    this.token = null;
    this.everConnected = false;
    if (this.current !== "idle") this.setPhase({ phase: "idle", resumed: false, reason: null });
  }

  /**
   * Emits a client event and resolves with the ack's data. Nothing is queued while offline:
   * the caller decides what waits for the connection (a message) and what is dropped (typing).
   */
  request<K extends ClientEventName>(
    event: K,
    payload: Payload<K>,
    timeoutMs = ACK_TIMEOUT_MS,
  ): Promise<ClientEventAck<K>> {
    const socket = this.socket;
    if (!socket || !this.connected) {
      return Promise.reject(
        new ChatRequestError(CLIENT_ERRORS.disconnected, "Not connected", true),
      );
    }
    // socket.io's typed emit cannot follow a generic event name; the shapes are the contract's.
    const timed = socket.timeout(timeoutMs) as unknown as TimedEmitter;
    return new Promise((resolve, reject) => {
      timed.emit(event, payload, (error, reply) => {
        if (error || !reply) {
          reject(new ChatRequestError(CLIENT_ERRORS.timeout, "No answer from the server", true));
        } else if (reply.status === "OK") {
          resolve(reply.data as ClientEventAck<K>);
        } else {
          reject(new ChatRequestError(reply.error.code, reply.error.message));
        }
      });
    });
  }

  on<K extends ServerEventName>(
    event: K,
    handler: (payload: ServerEventPayload<K>) => void,
  ): () => void {
    const set = this.handlers.get(event) ?? new Set<AnyHandler>();
    const wrapped = handler as AnyHandler;
    set.add(wrapped);
    this.handlers.set(event, set);
    return () => set.delete(wrapped);
  }

  onPhase(handler: (change: PhaseChange) => void): () => void {
    this.phaseHandlers.add(handler);
    return () => this.phaseHandlers.delete(handler);
  }

  private scheduleRetry(socket: ChatSocket): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.socket === socket && !socket.connected) socket.connect();
    }, SERVER_CLOSE_RETRY_MS);
  }

  private setPhase(change: PhaseChange): void {
    this.current = change.phase;
    for (const handler of this.phaseHandlers) handler(change);
  }
}

interface TimedEmitter {
  emit(event: string, payload: unknown, ack: (error: Error | null, reply?: AckReply) => void): void;
}

type AckReply =
  { status: "OK"; data: unknown } | { status: "ERROR"; error: { code: string; message: string } };

/** The app's one socket. */
export const socketService = new SocketService();
