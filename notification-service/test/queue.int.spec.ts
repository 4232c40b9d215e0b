import { randomUUID } from "node:crypto";
import {
  type AgentView,
  type QueueSnapshot,
  type ServerEventPayload,
} from "@support-chat/contracts";
import { createLogger } from "@support-chat/service-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNotificationService } from "../src/service.js";
import { sampleOf, startEnvironment, type Environment } from "./support/environment.js";
import type { TestClient } from "./support/test-gateway.js";

let env: Environment;

beforeAll(async () => {
  env = await startEnvironment();
});

afterAll(async () => {
  await env?.close();
});

type Waiting = { roomId: string; customerId: string; eta?: number };

/** What the assignment service publishes: the whole queue, in order. */
const publishQueue = (agentsOnline: number, waiting: Waiting[]) => {
  const snapshot: QueueSnapshot = {
    at: new Date().toISOString(),
    agentsOnline,
    agentsAvailable: agentsOnline,
    rooms: waiting.map((w, i) => ({
      roomId: w.roomId,
      customerId: w.customerId,
      position: i + 1,
      estimatedWaitSeconds: w.eta ?? null,
    })),
  };
  env.nc.publish(env.subjects.queueUpdated, JSON.stringify(snapshot));
};

/** A customer's widget: their own tab, joined to their room. */
const waitingCustomer = async (): Promise<Waiting & { tab: TestClient }> => {
  const roomId = randomUUID();
  const customerId = `customer-${randomUUID()}`;
  const tab = await env.gateway.connect({ userId: customerId, roomIds: [roomId] });
  return { roomId, customerId, tab };
};

type QueuePush = ServerEventPayload<"queueUpdated">;
const figures = (client: TestClient, roomId: string) =>
  client
    .all("queueUpdated")
    .filter((p) => p.roomId === roomId)
    .map((p: QueuePush) => [p.position, p.estimatedWaitSeconds, p.agentsOnline]);

describe("queue positions", () => {
  it("tell each waiting customer where they stand when it changes, and once when they leave the queue", async () => {
    const ann = await waitingCustomer();
    const ben = await waitingCustomer();

    publishQueue(2, [
      { ...ann, eta: 30 },
      { ...ben, eta: 60 },
    ]);
    await ann.tab.waitFor("queueUpdated", (p) => p.roomId === ann.roomId);
    await ben.tab.waitFor("queueUpdated", (p) => p.roomId === ben.roomId);

    // The same queue again (the periodic broadcast), then Ann is served and Ben moves up.
    publishQueue(2, [
      { ...ann, eta: 30 },
      { ...ben, eta: 60 },
    ]);
    publishQueue(2, [{ ...ben, eta: 30 }]);
    await ann.tab.waitFor("queueUpdated", (p) => p.position === null);
    await ben.tab.waitFor("queueUpdated", (p) => p.position === 1);

    // Every agent goes: Ben is told nobody is online.
    publishQueue(0, [ben]);
    await ben.tab.waitFor("queueUpdated", (p) => p.agentsOnline === 0);

    expect(figures(ann.tab, ann.roomId)).toEqual([
      [1, 30, 2],
      [null, null, 2],
    ]);
    expect(figures(ben.tab, ben.roomId)).toEqual([
      [2, 60, 2],
      [1, 30, 2],
      [1, null, 0],
    ]);
  });

  it("reach only the room's customer and the sockets in the room", async () => {
    const cleo = await waitingCustomer();
    const agent = await env.gateway.connect({ userId: `agent-${randomUUID()}`, agent: true });
    const watcher = await env.gateway.connect({ userId: "watcher", roomIds: [cleo.roomId] });
    const other = await waitingCustomer();
    publishQueue(1, [cleo, other]);
    await watcher.waitFor("queueUpdated", (p) => p.roomId === cleo.roomId);
    await other.tab.waitFor("queueUpdated", (p) => p.roomId === other.roomId);
    expect(figures(cleo.tab, cleo.roomId)).toEqual([[1, null, 1]]);
    expect(cleo.tab.all("queueUpdated").map((p) => p.roomId)).toEqual([cleo.roomId]);
    expect(agent.all("queueUpdated")).toEqual([]);
    // Clean up the queue for the tests after this one.
    publishQueue(1, []);
    await other.tab.waitFor("queueUpdated", (p) => p.position === null);
  });

  it("drop malformed snapshots and agent updates, count them, and carry on", async () => {
    const dee = await waitingCustomer();
    env.nc.publish(env.subjects.queueUpdated, "not json");
    env.nc.publish(env.subjects.queueUpdated, JSON.stringify({ rooms: "all of them" }));
    env.nc.publish(env.subjects.agentUpdated, JSON.stringify({ agent: { agentId: "x" } }));
    publishQueue(1, [dee]);
    expect(await dee.tab.waitFor("queueUpdated", (p) => p.roomId === dee.roomId)).toEqual({
      roomId: dee.roomId,
      position: 1,
      estimatedWaitSeconds: null,
      agentsOnline: 1,
    });
    const metrics = await env.metrics();
    const updates = (kind: string, outcome: string) =>
      sampleOf(metrics, "notification_assignment_updates_total", { kind, outcome });
    expect(updates("queue", "invalid")).toBe(2);
    expect(updates("agent", "invalid")).toBe(1);
    expect(sampleOf(metrics, "notification_queue_pushes_total", {})).toBeGreaterThan(0);
    publishQueue(1, []);
    await dee.tab.waitFor("queueUpdated", (p) => p.position === null);
  });

  it("are pushed once per change with two replicas sharing the work", async () => {
    const second = await startNotificationService(
      env.notificationConfig,
      createLogger("notification-service", "silent"),
    );
    try {
      const eve = await waitingCustomer();
      // Eve's position changes with every snapshot; each must reach her exactly once.
      const crowd = Array.from({ length: 8 }, () => ({
        roomId: randomUUID(),
        customerId: `customer-${randomUUID()}`,
      }));
      for (let ahead = crowd.length; ahead >= 0; ahead--) {
        publishQueue(1, [...crowd.slice(0, ahead), eve]);
        await eve.tab.waitFor("queueUpdated", (p) => p.position === ahead + 1);
      }
      expect(figures(eve.tab, eve.roomId).map(([position]) => position)).toEqual([
        9, 8, 7, 6, 5, 4, 3, 2, 1,
      ]);
    } finally {
      await second.stop();
    }
  });
});

describe("agent updates", () => {
  it("reach every agent's console and no customer", async () => {
    const console1 = await env.gateway.connect({ userId: `agent-${randomUUID()}`, agent: true });
    const console2 = await env.gateway.connect({ userId: `agent-${randomUUID()}`, agent: true });
    const fay = await waitingCustomer();
    const agent: AgentView = {
      agentId: "agent-ana",
      agentName: "Ana",
      role: "agent",
      status: "busy",
      online: true,
      load: 2,
      maxChats: 3,
      lastAssignedAt: new Date().toISOString(),
    };
    env.nc.publish(env.subjects.agentUpdated, JSON.stringify({ agent }));
    expect(await console1.waitFor("agentUpdated")).toEqual({ agent });
    expect(await console2.waitFor("agentUpdated")).toEqual({ agent });
    // A later push to the customer comes after the agent update would have, had it been sent.
    publishQueue(1, [fay]);
    await fay.tab.waitFor("queueUpdated");
    expect(fay.tab.all("agentUpdated")).toEqual([]);
    publishQueue(1, []);
    await fay.tab.waitFor("queueUpdated", (p) => p.position === null);
  });
});
