import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdapter } from "@socket.io/redis-adapter";
import {
  CHAT_NAMESPACE,
  socketRooms,
  type ServerEventName,
  type ServerEventPayload,
  type ServerToClientEvents,
} from "@support-chat/contracts";
import { Redis } from "ioredis";
import { Server } from "socket.io";
import { io, type Socket } from "socket.io-client";
import { z } from "zod";

/**
 * A stand-in for the gateway: a real socket.io server on the Redis adapter that puts each
 * socket in the socket rooms its handshake names. What we test is what reaches the sockets.
 */
const Handshake = z.object({
  userId: z.string().min(1),
  agent: z.boolean().default(false),
  roomIds: z.array(z.string()).default([]),
});
export type Handshake = z.input<typeof Handshake>;

export type Received = {
  [K in ServerEventName]: { event: K; payload: ServerEventPayload<K> };
}[ServerEventName];

export type TestClient = {
  received: Received[];
  /** Resolves with the first push (already received or still to come) that matches. */
  waitFor: <K extends ServerEventName>(
    event: K,
    matches?: (payload: ServerEventPayload<K>) => boolean,
    timeoutMs?: number,
  ) => Promise<ServerEventPayload<K>>;
  all: <K extends ServerEventName>(event: K) => ServerEventPayload<K>[];
  close: () => void;
};

export type TestGateway = {
  connect: (handshake: Handshake) => Promise<TestClient>;
  close: () => Promise<void>;
};

export const startTestGateway = async (redisUrl: string, key: string): Promise<TestGateway> => {
  const pub = new Redis(redisUrl);
  const sub = pub.duplicate();
  const http = createServer();
  const server = new Server(http, { adapter: createAdapter(pub, sub, { key }) });
  server.of(CHAT_NAMESPACE).on("connection", (socket) => {
    const auth = Handshake.parse(socket.handshake.auth);
    void socket.join([
      socketRooms.user(auth.userId),
      ...(auth.agent ? [socketRooms.agents] : []),
      ...auth.roomIds.map(socketRooms.room),
    ]);
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  // The adapter subscribes asynchronously; a push sent before that would reach nobody. It asks
  // for its broadcast pattern before its request channel, on one connection, so seeing the
  // latter subscribed means both are.
  const requestChannel = `${key}-request#${CHAT_NAMESPACE}#`;
  await waitUntil(async () => {
    const [, count] = (await pub.call("PUBSUB", "NUMSUB", requestChannel)) as [string, number];
    return count > 0;
  }, "socket.io adapter subscribed");
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}${CHAT_NAMESPACE}`;
  const clients: Socket[] = [];

  return {
    connect: async (handshake) => {
      const socket: Socket<ServerToClientEvents> = io(url, {
        auth: handshake,
        transports: ["websocket"],
        forceNew: true,
        reconnection: false,
      });
      clients.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once("connect", resolve);
        socket.once("connect_error", reject);
      });
      return recorder(socket);
    },
    close: async () => {
      for (const c of clients) c.disconnect();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      pub.disconnect();
      sub.disconnect();
    },
  };
};

const recorder = (socket: Socket<ServerToClientEvents>): TestClient => {
  const received: Received[] = [];
  const listeners = new Set<() => void>();
  socket.onAny((event: ServerEventName, payload: unknown) => {
    received.push({ event, payload } as Received);
    for (const l of listeners) l();
  });
  const all = <K extends ServerEventName>(event: K) =>
    received.filter((r) => r.event === event).map((r) => r.payload as ServerEventPayload<K>);
  return {
    received,
    all,
    waitFor: (event, matches = () => true, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = all(event).find(matches);
          if (found === undefined) return false;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(
            new Error(`no matching "${event}" within ${timeoutMs} ms; got ${summary(received)}`),
          );
        }, timeoutMs);
        if (!check()) listeners.add(check);
      }),
    close: () => socket.disconnect(),
  };
};

const summary = (received: Received[]) =>
  JSON.stringify(received.map((r) => r.event)).slice(0, 500);

/** Polls `condition` until it holds, failing after `timeoutMs`; never a fixed sleep. */
export const waitUntil = async (
  condition: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};
