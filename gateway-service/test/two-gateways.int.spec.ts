import { randomUUID } from "node:crypto";
import { Emitter } from "@socket.io/redis-emitter";
import { Redis } from "ioredis";
import type { Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  CHAT_NAMESPACE,
  ChatMessage,
  ChatRoom,
  socketRooms,
  UserTypingPush,
} from "@support-chat/contracts";
import { redisUrl } from "@support-chat/test-support";
import { ackData, connectSocket, emitWithAck, rest, restData, waitFor } from "./support/clients.js";
import { startHarness, type Harness, type Person } from "./support/harness.js";

let h: Harness;
const sockets: Socket[] = [];

beforeAll(async () => {
  h = await startHarness({ gateways: 2 });
});
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});
afterAll(async () => {
  await h?.stop();
});

const connectTo = async (url: string, who: Person) => {
  const socket = await connectSocket(url, who);
  sockets.push(socket);
  return socket;
};

/** The customer on gateway A and the agent on gateway B, both joined to one room. */
const conversationAcrossGateways = async () => {
  const [a, b] = h.gateways;
  const customer = h.person("customer", "Ann");
  const agent = h.person("agent", "Bo");
  const room = restData(await rest(a!.url, customer, "GET", "/chat/room"), 200, ChatRoom);
  const customerSocket = await connectTo(a!.url, customer);
  const agentSocket = await connectTo(b!.url, agent);
  ackData(await emitWithAck(customerSocket, "joinRoom", { roomId: room.id }), ChatRoom);
  ackData(await emitWithAck(agentSocket, "joinRoom", { roomId: room.id }), ChatRoom);
  return { room, customer, agent, customerSocket, agentSocket };
};

describe("two gateways sharing Redis", () => {
  it("relay typing from the customer on one to the agent on the other, and back", async () => {
    const { room, customer, agent, customerSocket, agentSocket } =
      await conversationAcrossGateways();
    const [, toAgent] = await Promise.all([
      emitWithAck(customerSocket, "typing", { roomId: room.id, isTyping: true }),
      waitFor(agentSocket, "userTyping"),
    ]);
    expect(UserTypingPush.parse(toAgent)).toEqual({
      roomId: room.id,
      userId: customer.id,
      userName: "Ann",
      isFromSupport: false,
      isTyping: true,
    });
    const [, toCustomer] = await Promise.all([
      emitWithAck(agentSocket, "typing", { roomId: room.id, isTyping: true }),
      waitFor(customerSocket, "userTyping"),
    ]);
    expect(UserTypingPush.parse(toCustomer)).toMatchObject({
      userId: agent.id,
      userName: "Bo",
      isFromSupport: true,
    });
  });

  it("serve one conversation: what is sent through either is read through the other", async () => {
    const { room, customer, agent, customerSocket, agentSocket } =
      await conversationAcrossGateways();
    const [a, b] = h.gateways;
    const question = ackData(
      await emitWithAck(customerSocket, "sendMessage", {
        roomId: room.id,
        message: "Where is my order?",
        clientMessageId: randomUUID(),
      }),
      ChatMessage,
    );
    const answer = ackData(
      await emitWithAck(agentSocket, "sendMessage", {
        roomId: room.id,
        message: "On its way.",
        clientMessageId: randomUUID(),
      }),
      ChatMessage,
    );
    expect([question.seq, answer.seq]).toEqual([1, 2]);
    const onB = restData(
      await rest(b!.url, agent, "GET", `/chat/room/${room.id}/messages`),
      200,
      z.array(ChatMessage),
    );
    const onA = restData(
      await rest(a!.url, customer, "GET", `/chat/room/${room.id}/messages`),
      200,
      z.array(ChatMessage),
    );
    expect(onB.map((m) => m.id)).toEqual([question.id, answer.id]);
    expect(onA.map((m) => m.id)).toEqual([question.id, answer.id]);
  });

  it("deliver pushes of the notification service's Redis emitter to user, agents and room rooms", async () => {
    const { room, customer, customerSocket, agentSocket } = await conversationAcrossGateways();
    const redis = new Redis(redisUrl());
    try {
      const emitter = new Emitter(redis, { key: h.env["SOCKET_IO_REDIS_KEY"] }).of(CHAT_NAMESPACE);
      const roomUpdate = { room };
      const [toCustomer, toAgents, toRoom] = await Promise.all([
        waitFor(customerSocket, "roomUpdated"),
        waitFor(agentSocket, "newChatRequest"),
        waitFor(agentSocket, "supportJoined"),
        Promise.resolve().then(() => {
          emitter.to(socketRooms.user(customer.id)).emit("roomUpdated", roomUpdate);
          emitter.to(socketRooms.agents).emit("newChatRequest", { roomId: room.id });
          emitter.to(socketRooms.room(room.id)).emit("supportJoined", { roomId: room.id });
        }),
      ]);
      expect(toCustomer).toEqual(roomUpdate);
      expect(toAgents).toEqual({ roomId: room.id });
      expect(toRoom).toEqual({ roomId: room.id });
    } finally {
      await redis.quit();
    }
  });
});
