/**
 * The baseline: a bare socket.io relay with the chat's wire shape and nothing else. No auth,
 * no validation beyond what keeps it alive, no persistence, no other hop: `joinRoom` joins,
 * `sendMessage` acks and emits `newMessage` to the room. Whatever the product costs on top of
 * this is what the benchmark's ratios show.
 *
 * Run by the benchmark as its own process (forked, it reports its port over IPC); standalone
 * it prints the port.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Server } from "socket.io";
import {
  CHAT_NAMESPACE,
  socketRooms,
  type ChatMessage,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from "@support-chat/contracts";

/** `GET /memory`: this process's memory and how many sockets it holds. */
const memoryRoute = (sockets: () => number) => (req: IncomingMessage, res: ServerResponse) => {
  if (req.url !== "/memory") {
    res.statusCode = 404;
    res.end();
    return;
  }
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify({ ...process.memoryUsage(), sockets: sockets() }));
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

export const startRawRelay = async (port = 0) => {
  let sockets = () => 0;
  const httpServer = createServer(memoryRoute(() => sockets()));
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(httpServer, {
    serveClient: false,
  });
  const chat = io.of(CHAT_NAMESPACE);
  sockets = () => chat.sockets.size;
  const seqs = new Map<string, number>();
  chat.on("connection", (socket) => {
    socket.on("joinRoom", (payload, ack) => {
      if (!isRecord(payload) || typeof payload.roomId !== "string") return;
      void socket.join(socketRooms.room(payload.roomId));
      // The real ack carries the whole room; an id is enough for the benchmark's drivers.
      ack?.({ status: "OK", data: { id: payload.roomId } as never });
    });
    socket.on("sendMessage", (payload, ack) => {
      if (!isRecord(payload) || typeof payload.roomId !== "string") return;
      const roomId = payload.roomId;
      const seq = (seqs.get(roomId) ?? 0) + 1;
      seqs.set(roomId, seq);
      const message: ChatMessage = {
        id: randomUUID(),
        chatRoomId: roomId,
        senderId: socket.id,
        message: String(payload.message),
        isRead: false,
        isFromSupport: false,
        createdAt: new Date().toISOString(),
        seq,
        clientMessageId: String(payload.clientMessageId),
        senderName: "Raw relay",
        senderRole: "customer",
      };
      ack?.({ status: "OK", data: message });
      chat.to(socketRooms.room(roomId)).emit("newMessage", { ...message, roomId });
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(port, "127.0.0.1", resolve));
  return {
    port: (httpServer.address() as AddressInfo).port,
    close: () => io.close(),
  };
};

const main = async () => {
  const relay = await startRawRelay(Number(process.env.RAW_RELAY_PORT ?? 0));
  if (process.send) {
    process.send({ type: "listening", port: relay.port });
    process.on("disconnect", () => process.exit(0));
  } else {
    process.stdout.write(`raw relay listening on http://127.0.0.1:${relay.port}\n`);
  }
  process.once("SIGTERM", () => void relay.close().finally(() => process.exit(0)));
};

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) void main();
