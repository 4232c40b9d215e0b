import { afterAll, beforeAll, describe, expect, it } from "vitest";
import postgres from "postgres";
import type { ChatMessage, ChatRoom } from "@support-chat/contracts";
import { ChatClient, person, rest, type Person } from "../src/clients.js";
import { ServiceProcess } from "../src/processes.js";
import { startStack, type Stack } from "../src/stack.js";

/**
 * The chat service commits an event and dies before it is published: the message must still
 * reach the other side once a chat service runs again, exactly once.
 */
describe("a chat service killed between commit and publish", () => {
  let stack: Stack;
  let customer: Person;
  let agent: Person;
  const clients: ChatClient[] = [];
  const processes: ServiceProcess[] = [];

  beforeAll(async () => {
    stack = await startStack({ chatService: false, env: { ROUTING_POLICY: "manual" } });
    customer = person(stack.jwtSecret, "customer", "Crash Customer");
    agent = person(stack.jwtSecret, "agent", "Crash Agent");
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    for (const p of processes) await p.kill();
    await stack?.stop();
  });

  const chatProcess = async (env: Record<string, string>) => {
    const p = await ServiceProcess.create("chat-service", { ...stack.env, ...env });
    processes.push(p);
    await p.start();
    return p;
  };

  it("delivers every acknowledged message once after a restart", async () => {
    // A chat service that commits but never gets to publish: the window a crash can hit.
    const doomed = await chatProcess({ RELAY_ENABLED: "false" });
    const room = (await rest(stack.gatewayUrl, customer, "GET", "/chat/room")).body as ChatRoom;
    expect(
      (await rest(stack.gatewayUrl, agent, "POST", `/chat/support/room/${room.id}/assign`)).status,
    ).toBe(200);
    const c = await ChatClient.connect(stack.gatewayUrl, customer);
    const a = await ChatClient.connect(stack.gatewayUrl, agent);
    clients.push(c, a);
    await c.send("joinRoom", { roomId: room.id });
    await a.send("joinRoom", { roomId: room.id });

    const acked: ChatMessage[] = [];
    for (let i = 1; i <= 5; i++) {
      const reply = await c.send("sendMessage", {
        roomId: room.id,
        message: `m${i}`,
        clientMessageId: `k${i}`,
      });
      expect(reply.status).toBe("OK");
      if (reply.status === "OK") acked.push(reply.data);
    }
    expect(a.all("newMessage")).toHaveLength(0);

    await doomed.kill();
    await chatProcess({ RELAY_ENABLED: "true" });

    await a.waitFor("newMessage", (m) => m.seq === 5, 20_000);
    const seen = a.all("newMessage").filter((m) => m.roomId === room.id);
    expect(seen.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(seen.map((m) => m.id)).toEqual(acked.map((m) => m.id));

    const sql = postgres(stack.database.url, { max: 1 });
    try {
      const [row] = await sql<
        { n: string }[]
      >`select count(*) as n from events where type = 'MessagePosted'`;
      expect(Number(row!.n)).toBe(5);
    } finally {
      await sql.end();
    }
  });
});
