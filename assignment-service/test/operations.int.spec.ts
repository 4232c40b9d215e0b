import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { leaderOf, people, refusal, startWorld, waitFor, type World } from "./harness.js";

let w: World;
let gateway: ReturnType<World["gateway"]>;
let beating: NodeJS.Timeout;
const ann = people.agent(1);
const bob = people.agent(2);
const settingsRow = async (agentId: string) =>
  (
    await w.sql`select status, max_chats from assignment_agent_settings where agent_id = ${agentId}`
  )[0];

beforeAll(async () => {
  w = await startWorld();
  await w.startChat();
  // Manual: nobody is auto-assigned, so every assignment here is a claim or a transfer.
  await leaderOf(await w.startAssignment({ ROUTING_POLICY: "manual", ROUTING_SWEEP_MS: "100" }));
  gateway = w.gateway("gw-1");
  beating = setInterval(() => gateway.heartbeat(), 500);
  gateway.connect(ann);
  gateway.connect(bob);
  await waitFor("ann and bob online", async () => {
    const { agents } = await w.as(ann).query("listAgents", {});
    return agents.filter((a) => a.online).length === 2;
  });
});

afterAll(async () => {
  clearInterval(beating);
  await w?.close();
});

describe("claiming rooms from the queue", () => {
  it("lets an agent claim waiting rooms up to their capacity, then refuses", async () => {
    // given ann's capacity is 2 and three customers wait
    await w.as(people.manager()).command("setCapacity", { agentId: ann.id, maxChats: 2 });
    const rooms: Array<{ id: string }> = [];
    for (let i = 1; i <= 3; i++) rooms.push(await w.customerWrites(people.customer(i)));
    // when she claims two, they are hers
    for (const room of rooms.slice(0, 2)) {
      const claimed = await w.as(ann).command("claimRoom", { roomId: room.id });
      expect(claimed).toMatchObject({ id: room.id, status: "open", supportAgentId: ann.id });
    }
    // then the third is refused, and stays waiting
    expect(await refusal(w.as(ann).command("claimRoom", { roomId: rooms[2]!.id }))).toBe(
      "AGENT_AT_CAPACITY",
    );
    expect((await w.rooms()).find((r) => r.id === rooms[2]!.id)?.status).toBe("waiting");
  });

  it("refuses a customer who tries to claim", async () => {
    const room = (await w.rooms()).find((r) => r.status === "waiting")!;
    expect(await refusal(w.as(people.customer(9)).command("claimRoom", { roomId: room.id }))).toBe(
      "FORBIDDEN",
    );
  });
});

describe("transferring a room", () => {
  it("hands a room to another online agent within their capacity", async () => {
    const room = (await w.rooms()).find((r) => r.agent === ann.id)!;
    const moved = await w.as(ann).command("transferRoom", { roomId: room.id, agentId: bob.id });
    expect(moved).toMatchObject({ supportAgentId: bob.id, supportAgentName: bob.name });
    const assigned = (await w.events()).filter(
      (e) => e.type === "AgentAssigned" && e.data.roomId === room.id,
    );
    expect(assigned.at(-1)?.data).toMatchObject({ agentId: bob.id, reason: "transferred" });
  });

  it("refuses a target nobody has ever seen", async () => {
    const room = (await w.rooms()).find((r) => r.agent === bob.id)!;
    expect(
      await refusal(w.as(bob).command("transferRoom", { roomId: room.id, agentId: "nobody" })),
    ).toBe("NOT_FOUND");
    expect((await w.rooms()).find((r) => r.id === room.id)?.agent).toBe(bob.id);
  });

  it("refuses a target who is offline", async () => {
    const carl = people.agent(3);
    gateway.connect(carl);
    gateway.disconnect(carl);
    await waitFor("carl known and offline", async () => {
      const { agents } = await w.as(ann).query("listAgents", {});
      return agents.some((a) => a.agentId === carl.id && !a.online);
    });
    const room = (await w.rooms()).find((r) => r.agent === bob.id)!;
    expect(
      await refusal(w.as(bob).command("transferRoom", { roomId: room.id, agentId: carl.id })),
    ).toBe("AGENT_NOT_AVAILABLE");
  });

  it("refuses an agent who tries to transfer someone else's room", async () => {
    const room = (await w.rooms()).find((r) => r.agent === bob.id)!;
    expect(
      await refusal(w.as(ann).command("transferRoom", { roomId: room.id, agentId: ann.id })),
    ).toBe("FORBIDDEN");
    expect((await w.rooms()).find((r) => r.id === room.id)?.agent).toBe(bob.id);
  });

  it("refuses to go past the target's capacity", async () => {
    // ann holds 1 of 2 after the transfer; bring her to 1 of 1
    await w.as(people.manager()).command("setCapacity", { agentId: ann.id, maxChats: 1 });
    const room = (await w.rooms()).find((r) => r.agent === bob.id)!;
    expect(
      await refusal(w.as(bob).command("transferRoom", { roomId: room.id, agentId: ann.id })),
    ).toBe("AGENT_AT_CAPACITY");
  });
});

describe("agent status and capacity", () => {
  it("stores an agent's own status and shows it", async () => {
    const view = await w.as(bob).command("setStatus", { status: "busy" });
    expect(view).toMatchObject({ agentId: bob.id, status: "busy", online: true });
    expect(await settingsRow(bob.id)).toEqual({ status: "busy", max_chats: null });
    await w.as(bob).command("setStatus", { status: "available" });
  });

  it("lets managers set capacity, even for an agent who never logged in", async () => {
    const view = await w.as(people.manager()).command("setCapacity", {
      agentId: "future-agent",
      maxChats: 5,
    });
    expect(view).toMatchObject({ agentId: "future-agent", maxChats: 5, online: false });
    expect(await settingsRow("future-agent")).toEqual({ status: null, max_chats: 5 });
    const reset = await w.as(people.manager()).command("setCapacity", {
      agentId: "future-agent",
      maxChats: null,
    });
    expect(reset.maxChats).toBe(3);
  });

  it("refuses capacity changes from agents, and bad values, changing nothing", async () => {
    expect(await refusal(w.as(ann).command("setCapacity", { agentId: ann.id, maxChats: 50 }))).toBe(
      "FORBIDDEN",
    );
    expect(
      await refusal(
        w.as(people.manager()).command("setCapacity", { agentId: ann.id, maxChats: -1 }),
      ),
    ).toBe("VALIDATION_FAILED");
    expect(await settingsRow(ann.id)).toEqual({ status: null, max_chats: 1 });
  });

  it("refuses a status from a customer and an unknown status", async () => {
    expect(await refusal(w.as(people.customer(1)).command("setStatus", { status: "busy" }))).toBe(
      "FORBIDDEN",
    );
    const bad = w.as(ann).command("setStatus", { status: "asleep" as never });
    expect(await refusal(bad)).toBe("VALIDATION_FAILED");
    expect(await settingsRow(people.customer(1).id)).toBeUndefined();
  });
});

describe("queries", () => {
  it("lists agents for support staff only", async () => {
    const { agents } = await w.as(people.manager()).query("listAgents", {});
    expect(agents.map((a) => a.agentId)).toEqual(expect.arrayContaining([ann.id, bob.id]));
    expect(await refusal(w.as(people.customer(1)).query("listAgents", {}))).toBe("FORBIDDEN");
  });

  it("tells a customer their own position, and nobody else's", async () => {
    const waiting = (await w.rooms()).find((r) => r.status === "waiting")!;
    const owner = { id: waiting.customer, name: "Owner", role: "customer" as const };
    expect(await w.as(owner).query("queuePosition", { roomId: waiting.id })).toMatchObject({
      position: 1,
      agentsOnline: 2,
    });
    expect(
      await refusal(w.as(people.customer(77)).query("queuePosition", { roomId: waiting.id })),
    ).toBe("FORBIDDEN");
    expect(await refusal(w.as(owner).query("queuePosition", { roomId: randomUUID() }))).toBe(
      "NOT_FOUND",
    );
  });
});
