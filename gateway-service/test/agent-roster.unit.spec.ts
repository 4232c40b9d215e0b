import { describe, expect, it } from "vitest";
import { withoutSocket, withSocket, type AgentRoster } from "../src/domain/agent-roster.js";
import type { Principal } from "../src/domain/principal.js";

const agent: Principal = { id: "agent-1", name: "Bo", role: "agent" };
const customer: Principal = { id: "cust-1", name: "Ann", role: "customer" };
const empty: AgentRoster = new Map();

describe("agent roster of one gateway", () => {
  it("counts an agent's sockets", () => {
    const roster = withSocket(withSocket(empty, agent), agent);
    expect([...roster.values()]).toEqual([
      { agentId: "agent-1", agentName: "Bo", role: "agent", sockets: 2 },
    ]);
  });

  it("keeps an agent until their last socket is gone", () => {
    const two = withSocket(withSocket(empty, agent), agent);
    expect(withoutSocket(two, "agent-1").get("agent-1")?.sockets).toBe(1);
    expect(withoutSocket(withoutSocket(two, "agent-1"), "agent-1").size).toBe(0);
  });

  it("ignores customers and unknown agents", () => {
    expect(withSocket(empty, customer).size).toBe(0);
    expect(withoutSocket(empty, "nobody")).toBe(empty);
  });

  it("never changes the roster it was given", () => {
    const one = withSocket(empty, agent);
    withSocket(one, agent);
    withoutSocket(one, "agent-1");
    expect(one.get("agent-1")?.sockets).toBe(1);
    expect(empty.size).toBe(0);
  });
});
