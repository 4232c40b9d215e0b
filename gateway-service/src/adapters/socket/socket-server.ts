import type { Server as HttpServer } from "node:http";
import { createAdapter } from "@socket.io/redis-adapter";
import type { Redis } from "ioredis";
import { Server } from "socket.io";
import {
  CHAT_NAMESPACE,
  isSupportRole,
  socketRooms,
  type ClientEventName,
} from "@support-chat/contracts";
import type { Logger } from "@support-chat/service-kit";
import type { TokenVerifier } from "../auth/token-verifier.js";
import type { AssignmentClient } from "../bus/assignment-client.js";
import type { ChatClient } from "../bus/chat-client.js";
import type { Presence } from "../bus/presence.js";
import type { GatewayMetrics } from "../metrics/gateway-metrics.js";
import type { RateLimits } from "../redis/rate-limits.js";
import { joinRoom } from "./join-room.js";
import { leaveRoom } from "./leave-room.js";
import { markRead } from "./mark-read.js";
import { register } from "./register.js";
import { errorBodyOf } from "./respond.js";
import { sendMessage } from "./send-message.js";
import { setStatus } from "./set-status.js";
import type { ChatServer, ChatSocket, EventHandler } from "./types.js";
import { typing } from "./typing.js";

export type SocketServerDeps = {
  chat: ChatClient;
  assignment: AssignmentClient;
  presence: Presence;
  verify: TokenVerifier;
  limits: RateLimits;
  metrics: GatewayMetrics;
  redis: { pub: Redis; sub: Redis; key: string };
  corsOrigins: readonly string[];
  maxPayloadBytes: number;
  messageMaxLength: number;
  log: Logger;
};

/**
 * Socket.io on the gateway's HTTP server. Rooms span every replica through the Redis adapter,
 * which is also how the notification service's emitter reaches these sockets.
 */
export const createSocketServer = (httpServer: HttpServer, deps: SocketServerDeps): ChatServer => {
  const io: ChatServer = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: deps.maxPayloadBytes,
    cors: {
      origin: deps.corsOrigins.includes("*") ? true : [...deps.corsOrigins],
      credentials: true,
    },
    adapter: createAdapter(deps.redis.pub, deps.redis.sub, { key: deps.redis.key }),
  });
  const handlers = eventHandlers(deps);
  const chat = io.of(CHAT_NAMESPACE);
  chat.use((socket, next) => {
    try {
      socket.data.principal = deps.verify(socket.handshake.auth["token"]);
      next();
    } catch (e) {
      const body = errorBodyOf(e);
      next(Object.assign(new Error(body.message), { data: body }));
    }
  });
  chat.on("connection", (socket) => onConnection(socket, handlers, deps));
  return io;
};

const eventHandlers = (deps: SocketServerDeps): Record<ClientEventName, EventHandler> => ({
  register: register(deps),
  joinRoom: joinRoom(deps),
  leaveRoom: leaveRoom(deps),
  sendMessage: sendMessage(deps),
  typing: typing(deps),
  markRead: markRead(deps),
  setStatus: setStatus(deps),
});

const onConnection = (
  socket: ChatSocket,
  handlers: Record<ClientEventName, EventHandler>,
  { metrics, presence, log }: SocketServerDeps,
): void => {
  const { principal } = socket.data;
  const rooms = [socketRooms.user(principal.id)];
  if (isSupportRole(principal.role)) rooms.push(socketRooms.agents);
  void socket.join(rooms);
  metrics.connectedSockets.inc({ role: principal.role });
  presence.socketConnected(principal, socket.id);
  socket.on("disconnect", () => {
    metrics.connectedSockets.dec({ role: principal.role });
    presence.socketDisconnected(principal, socket.id);
  });
  const socketLog = log.child({ socketId: socket.id, userId: principal.id });
  for (const name of Object.keys(handlers) as ClientEventName[]) {
    const handle = handlers[name];
    socket.on(name, (payload: unknown, ack: unknown) => {
      // `socket.emit("event", ack)` without a payload: the function is the ack.
      const [body, callback] =
        typeof payload === "function" && ack === undefined ? [undefined, payload] : [payload, ack];
      void handle(socket, body, callback).then((reply) => {
        const outcome = reply.status === "OK" ? "ok" : reply.error.code;
        metrics.socketEvents.inc({ event: name, outcome });
        socketLog.debug({ event: name, outcome }, "socket event");
      });
    });
  }
};
