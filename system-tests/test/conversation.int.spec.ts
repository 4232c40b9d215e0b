import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatMessage, ChatRoom } from "@support-chat/contracts";
import { ChatClient, person, rest, type Person } from "../src/clients.js";
import { startStack, type Stack } from "../src/stack.js";

describe("a customer and an agent hold a whole conversation through the real stack", () => {
  let stack: Stack;
  let customer: Person;
  let agent: Person;
  const clients: ChatClient[] = [];

  beforeAll(async () => {
    // Manual routing: the agent claims the room from the queue (through the assignment service).
    stack = await startStack({ env: { ROUTING_POLICY: "manual" } });
    customer = person(stack.jwtSecret, "customer", "Carla Customer");
    agent = person(stack.jwtSecret, "agent", "Andy Agent");
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await stack?.stop();
  });

  it("opens, routes, talks, reads and closes, with every push reaching the right people", async () => {
    const url = stack.gatewayUrl;
    const opened = await rest(url, customer, "GET", "/chat/room");
    expect(opened.status).toBe(200);
    const room = opened.body as ChatRoom;
    expect(room).toMatchObject({
      userId: customer.id,
      status: "waiting",
      supportAgentId: null,
      unreadCount: 0,
    });

    const customerSocket = await ChatClient.connect(url, customer);
    const agentSocket = await ChatClient.connect(url, agent);
    clients.push(customerSocket, agentSocket);
    expect(await customerSocket.send("register", { userId: customer.id })).toMatchObject({
      status: "OK",
    });
    expect(await customerSocket.send("joinRoom", { roomId: room.id })).toMatchObject({
      status: "OK",
      data: { id: room.id },
    });

    // The customer's first message: acked with seq 1, announced to every agent.
    const [sent, request] = await Promise.all([
      customerSocket.send("sendMessage", {
        roomId: room.id,
        message: "  Where is my order?  ",
        clientMessageId: "c-1",
      }),
      agentSocket.waitFor("newChatRequest", (p) => p.roomId === room.id),
    ]);
    expect(sent).toMatchObject({
      status: "OK",
      data: { seq: 1, message: "Where is my order?", isFromSupport: false },
    });
    expect(request).toMatchObject({
      userName: "Carla Customer",
      message: "Where is my order?",
      seq: 1,
    });
    const waiting = await agentSocket.waitFor(
      "roomUpdated",
      (p) => p.room.id === room.id && p.room.unreadCount === 1,
    );
    expect(waiting.room.status).toBe("waiting");

    // The agent opens the chat: it is assigned to them and the customer is told.
    const [claimed, joined] = await Promise.all([
      rest(url, agent, "POST", `/chat/support/room/${room.id}/assign`),
      customerSocket.waitFor("supportJoined", (p) => p.roomId === room.id),
    ]);
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({
      status: "open",
      supportAgentId: agent.id,
      supportAgentName: "Andy Agent",
    });
    expect(joined).toMatchObject({ agentId: agent.id, agentName: "Andy Agent" });
    expect(await agentSocket.send("joinRoom", { roomId: room.id })).toMatchObject({ status: "OK" });

    // Typing goes straight through the socket room, both ways.
    const [, agentSawTyping] = await Promise.all([
      customerSocket.send("typing", { roomId: room.id, isTyping: true }),
      agentSocket.waitFor("userTyping", (p) => p.userId === customer.id && p.isTyping),
    ]);
    expect(agentSawTyping).toMatchObject({
      roomId: room.id,
      isFromSupport: false,
      userName: "Carla Customer",
    });
    const [, customerSawTyping] = await Promise.all([
      agentSocket.send("typing", { roomId: room.id, isTyping: true }),
      customerSocket.waitFor("userTyping", (p) => p.userId === agent.id && p.isTyping),
    ]);
    expect(customerSawTyping.isFromSupport).toBe(true);

    // The agent answers; the customer receives it live, with its room, seq and idempotency key.
    const [answer, delivered] = await Promise.all([
      agentSocket.send("sendMessage", {
        roomId: room.id,
        message: "It ships today.",
        clientMessageId: "a-1",
      }),
      customerSocket.waitFor("newMessage", (p) => p.clientMessageId === "a-1"),
    ]);
    expect(answer).toMatchObject({
      status: "OK",
      data: { seq: 2, isFromSupport: true, senderId: agent.id },
    });
    expect(delivered).toMatchObject({
      roomId: room.id,
      chatRoomId: room.id,
      seq: 2,
      message: "It ships today.",
    });
    await agentSocket.waitFor("newMessage", (p) => p.seq === 2);

    // Unread counts are from each caller's side.
    const customerView = await rest(url, customer, "GET", `/chat/room/${room.id}`);
    expect((customerView.body as ChatRoom).unreadCount).toBe(1);

    // The customer reads; the agent sees the read receipt and the customer's count drops to 0.
    const [read, receipt] = await Promise.all([
      rest(url, customer, "POST", `/chat/room/${room.id}/read`, {}),
      agentSocket.waitFor("messagesRead", (p) => p.roomId === room.id && p.side === "customer"),
    ]);
    expect(read.status).toBe(200);
    expect(receipt.upToSeq).toBe(2);
    expect(
      ((await rest(url, customer, "GET", `/chat/room/${room.id}`)).body as ChatRoom).unreadCount,
    ).toBe(0);

    const history = await rest(url, customer, "GET", `/chat/room/${room.id}/messages`);
    const messages = history.body as ChatMessage[];
    expect(messages.map((m) => [m.seq, m.message, m.isFromSupport])).toEqual([
      [1, "Where is my order?", false],
      [2, "It ships today.", true],
    ]);
    expect(messages[1]!.isRead).toBe(true);
    expect(history.headers.get("x-has-more")).toBe("false");

    // Closing is pushed to the customer; the next GET /chat/room opens a fresh room.
    const [closed, update] = await Promise.all([
      rest(url, agent, "POST", `/chat/room/${room.id}/close`),
      customerSocket.waitFor(
        "roomUpdated",
        (p) => p.room.id === room.id && p.room.status === "closed",
      ),
    ]);
    expect(closed.status).toBe(200);
    expect(update.room.closedAt).not.toBeNull();
    const next = await rest(url, customer, "GET", "/chat/room");
    expect((next.body as ChatRoom).id).not.toBe(room.id);
    expect((next.body as ChatRoom).status).toBe("waiting");

    // Nothing was pushed twice.
    const seqs = customerSocket
      .all("newMessage")
      .filter((m) => m.roomId === room.id)
      .map((m) => m.seq);
    expect(seqs).toEqual([1, 2]);
  });
});
