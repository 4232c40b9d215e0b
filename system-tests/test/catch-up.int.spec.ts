import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatMessage, ChatRoom } from "@support-chat/contracts";
import { ChatClient, person, rest } from "../src/clients.js";
import { startStack, type Stack } from "../src/stack.js";

describe("a client that missed a range catches up by seq", () => {
  let stack: Stack;
  const clients: ChatClient[] = [];

  beforeAll(async () => {
    // The customer sends faster than the default per-user limit allows; that limit has its own tests.
    stack = await startStack({
      env: { ROUTING_POLICY: "manual", RATE_LIMIT_MESSAGES_PER_SECOND: "1000" },
    });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await stack?.stop();
  });

  it("fetches exactly the missed messages, in order, in pages", async () => {
    const url = stack.gatewayUrl;
    const customer = person(stack.jwtSecret, "customer", "Away Customer");
    const agent = person(stack.jwtSecret, "agent", "Busy Agent");
    const room = (await rest(url, customer, "GET", "/chat/room")).body as ChatRoom;
    await rest(url, agent, "POST", `/chat/support/room/${room.id}/assign`);
    const a = await ChatClient.connect(url, agent);
    clients.push(a);
    await a.send("joinRoom", { roomId: room.id });
    await rest(url, customer, "POST", `/chat/room/${room.id}/messages`, {
      message: "first",
      clientMessageId: "m0",
    });
    const lastSeen = (await a.waitFor("newMessage", (m) => m.clientMessageId === "m0")).seq;

    a.close(); // the agent's laptop sleeps
    for (let i = 1; i <= 25; i++) {
      const r = await rest(url, customer, "POST", `/chat/room/${room.id}/messages`, {
        message: `missed ${i}`,
        clientMessageId: `m${i}`,
      });
      expect(r.status).toBe(201);
    }

    const caughtUp: ChatMessage[] = [];
    let after = lastSeen;
    let pages = 0;
    for (;;) {
      const page = await rest(
        url,
        agent,
        "GET",
        `/chat/room/${room.id}/messages?after=${after}&limit=10`,
      );
      expect(page.status).toBe(200);
      const batch = page.body as ChatMessage[];
      caughtUp.push(...batch);
      pages++;
      if (page.headers.get("x-has-more") !== "true") break;
      after = batch.at(-1)!.seq;
    }
    expect(pages).toBe(3);
    expect(caughtUp.map((m) => m.seq)).toEqual(
      Array.from({ length: 25 }, (_, i) => lastSeen + 1 + i),
    );
    expect(caughtUp.map((m) => m.message)).toEqual(
      Array.from({ length: 25 }, (_, i) => `missed ${i + 1}`),
    );

    // Scrolling up: the page before the first missed message is the one already seen.
    const older = await rest(
      url,
      agent,
      "GET",
      `/chat/room/${room.id}/messages?before=${lastSeen + 1}&limit=10`,
    );
    expect((older.body as ChatMessage[]).map((m) => m.seq)).toEqual([lastSeen]);
  });
});
