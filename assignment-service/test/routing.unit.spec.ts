import { describe, expect, it } from "vitest";
import { route, type Candidate } from "../src/domain/routing.js";

const agent = (
  agentId: string,
  load = 0,
  lastAssignedAt: number | null = null,
  capacity = 3,
): Candidate => ({ agentId, load, capacity, lastAssignedAt });

const queue = (...ids: string[]) => ids.map((roomId) => ({ roomId }));

describe("least-loaded routing", () => {
  it("gives the room to the agent with the fewest open chats", () => {
    // given
    const agents = [agent("ann", 2, 1), agent("bob", 1, 2), agent("cat", 2, 0)];
    // when
    const proposals = route(queue("r1"), agents, "least-loaded");
    // then
    expect(proposals).toEqual([{ roomId: "r1", agentId: "bob" }]);
  });

  it("breaks a tie in load in favour of the agent assigned longest ago", () => {
    const agents = [agent("ann", 1, 300), agent("bob", 1, 100), agent("cat", 1, 200)];
    expect(route(queue("r1"), agents, "least-loaded")).toEqual([{ roomId: "r1", agentId: "bob" }]);
  });

  it("puts an agent never assigned before anyone assigned already", () => {
    const agents = [agent("ann", 0, 100), agent("bob", 0, null)];
    expect(route(queue("r1"), agents, "least-loaded")).toEqual([{ roomId: "r1", agentId: "bob" }]);
  });

  it("breaks a full tie by agent id, so every replica decides the same", () => {
    const agents = [agent("cat"), agent("ann"), agent("bob")];
    expect(route(queue("r1"), agents, "least-loaded")).toEqual([{ roomId: "r1", agentId: "ann" }]);
  });

  it("spreads a burst of rooms evenly, in queue order", () => {
    const agents = [agent("ann"), agent("bob")];
    expect(route(queue("r1", "r2", "r3", "r4"), agents, "least-loaded")).toEqual([
      { roomId: "r1", agentId: "ann" },
      { roomId: "r2", agentId: "bob" },
      { roomId: "r3", agentId: "ann" },
      { roomId: "r4", agentId: "bob" },
    ]);
  });

  it("never proposes more rooms than an agent has room for", () => {
    const agents = [agent("ann", 1, null, 2), agent("bob", 0, null, 1)];
    const proposals = route(queue("r1", "r2", "r3", "r4"), agents, "least-loaded");
    expect(proposals).toEqual([
      { roomId: "r1", agentId: "bob" },
      { roomId: "r2", agentId: "ann" },
    ]);
  });

  it("proposes nothing when every agent is at capacity", () => {
    const agents = [agent("ann", 3), agent("bob", 3)];
    expect(route(queue("r1", "r2"), agents, "least-loaded")).toEqual([]);
  });

  it("never routes to an agent with capacity 0", () => {
    expect(route(queue("r1"), [agent("ann", 0, null, 0)], "least-loaded")).toEqual([]);
  });

  it("proposes nothing when there are no agents", () => {
    expect(route(queue("r1"), [], "least-loaded")).toEqual([]);
  });

  it("proposes nothing when nobody waits", () => {
    expect(route([], [agent("ann")], "least-loaded")).toEqual([]);
  });
});

describe("round-robin routing", () => {
  it("gives the room to the agent assigned longest ago, whatever their load", () => {
    const agents = [agent("ann", 0, 300), agent("bob", 2, 100)];
    expect(route(queue("r1"), agents, "round-robin")).toEqual([{ roomId: "r1", agentId: "bob" }]);
  });

  it("skips an agent at capacity even when their turn has come", () => {
    const agents = [agent("ann", 0, 300), agent("bob", 3, 100)];
    expect(route(queue("r1"), agents, "round-robin")).toEqual([{ roomId: "r1", agentId: "ann" }]);
  });

  it("takes turns within a burst", () => {
    const agents = [agent("ann", 0, 200), agent("bob", 0, 100), agent("cat", 0, null)];
    expect(route(queue("r1", "r2", "r3", "r4"), agents, "round-robin")).toEqual([
      { roomId: "r1", agentId: "cat" },
      { roomId: "r2", agentId: "bob" },
      { roomId: "r3", agentId: "ann" },
      { roomId: "r4", agentId: "cat" },
    ]);
  });

  it("proposes nothing when every agent is full or has capacity 0", () => {
    const agents = [agent("ann", 3), agent("bob", 0, null, 0)];
    expect(route(queue("r1"), agents, "round-robin")).toEqual([]);
  });
});

describe("manual routing", () => {
  it("never assigns anyone, however many agents are free", () => {
    expect(route(queue("r1", "r2"), [agent("ann"), agent("bob")], "manual")).toEqual([]);
  });
});
