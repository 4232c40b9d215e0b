import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AssignmentService } from "../src/service.js";
import { leaderOf, people, startWorld, waitFor, type World } from "./harness.js";

const TTL_MS = 600;
const GRACE_MS = 300;

let w: World;
let service: AssignmentService;
let beating: NodeJS.Timeout;
let gateway: ReturnType<World["gateway"]>;
let watched: ReturnType<World["watchQueue"]>;

const agents = [1, 2, 3, 4, 5].map(people.agent);
const manager = () => w.as(people.manager());

const openCount = async (agentId: string) =>
  (await w.rooms()).filter((r) => r.status === "open" && r.agent === agentId).length;
const waitingRooms = async () => (await w.rooms()).filter((r) => r.status === "waiting");

/** The latest snapshot once it lists exactly these rooms, in this order. */
const snapshotListing = async (roomIds: string[]) => {
  await waitFor(`a queue snapshot listing ${roomIds.length} rooms`, () => {
    const latest = watched.latest();
    return JSON.stringify(latest?.rooms.map((r) => r.roomId)) === JSON.stringify(roomIds);
  });
  return watched.latest()!;
};

beforeAll(async () => {
  w = await startWorld();
  await w.startChat();
  service = await w.startAssignment({
    PRESENCE_TTL_MS: String(TTL_MS),
    AGENT_OFFLINE_GRACE_MS: String(GRACE_MS),
    ROUTING_SWEEP_MS: "100",
    QUEUE_BROADCAST_MS: "250",
  });
  await leaderOf(service);
  watched = w.watchQueue();
  gateway = w.gateway("gw-1");
  // A live gateway beats well within the TTL.
  beating = setInterval(() => gateway.heartbeat(), 100);
});

afterAll(async () => {
  clearInterval(beating);
  watched?.stop();
  await w?.close();
});

describe("routing 20 customers to 5 agents of capacity 3", () => {
  it("assigns exactly 15, three each, and queues 5 in order with positions 1..5", async () => {
    // given five agents online
    for (const agent of agents) gateway.connect(agent);
    await waitFor("five agents online", async () => {
      const { agents: list } = await manager().query("listAgents", {});
      return list.filter((a) => a.online).length === 5;
    });
    // when twenty customers open a room at once
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => w.customerWrites(people.customer(i + 1))),
    );
    // then fifteen are assigned, three to each agent
    await waitFor("15 rooms assigned", async () => (await waitingRooms()).length === 5);
    for (const agent of agents) expect(await openCount(agent.id)).toBe(3);
    const all = await w.rooms();
    expect(all.filter((r) => r.status === "open")).toHaveLength(15);
    // the first fifteen to reach the log, that is
    const arrival = (await w.events())
      .filter((e) => e.type === "RoomOpened")
      .map((e) => String(e.data.roomId));
    const served = new Set(all.filter((r) => r.status === "open").map((r) => r.id));
    expect(arrival.slice(0, 15).every((id) => served.has(id))).toBe(true);
    // and the five others wait, first come first served, positions 1..5
    const waiting = await w.waitingInLogOrder();
    const snapshot = await snapshotListing(waiting);
    expect(snapshot.rooms.map((r) => r.position)).toEqual([1, 2, 3, 4, 5]);
    expect(snapshot.agentsOnline).toBe(5);
    // and the last customer in line is told the same when asking
    const last = all.find((r) => r.id === waiting[4])!;
    const customer = { id: last.customer, name: "Last In Line", role: "customer" as const };
    const told = await w.as(customer).query("queuePosition", { roomId: last.id });
    expect(told).toMatchObject({ roomId: last.id, position: 5, agentsOnline: 5 });
  });

  it("pulls the next waiting rooms in when chats close", async () => {
    // given the queue as it stands
    const waitingBefore = await w.waitingInLogOrder();
    const agentOne = (await w.rooms()).filter(
      (r) => r.agent === agents[0]!.id && r.status === "open",
    );
    // when agent 1 closes two chats
    for (const room of agentOne.slice(0, 2)) {
      await w.as(agents[0]!).chat("closeRoom", { roomId: room.id });
    }
    // then the first two waiting rooms go to agent 1, and the rest move up
    await waitFor("two rooms pulled in", async () => (await waitingRooms()).length === 3);
    const rooms = await w.rooms();
    for (const id of waitingBefore.slice(0, 2)) {
      expect(rooms.find((r) => r.id === id)).toMatchObject({
        status: "open",
        agent: agents[0]!.id,
      });
    }
    const snapshot = await snapshotListing(waitingBefore.slice(2));
    expect(snapshot.rooms.map((r) => r.position)).toEqual([1, 2, 3]);
  });
});

describe("an agent who leaves", () => {
  it("gets their rooms requeued after the grace, ahead of the queue, and routed again", async () => {
    // given agent 5 with three open rooms, three rooms waiting
    const theirs = (await w.rooms()).filter((r) => r.agent === agents[4]!.id).map((r) => r.id);
    const waitingBefore = await w.waitingInLogOrder();
    expect(theirs).toHaveLength(3);
    // when their only socket closes
    gateway.disconnect(agents[4]!);
    // then after the grace their rooms are requeued (the log says why)...
    await waitFor("their rooms requeued", async () => {
      const requeued = (await w.events()).filter(
        (e) => e.type === "RoomRequeued" && theirs.includes(String(e.data.roomId)),
      );
      return requeued.length === 3;
    });
    const requeues = (await w.events()).filter((e) => e.type === "RoomRequeued");
    expect(requeues.every((e) => e.data.reason === "agent_offline")).toBe(true);
    // ...and queued ahead of the rooms that never had an agent
    await waitFor("the requeued rooms at the front of the queue", () => {
      const listed = watched.latest()?.rooms.map((r) => r.roomId) ?? [];
      return (
        JSON.stringify(listed.slice(0, 3).sort()) === JSON.stringify([...theirs].sort()) &&
        JSON.stringify(listed.slice(3)) === JSON.stringify(waitingBefore)
      );
    });
    // when a new agent comes online, they get the requeued rooms first
    const agentSix = people.agent(6);
    gateway.connect(agentSix);
    await waitFor("requeued rooms reassigned", async () => (await openCount(agentSix.id)) === 3);
    const rooms = await w.rooms();
    for (const id of theirs) expect(rooms.find((r) => r.id === id)?.agent).toBe(agentSix.id);
    expect(await w.waitingInLogOrder()).toEqual(waitingBefore);
  });

  it("keeps the rooms of an agent who drops and comes back within the grace", async () => {
    // given agent 1 drops and comes back at once, while agent 4 drops for good
    const [agentOne, agentFour] = [agents[0]!, agents[3]!];
    const before = await openCount(agentOne.id);
    gateway.disconnect(agentOne);
    gateway.disconnect(agentFour);
    gateway.connect(agentOne, "agent-1-tab-2");
    // when the grace has passed (agent 4, who left after agent 1 dropped, loses their rooms)
    await waitFor("agent 4's rooms requeued", async () => (await openCount(agentFour.id)) === 0);
    // then agent 1 kept every room, and nothing of theirs was requeued
    expect(await openCount(agentOne.id)).toBe(before);
    const requeued = (await w.events()).filter(
      (e) => e.type === "RoomRequeued" && e.data.previousAgentId === agentOne.id,
    );
    expect(requeued).toHaveLength(0);
  });
});

describe("what the service reports", () => {
  it("drops malformed presence messages and carries on", async () => {
    // given garbage on both presence subjects, then a valid connect
    const publish = (subject: string, body: string) =>
      w.nc.publish(subject, new TextEncoder().encode(body));
    publish(w.subjects.presenceSocket, "not json");
    publish(w.subjects.presenceSocket, JSON.stringify({ agentId: "forged", connected: true }));
    publish(w.subjects.presenceHeartbeat, JSON.stringify({ gatewayId: "gw-x", agents: [{}] }));
    const agentNine = people.agent(9);
    gateway.connect(agentNine);
    // then the valid one is applied and nothing of the garbage is
    await waitFor("agent 9 online", async () => {
      const { agents: list } = await manager().query("listAgents", {});
      return list.some((a) => a.agentId === agentNine.id && a.online);
    });
    const { agents: list } = await manager().query("listAgents", {});
    expect(list.some((a) => a.agentId === "forged")).toBe(false);
    gateway.disconnect(agentNine);
  });

  it("exposes queue length, agents and assignments as metrics", async () => {
    const text = await (await fetch(`http://127.0.0.1:${service.opsPort}/metrics`)).text();
    const value = (line: string) =>
      Number(
        text
          .split("\n")
          .find((l) => l.startsWith(line))
          ?.split(" ")
          .at(-1),
      );
    expect(value("assignment_queue_length")).toBe((await waitingRooms()).length);
    expect(value('assignment_assignments_total{policy="least-loaded",outcome="assigned"')).toBe(
      (await w.events()).filter((e) => e.type === "AgentAssigned").length,
    );
    expect(value('assignment_agent_load{agent="agent-1"')).toBe(await openCount("agent-1"));
    expect(value("assignment_leader")).toBe(1);
    expect(text).toContain("assignment_wait_seconds_bucket");
    expect(text).toContain("assignment_agents_online");
  });
});

describe("a gateway that dies", () => {
  it("has its agents expire once its heartbeats stop for the TTL", async () => {
    // given agent 7 on a second gateway that beats once, then dies
    const dying = w.gateway("gw-2");
    const agentSeven = people.agent(7);
    dying.connect(agentSeven);
    dying.heartbeat();
    await waitFor("agent 7 online", async () => {
      const { agents: list } = await manager().query("listAgents", {});
      return list.some((a) => a.agentId === agentSeven.id && a.online);
    });
    const diedAt = Date.now();
    // then agent 7 goes offline after the TTL, while gw-1's agents stay online
    await waitFor("agent 7 expired", async () => {
      const { agents: list } = await manager().query("listAgents", {});
      return list.some((a) => a.agentId === agentSeven.id && !a.online);
    });
    expect(Date.now() - diedAt).toBeGreaterThanOrEqual(TTL_MS - 50);
    const { agents: list } = await manager().query("listAgents", {});
    expect(
      list
        .filter((a) => a.online)
        .map((a) => a.agentId)
        .sort(),
    ).toEqual(["agent-1", "agent-2", "agent-3", "agent-6"].sort());
  });
});
