import type { Server, Socket } from "socket.io";
import type { Reply, ClientToServerEvents, ServerToClientEvents } from "@support-chat/contracts";
import type { Principal } from "../../domain/principal.js";

/** Set by the handshake middleware; every handler can rely on it. */
export type SocketData = { principal: Principal };
type InterServerEvents = Record<string, never>;

export type ChatServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;
export type ChatSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;

/**
 * One client event. Payload and ack are whatever the client sent (nothing is trusted); the
 * handler answers the ack exactly once and returns the same reply for metrics.
 */
export type EventHandler = (
  socket: ChatSocket,
  payload: unknown,
  ack: unknown,
) => Promise<Reply<unknown>>;
