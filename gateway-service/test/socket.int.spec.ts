import { randomUUID } from "node:crypto";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import type { Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  AgentSocketChanged,
  AgentView,
  ChatMessage,
  ChatRoom,
  MarkReadResult,
  Registered,
  subjectsFor,
  UserTypingPush,
} from "@support-chat/contracts";
import { natsUrl } from "@support-chat/test-support";
import {
  ackData,
  ackError,
  connectRefusal,
  connectSocket,
  emitWithAck,
  rest,
  restData,
  eventually,
  waitFor,
} from "./support/clients.js";
import { signToken, startHarness, type Harness, type Person } from "./support/harness.js";

let h: Harness;
let nc: NatsConnection;
const sockets: Socket[] = [];

beforeAll(async () => {
  h = await startHarness();
  nc = await connect({ servers: natsUrl() });
});
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});
afterAll(async () => {
  await nc?.close();
  await h?.stop();
});

const connectAs = async (who: Person) => {
  const socket = await connectSocket(h.url, who);
  sockets.push(socket);
  return socket;
};

/** A customer with an open room and a connected socket that has joined it. */
const customerInRoom = async () => {
  const customer = h.person("customer");
  const room = restData(await rest(h.url, customer, "GET", "/chat/room"), 200, ChatRoom);
  const socket = await connectAs(customer);
  ackData(await emitWithAck(socket, "joinRoom", { roomId: room.id }), ChatRoom);
  return { customer, room, socket };
};

const send = (socket: Socket, roomId: string, message: string, extra: object = {}) =>
  emitWithAck(socket, "sendMessage", {
    roomId,
    message,
    clientMessageId: randomUUID(),
    ...extra,
  });

/** Runs a refused event and checks that the event log did not move. */
const refusedWithoutChange = async (emit: () => Promise<unknown>, code: string) => {
  const before = await h.eventCount();
  const error = ackError((await emit()) as never, code);
  expect(await h.eventCount()).toBe(before);
  return error;
};

const messageCount = async (roomId: string) => {
  const [row] = await h.sql<[{ count: number }]>`
    select count(*)::int as count from chat_messages where chat_room_id = ${roomId}`;
  return row.count;
};

describe("handshake", () => {
  it("accepts a valid token", async () => {
    const socket = await connectAs(h.person("customer"));
    expect(socket.connected).toBe(true);
  });

  it.each([
    ["no token", () => undefined, "UNAUTHENTICATED"],
    ["a malformed token", () => "not-a-jwt", "UNAUTHENTICATED"],
    [
      "a token signed with another secret",
      () =>
        signToken("another-secret-of-enough-length-0123456789", {
          sub: "x",
          name: "X",
          role: "agent",
        }),
      "UNAUTHENTICATED",
    ],
    [
      "a token with an unknown role",
      () => signToken(h.secret, { sub: "x", name: "X", role: "root" }),
      "UNAUTHENTICATED",
    ],
    [
      "an expired token",
      () => signToken(h.secret, { sub: "x", name: "X", role: "customer" }, -5),
      "TOKEN_EXPIRED",
    ],
  ])("refuses %s with {code, message}", async (_label, token, code) => {
    const refusal = await connectRefusal(h.url, token());
    expect(refusal.data).toMatchObject({ code, message: expect.any(String) });
  });
});

describe("register", () => {
  it("confirms the token's identity", async () => {
    const ann = h.person("customer", "Ann");
    const socket = await connectAs(ann);
    const registered = ackData(
      await emitWithAck(socket, "register", { userId: ann.id }),
      Registered,
    );
    expect(registered).toEqual({ userId: ann.id, name: "Ann", role: "customer" });
  });

  it("refuses someone else's id and malformed payloads", async () => {
    const socket = await connectAs(h.person("customer"));
    ackError(
      await emitWithAck(socket, "register", { userId: "someone-else" }),
      "IDENTITY_MISMATCH",
    );
    ackError(await emitWithAck(socket, "register", { userId: 7 }), "VALIDATION_FAILED");
    ackError(await emitWithAck(socket, "register", "me"), "VALIDATION_FAILED");
  });
});

describe("joinRoom and leaveRoom", () => {
  it("lets a customer join their own room and an agent any room", async () => {
    const { room } = await customerInRoom();
    const agentSocket = await connectAs(h.person("agent"));
    const seen = ackData(await emitWithAck(agentSocket, "joinRoom", { roomId: room.id }), ChatRoom);
    expect(seen.id).toBe(room.id);
  });

  it("refuses another customer's room, unknown rooms and non-UUID ids", async () => {
    const { room } = await customerInRoom();
    const intruder = await connectAs(h.person("customer"));
    ackError(await emitWithAck(intruder, "joinRoom", { roomId: room.id }), "FORBIDDEN");
    ackError(await emitWithAck(intruder, "joinRoom", { roomId: randomUUID() }), "NOT_FOUND");
    ackError(await emitWithAck(intruder, "joinRoom", { roomId: "lobby" }), "VALIDATION_FAILED");
    ackError(await emitWithAck(intruder, "joinRoom", null), "VALIDATION_FAILED");
    // Refused joins leave the intruder outside: typing into the room is still forbidden.
    ackError(
      await emitWithAck(intruder, "typing", { roomId: room.id, isTyping: true }),
      "FORBIDDEN",
    );
  });

  it("leaveRoom takes the socket out of the room", async () => {
    const { room, socket } = await customerInRoom();
    ackData(
      await emitWithAck(socket, "leaveRoom", { roomId: room.id }),
      z.object({ roomId: z.string() }),
    );
    ackError(await emitWithAck(socket, "typing", { roomId: room.id, isTyping: true }), "FORBIDDEN");
    ackError(await emitWithAck(socket, "leaveRoom", { roomId: "x" }), "VALIDATION_FAILED");
  });
});

describe("sendMessage", () => {
  it("acks the recorded message with the token's identity", async () => {
    const { customer, room, socket } = await customerInRoom();
    const message = ackData(await send(socket, room.id, "  Hello!  "), ChatMessage);
    expect(message).toMatchObject({
      chatRoomId: room.id,
      senderId: customer.id,
      senderName: customer.name,
      message: "Hello!",
      isFromSupport: false,
      seq: 1,
    });
    expect(await messageCount(room.id)).toBe(1);
  });

  it("acks an agent's message as from support", async () => {
    const { room } = await customerInRoom();
    const agent = h.person("agent");
    const agentSocket = await connectAs(agent);
    ackData(await emitWithAck(agentSocket, "joinRoom", { roomId: room.id }), ChatRoom);
    const message = ackData(
      await send(agentSocket, room.id, "How can I help?", {
        senderId: agent.id,
        isFromSupport: true,
      }),
      ChatMessage,
    );
    expect(message).toMatchObject({ senderId: agent.id, isFromSupport: true });
  });

  it("is idempotent: a retried clientMessageId acks the same message and records nothing new", async () => {
    const { room, socket } = await customerInRoom();
    const clientMessageId = `retry-${randomUUID()}`;
    const payload = { roomId: room.id, message: "only once", clientMessageId };
    const first = ackData(await emitWithAck(socket, "sendMessage", payload), ChatMessage);
    const events = await h.eventCount();
    const again = ackData(await emitWithAck(socket, "sendMessage", payload), ChatMessage);
    expect(again).toEqual(first);
    expect(await h.eventCount()).toBe(events);
    expect(await messageCount(room.id)).toBe(1);
  });

  it("refuses spoofed identities and bad input, recording nothing", async () => {
    const { room, socket } = await customerInRoom();
    const other = h.person("customer");
    await refusedWithoutChange(
      () => send(socket, room.id, "hi", { senderId: other.id }),
      "IDENTITY_MISMATCH",
    );
    await refusedWithoutChange(
      () => send(socket, room.id, "hi", { isFromSupport: true }),
      "IDENTITY_MISMATCH",
    );
    await refusedWithoutChange(() => send(socket, room.id, " \n\t "), "MESSAGE_EMPTY");
    const tooLong = await refusedWithoutChange(
      () => send(socket, room.id, "y".repeat(2001)),
      "MESSAGE_TOO_LONG",
    );
    expect(tooLong.message).toContain("2000");
    await refusedWithoutChange(() => send(socket, "not-a-room", "hi"), "VALIDATION_FAILED");
    await refusedWithoutChange(
      () => emitWithAck(socket, "sendMessage", { roomId: room.id, message: "no id" }),
      "VALIDATION_FAILED",
    );
    await refusedWithoutChange(
      () =>
        emitWithAck(socket, "sendMessage", {
          roomId: room.id,
          message: ["a"],
          clientMessageId: "c1",
        }),
      "VALIDATION_FAILED",
    );
    await refusedWithoutChange(
      () => emitWithAck(socket, "sendMessage", "hello"),
      "VALIDATION_FAILED",
    );
    await refusedWithoutChange(() => send(socket, randomUUID(), "hi"), "NOT_FOUND");
    expect(await messageCount(room.id)).toBe(0);
  });

  it("refuses a message to another customer's room", async () => {
    const { room } = await customerInRoom();
    const intruder = await connectAs(h.person("customer"));
    await refusedWithoutChange(() => send(intruder, room.id, "let me in"), "FORBIDDEN");
  });

  it("survives events without an ack callback or without a payload", async () => {
    const { customer, room, socket } = await customerInRoom();
    socket.emit("sendMessage", {
      roomId: room.id,
      message: "fire and forget",
      clientMessageId: "ff-1",
    });
    socket.emit("sendMessage");
    socket.emit("typing", "garbage");
    const noPayload = (await socket.timeout(5000).emitWithAck("register")) as unknown;
    ackError(noPayload as never, "VALIDATION_FAILED");
    // The connection is still served, and the ack-less message was still recorded.
    ackData(await emitWithAck(socket, "register", { userId: customer.id }), Registered);
    await eventually(
      () => messageCount(room.id),
      (n) => n === 1,
    );
  });

  it("rate-limits a burst beyond the limit with RATE_LIMITED and a retry hint", async () => {
    const { room, socket } = await customerInRoom();
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => send(socket, room.id, `burst ${i}`)),
    );
    const accepted = replies.filter((r) => r.status === "OK");
    const limited = replies.filter((r) => r.status === "ERROR");
    expect(accepted.length).toBeLessThanOrEqual(15);
    expect(limited.length).toBeGreaterThanOrEqual(5);
    for (const reply of limited)
      expect(ackError(reply, "RATE_LIMITED").message).toMatch(/retry after/);
    expect(await messageCount(room.id)).toBe(accepted.length);
  });

  it("disconnects a client whose packet exceeds the socket payload limit", async () => {
    const { room, socket } = await customerInRoom();
    const disconnected = waitFor<string>(socket, "disconnect");
    socket.emit("sendMessage", {
      roomId: room.id,
      message: "z".repeat(70 * 1024),
      clientMessageId: "big",
    });
    expect(await disconnected).toBe("transport close");
    expect(await messageCount(room.id)).toBe(0);
  });
});

describe("typing", () => {
  it("reaches the others in the room, not the sender, with the token's identity", async () => {
    const { customer, room, socket } = await customerInRoom();
    const agent = h.person("agent", "Bo");
    const agentSocket = await connectAs(agent);
    ackData(await emitWithAck(agentSocket, "joinRoom", { roomId: room.id }), ChatRoom);
    const echoes: unknown[] = [];
    socket.on("userTyping", (p: unknown) => echoes.push(p));
    const [reply, seen] = await Promise.all([
      emitWithAck(socket, "typing", { roomId: room.id, isTyping: true, userId: customer.id }),
      waitFor(agentSocket, "userTyping"),
    ]);
    ackData(reply, z.object({ roomId: z.string() }));
    expect(UserTypingPush.parse(seen)).toEqual({
      roomId: room.id,
      userId: customer.id,
      userName: customer.name,
      isFromSupport: false,
      isTyping: true,
    });
    const [, back] = await Promise.all([
      emitWithAck(agentSocket, "typing", { roomId: room.id, isTyping: false }),
      waitFor(socket, "userTyping"),
    ]);
    expect(back).toMatchObject({
      userId: agent.id,
      userName: "Bo",
      isFromSupport: true,
      isTyping: false,
    });
    expect(echoes).toEqual([back]);
  });

  it("refuses a spoofed userId, a room not joined and bad payloads, storing nothing", async () => {
    const { room, socket } = await customerInRoom();
    await refusedWithoutChange(
      () =>
        emitWithAck(socket, "typing", { roomId: room.id, isTyping: true, userId: "someone-else" }),
      "IDENTITY_MISMATCH",
    );
    await refusedWithoutChange(
      () => emitWithAck(socket, "typing", { roomId: randomUUID(), isTyping: true }),
      "FORBIDDEN",
    );
    await refusedWithoutChange(
      () => emitWithAck(socket, "typing", { roomId: room.id }),
      "VALIDATION_FAILED",
    );
    // The same socket may type into the room it joined.
    ackData(
      await emitWithAck(socket, "typing", { roomId: room.id, isTyping: true }),
      z.object({ roomId: z.literal(room.id) }),
    );
  });

  it("is rate-limited per user", async () => {
    const { room, socket } = await customerInRoom();
    const replies = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        emitWithAck(socket, "typing", { roomId: room.id, isTyping: i % 2 === 0 }),
      ),
    );
    const limited = replies.filter((r) => r.status === "ERROR");
    expect(limited.length).toBeGreaterThanOrEqual(7);
    ackError(limited[0]!, "RATE_LIMITED");
  });
});

describe("markRead", () => {
  it("marks the other side's messages read", async () => {
    const { room, socket } = await customerInRoom();
    ackData(await send(socket, room.id, "one"), ChatMessage);
    ackData(await send(socket, room.id, "two"), ChatMessage);
    const agentSocket = await connectAs(h.person("agent"));
    const result = ackData(
      await emitWithAck(agentSocket, "markRead", { roomId: room.id, upToSeq: 1 }),
      MarkReadResult,
    );
    expect(result).toMatchObject({ roomId: room.id, side: "support", upToSeq: 1, unreadCount: 1 });
  });

  it("refuses bad input and other people's rooms", async () => {
    const { room } = await customerInRoom();
    const intruder = await connectAs(h.person("customer"));
    await refusedWithoutChange(
      () => emitWithAck(intruder, "markRead", { roomId: room.id }),
      "FORBIDDEN",
    );
    await refusedWithoutChange(
      () => emitWithAck(intruder, "markRead", { roomId: room.id, upToSeq: -2 }),
      "VALIDATION_FAILED",
    );
  });
});

describe("agents", () => {
  it("announce their sockets to the assignment service over NATS", async () => {
    const subjects = subjectsFor(h.namespace);
    const sub = nc.subscribe(subjects.presenceSocket);
    const agent = h.person("agent", "Bo");
    const changes: z.infer<typeof AgentSocketChanged>[] = [];
    const collected = (async () => {
      for await (const msg of sub) {
        changes.push(AgentSocketChanged.parse(msg.json()));
        if (changes.length === 2) break;
      }
    })();
    await nc.flush();
    const socket = await connectAs(agent);
    socket.close();
    await collected;
    expect(changes.map((c) => [c.agentId, c.connected])).toEqual([
      [agent.id, true],
      [agent.id, false],
    ]);
  });

  it("setStatus reaches the assignment service, which answers with the agent's view", async () => {
    const agent = h.person("agent", "Bo");
    const socket = await connectAs(agent);
    const busy = ackData(await emitWithAck(socket, "setStatus", { status: "busy" }), AgentView);
    expect(busy).toMatchObject({ agentId: agent.id, agentName: "Bo", status: "busy" });
    const agents = restData(
      await rest(h.url, agent, "GET", "/chat/support/agents"),
      200,
      z.array(AgentView),
    );
    expect(agents.find((a) => a.agentId === agent.id)?.status).toBe("busy");
    const back = ackData(
      await emitWithAck(socket, "setStatus", { status: "available" }),
      AgentView,
    );
    expect(back.status).toBe("available");
  });

  it("setStatus is refused to customers", async () => {
    const socket = await connectAs(h.person("customer"));
    ackError(await emitWithAck(socket, "setStatus", { status: "available" }), "FORBIDDEN");
    ackError(await emitWithAck(socket, "setStatus", { status: "sleeping" }), "VALIDATION_FAILED");
  });
});
