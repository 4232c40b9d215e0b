import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agent, customer, startEnvironment, type Environment } from "./support/environment.js";
import { waitUntil } from "./support/test-gateway.js";

let env: Environment;

beforeAll(async () => {
  env = await startEnvironment();
});

afterAll(async () => {
  await env?.close();
});

/** Every room id a push is about, whatever its shape. */
const roomIdsIn = (payload: object): string[] =>
  "room" in payload
    ? [(payload.room as { id: string }).id]
    : [(payload as { roomId: string }).roomId];

describe("pushes from a conversation", () => {
  it("reach the customer, the agents and the room, and nobody else", async () => {
    const alice = customer("Alice");
    const bob = customer("Bob");
    const ana = agent("Ana");
    const console_ = await env.gateway.connect({ userId: ana.id, agent: true });

    // A customer opens a room: the agents' console learns about it.
    const roomA = await env.command(alice, "openRoom", {});
    const roomB = await env.command(bob, "openRoom", {});
    await console_.waitFor(
      "roomUpdated",
      (p) => p.room.id === roomA.id && p.room.status === "waiting",
    );

    const aliceTab = await env.gateway.connect({ userId: alice.id, roomIds: [roomA.id] });
    const bobTab = await env.gateway.connect({ userId: bob.id, roomIds: [roomB.id] });
    const watcher = await env.gateway.connect({ userId: "auditor", roomIds: [roomA.id] });

    // The customer's first message: to the room, and a chat request to every agent.
    const sent = await env.command(alice, "postMessage", {
      roomId: roomA.id,
      clientMessageId: "a-1",
      message: "My parcel is late",
    });
    const pushed = await aliceTab.waitFor("newMessage", (p) => p.clientMessageId === "a-1");
    expect(pushed).toEqual({ ...sent.message, roomId: roomA.id, isRead: false });
    expect(pushed).toMatchObject({ seq: 1, senderId: alice.id, isFromSupport: false });
    await watcher.waitFor("newMessage", (p) => p.id === sent.message.id);
    expect(await console_.waitFor("newChatRequest", (p) => p.roomId === roomA.id)).toEqual({
      roomId: roomA.id,
      userId: alice.id,
      userName: "Alice",
      message: "My parcel is late",
      seq: 1,
    });
    // Each side sees the room with its own unread count.
    const supportView = await console_.waitFor("roomUpdated", (p) => p.room.lastSeq === 1);
    expect(supportView.room).toMatchObject({
      id: roomA.id,
      unreadCount: 1,
      lastMessage: "My parcel is late",
    });
    const customerView = await aliceTab.waitFor("roomUpdated", (p) => p.room.lastSeq === 1);
    expect(customerView.room).toMatchObject({ id: roomA.id, unreadCount: 0 });

    // An agent takes the room.
    await env.command(ana, "claimRoom", { roomId: roomA.id });
    expect(await aliceTab.waitFor("supportJoined")).toEqual({
      roomId: roomA.id,
      agentId: ana.id,
      agentName: "Ana",
      message: "Ana joined the chat",
    });
    const assigned = await console_.waitFor("roomAssigned");
    expect(assigned.room).toMatchObject({ id: roomA.id, supportAgentId: ana.id, status: "open" });

    // The agent answers: to the customer, no chat request this time.
    await env.command(ana, "postMessage", {
      roomId: roomA.id,
      clientMessageId: "ana-1",
      message: "Let me check that for you",
    });
    const reply = await aliceTab.waitFor("newMessage", (p) => p.clientMessageId === "ana-1");
    expect(reply).toMatchObject({
      seq: 2,
      senderId: ana.id,
      isFromSupport: true,
      senderName: "Ana",
    });
    const unreadForAlice = await aliceTab.waitFor("roomUpdated", (p) => p.room.lastSeq === 2);
    expect(unreadForAlice.room.unreadCount).toBe(1);

    // The customer reads it: the room learns how far.
    await env.command(alice, "markRead", { roomId: roomA.id });
    expect(await watcher.waitFor("messagesRead")).toEqual({
      roomId: roomA.id,
      side: "customer",
      readerId: alice.id,
      upToSeq: 2,
    });
    await aliceTab.waitFor("roomUpdated", (p) => p.room.lastSeq === 2 && p.room.unreadCount === 0);

    // The customer closes the room: the agent loses it.
    await env.command(alice, "closeRoom", { roomId: roomA.id });
    expect(await console_.waitFor("roomUnassigned")).toEqual({
      roomId: roomA.id,
      reason: "closed",
    });
    await aliceTab.waitFor("roomUpdated", (p) => p.room.status === "closed");

    // Bob's own message comes after everything above, so once he has it, all of Alice's
    // pushes have been sent too: anything of hers meant for him would be here by now.
    await env.command(bob, "postMessage", {
      roomId: roomB.id,
      clientMessageId: "b-1",
      message: "Hi",
    });
    await bobTab.waitFor("newMessage", (p) => p.clientMessageId === "b-1");
    await bobTab.waitFor("roomUpdated", (p) => p.room.lastSeq === 1);
    expect(bobTab.received.flatMap((r) => roomIdsIn(r.payload))).not.toContain(roomA.id);
    expect(new Set(bobTab.received.map((r) => r.event))).toEqual(
      new Set(["newMessage", "roomUpdated"]),
    );

    // Alice's tab is in the room and in her user room: each push reaches it once.
    expect(aliceTab.all("newMessage").map((m) => m.seq)).toEqual([1, 2]);
    expect(aliceTab.all("supportJoined")).toHaveLength(1);
    expect(aliceTab.all("messagesRead")).toHaveLength(1);
    // Agent-only pushes never reach a customer.
    const aliceEvents = new Set(aliceTab.received.map((r) => r.event));
    for (const agentOnly of ["newChatRequest", "roomAssigned", "roomUnassigned"] as const) {
      expect(aliceEvents.has(agentOnly)).toBe(false);
    }
    // The watcher is in the room only: it gets the conversation, not room updates.
    expect(watcher.all("roomUpdated")).toEqual([]);
  });

  it("takes a transferred room from the previous agent and gives it to the next", async () => {
    const carla = customer("Carla");
    const ana = agent("Ana");
    const ben = agent("Ben");
    const room = await env.command(carla, "openRoom", {});
    const anaTab = await env.gateway.connect({ userId: ana.id, agent: true });
    const benTab = await env.gateway.connect({ userId: ben.id, agent: true });
    const carlaTab = await env.gateway.connect({ userId: carla.id, roomIds: [room.id] });

    await env.command(ana, "claimRoom", { roomId: room.id });
    await anaTab.waitFor("roomAssigned", (p) => p.room.id === room.id);
    await env.command(ana, "transferRoom", { roomId: room.id, agentId: ben.id, agentName: "Ben" });

    expect(await anaTab.waitFor("roomUnassigned", (p) => p.roomId === room.id)).toEqual({
      roomId: room.id,
      reason: "transferred",
    });
    const assigned = await benTab.waitFor("roomAssigned", (p) => p.room.id === room.id);
    expect(assigned.room.supportAgentId).toBe(ben.id);
    await carlaTab.waitFor("supportJoined", (p) => p.agentId === ben.id);
    await waitUntil(() => carlaTab.all("supportJoined").length === 2, "both joins reached Carla");
    expect(carlaTab.all("supportJoined").map((p) => p.message)).toEqual([
      "Ana joined the chat",
      "Ben joined the chat",
    ]);
  });

  it("takes a requeued room from its agent with the reason", async () => {
    const dora = customer("Dora");
    const ana = agent("Ana");
    const room = await env.command(dora, "openRoom", {});
    const anaTab = await env.gateway.connect({ userId: ana.id, agent: true });
    await env.command(ana, "claimRoom", { roomId: room.id });
    await anaTab.waitFor("roomAssigned", (p) => p.room.id === room.id);

    await env.command(ana, "requeueRoom", { roomId: room.id, reason: "agent_released" });

    expect(await anaTab.waitFor("roomUnassigned", (p) => p.roomId === room.id)).toEqual({
      roomId: room.id,
      reason: "agent_released",
    });
    await anaTab.waitFor(
      "roomUpdated",
      (p) => p.room.id === room.id && p.room.status === "waiting",
    );
  });
});
