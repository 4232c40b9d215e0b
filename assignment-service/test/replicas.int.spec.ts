import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AssignmentService } from "../src/service.js";
import { leaderOf, people, startWorld, waitFor, type World } from "./harness.js";

let w: World;
let gateway: ReturnType<World["gateway"]>;
let beating: NodeJS.Timeout;
const replicaEnv = { ROUTING_SWEEP_MS: "100", QUEUE_BROADCAST_MS: "200" };

const openOf = async (agentId: string) =>
  (await w.rooms()).filter((r) => r.status === "open" && r.agent === agentId).length;

beforeAll(async () => {
  w = await startWorld();
  await w.startChat();
  await w.startChat({ RELAY_ENABLED: "false" });
  gateway = w.gateway("gw-1");
  beating = setInterval(() => gateway.heartbeat(), 200);
});

afterAll(async () => {
  clearInterval(beating);
  await w?.close();
});

/** The replica left running after the leader was stopped. */
let survivor: AssignmentService;

describe("two replicas", () => {
  let a: AssignmentService;
  let b: AssignmentService;

  it("route from exactly one of them at a time", async () => {
    [a, b] = await Promise.all([w.startAssignment(replicaEnv), w.startAssignment(replicaEnv)]);
    await leaderOf(a, b);
    // sampled for a while: never both, and always one
    for (let i = 0; i < 20; i++) {
      expect([a, b].filter((r) => r.isLeader())).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 25));
    }
  });

  it("keep the standby warm: it knows the same agents and rooms as the leader", async () => {
    gateway.connect(people.agent(1));
    const room = await w.customerWrites(people.customer(1));
    await waitFor("room 1 assigned", async () => (await openOf("agent-1")) === 1);
    const standby = a.isLeader() ? b : a;
    await waitFor("the standby sees it too", () => {
      const known = standby.state().rooms.rooms.get(room.id);
      return known?.status === "open" && known.agentId === "agent-1";
    });
    expect(standby.state().agents.get("agent-1")?.agentName).toBe("Agent 1");
  });

  it("hand routing over when the leader stops", async () => {
    const leader = await leaderOf(a, b);
    const standby = leader === a ? b : a;
    await w.stop(leader);
    await waitFor("the standby takes over", () => standby.isLeader(), 5000);
    survivor = standby;
    const room = await w.customerWrites(people.customer(2));
    await waitFor("a room routed by the new leader", async () =>
      (await w.rooms()).some((r) => r.id === room.id && r.agent === "agent-1"),
    );
  });
});

describe("a restart", () => {
  it("rebuilds the same queue, requeued rooms first, and the same loads", async () => {
    // given the only agent busy (so nothing is routed) and three rooms waiting; then a newer
    // room, taken by a manager and put back: it goes ahead of rooms that never had an agent
    const replica = await leaderOf(survivor);
    await w.as(people.agent(1)).command("setStatus", { status: "busy" });
    const waiting: Array<{ id: string }> = [];
    for (let i = 3; i <= 5; i++) waiting.push(await w.customerWrites(people.customer(i)));
    const newest = await w.customerWrites(people.customer(6));
    await w.as(people.manager()).chat("claimRoom", { roomId: newest.id });
    await w.as(people.manager()).chat("requeueRoom", { roomId: newest.id, reason: "manual" });
    const held = newest;
    const expected = [newest.id, ...waiting.map((r) => r.id)];
    await waitFor("the queue before the restart", async () => {
      const { position } = await w.as(people.manager()).query("queuePosition", { roomId: held.id });
      return position === 1 && replica.state().rooms.rooms.size === 6;
    });
    const before = await w.as(people.manager()).query("listAgents", {});
    // when the service restarts
    await w.stop(replica);
    const watched = w.watchQueue();
    const restarted = await w.startAssignment(replicaEnv);
    await leaderOf(restarted);
    // then the first snapshot it publishes lists the same queue, in the same order
    await waitFor("a snapshot from the restarted service", () => watched.latest() !== undefined);
    expect(watched.latest()!.rooms.map((r) => r.roomId)).toEqual(expected);
    watched.stop();
    // and the same loads, once the gateway's heartbeat has told it who is online
    await waitFor("agent 1 back online", async () => {
      const { agents } = await w.as(people.manager()).query("listAgents", {});
      return agents.some((x) => x.agentId === "agent-1" && x.online);
    });
    const after = await w.as(people.manager()).query("listAgents", {});
    const loadOf = (list: typeof before) => list.agents.map((x) => [x.agentId, x.load, x.status]);
    expect(loadOf(after)).toEqual(loadOf(before));
  });
});
