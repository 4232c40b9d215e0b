import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatRoom } from "@support-chat/contracts";
import { person, rest, type Person } from "../src/clients.js";
import { startStack, type Stack } from "../src/stack.js";

/** Bad labels and bad searches get a clear VALIDATION_FAILED at the edge and change nothing. */
describe("labels and search refuse bad input clearly", () => {
  let stack: Stack;
  let agent: Person;
  let roomId: string;

  beforeAll(async () => {
    stack = await startStack({ env: { ROUTING_POLICY: "manual" } });
    agent = person(stack.jwtSecret, "agent", "Andy Agent");
    const customer = person(stack.jwtSecret, "customer", "Carla Customer");
    roomId = ((await rest(stack.gatewayUrl, customer, "GET", "/chat/room")).body as ChatRoom).id;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const refused = async (method: string, path: string, body: unknown, message: RegExp) => {
    const reply = await rest(stack.gatewayUrl, agent, method, path, body);
    expect(reply.status, path).toBe(400);
    expect(reply.body).toMatchObject({
      error: { code: "VALIDATION_FAILED", message: expect.stringMatching(message) },
    });
  };

  it("labels: wrong characters, too long, empty, and one too many", async () => {
    const labels = `/chat/support/room/${roomId}/labels`;
    await refused("POST", labels, { label: "<b>vip</b>" }, /letters and digits/);
    await refused("POST", labels, { label: "x".repeat(33) }, /maximum is 32/);
    await refused("POST", labels, { label: "   " }, /empty/);
    await refused("POST", labels, {}, /label/);
    await refused("DELETE", `${labels}/${encodeURIComponent("a/b")}`, undefined, /letters/);
    for (let i = 0; i < 10; i++) {
      expect((await rest(stack.gatewayUrl, agent, "POST", labels, { label: `l${i}` })).status).toBe(
        200,
      );
    }
    await refused("POST", labels, { label: "eleven" }, /at most|remove one/);
    const room = await rest(stack.gatewayUrl, agent, "GET", `/chat/room/${roomId}`);
    expect((room.body as ChatRoom).labels).toHaveLength(10);
  });

  it("search: no text, too long, bad paging", async () => {
    await refused("GET", "/chat/support/search", undefined, /q/);
    await refused("GET", "/chat/support/search?q=%20%20", undefined, /type something/);
    await refused("GET", `/chat/support/search?q=${"a".repeat(201)}`, undefined, /q/);
    await refused("GET", "/chat/support/search?q=x&limit=51", undefined, /limit/);
    await refused("GET", "/chat/support/search?q=x&offset=-1", undefined, /offset/);
    await refused("GET", "/chat/support/search?q=x&label=%3Cb%3E", undefined, /letters/);
    const ok = await rest(stack.gatewayUrl, agent, "GET", "/chat/support/search?q=Carla");
    expect(ok.status).toBe(200);
    expect(ok.headers.get("x-has-more")).toBe("false");
  });
});
