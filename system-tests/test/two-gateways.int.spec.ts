import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatRoom } from "@support-chat/contracts";
import { ChatClient, person, rest } from "../src/clients.js";
import { startStack, type Stack } from "../src/stack.js";

describe("two gateway replicas behave as one", () => {
  let stack: Stack;
  const clients: ChatClient[] = [];

  beforeAll(async () => {
    stack = await startStack({ gateways: 2, env: { ROUTING_POLICY: "manual" } });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await stack?.stop();
  });

  it("carries messages and typing between a customer on one and an agent on the other", async () => {
    const [g1, g2] = stack.gatewayUrls as [string, string];
    const customer = person(stack.jwtSecret, "customer", "Cleo");
    const agent = person(stack.jwtSecret, "agent", "Abe");
    const room = (await rest(g1, customer, "GET", "/chat/room")).body as ChatRoom;
    const c = await ChatClient.connect(g1, customer);
    const a = await ChatClient.connect(g2, agent);
    clients.push(c, a);
    await c.send("joinRoom", { roomId: room.id });
    expect((await rest(g2, agent, "POST", `/chat/support/room/${room.id}/assign`)).status).toBe(
      200,
    );
    await a.send("joinRoom", { roomId: room.id });

    const [, toAgent] = await Promise.all([
      c.send("sendMessage", {
        roomId: room.id,
        message: "hello from gateway one",
        clientMessageId: "c1",
      }),
      a.waitFor("newMessage", (m) => m.clientMessageId === "c1"),
    ]);
    expect(toAgent.message).toBe("hello from gateway one");
    const [, toCustomer] = await Promise.all([
      a.send("sendMessage", {
        roomId: room.id,
        message: "hello from gateway two",
        clientMessageId: "a1",
      }),
      c.waitFor("newMessage", (m) => m.clientMessageId === "a1"),
    ]);
    expect(toCustomer.seq).toBe(2);

    await Promise.all([
      c.send("typing", { roomId: room.id, isTyping: true }),
      a.waitFor("userTyping", (t) => t.userId === customer.id && t.isTyping),
    ]);
    await Promise.all([
      a.send("typing", { roomId: room.id, isTyping: false }),
      c.waitFor("userTyping", (t) => t.userId === agent.id && !t.isTyping),
    ]);
  });
});
