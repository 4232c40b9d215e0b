import {
  serverEvents,
  socketRooms,
  type AgentView,
  type QueueSnapshot,
} from "@support-chat/contracts";
import { describe, expect, it } from "vitest";
import type { Push } from "../src/domain/pushes.js";
import {
  agentPush,
  emptyQueueMemory,
  queuePushes,
  type QueueMemory,
} from "../src/domain/queue-pushes.js";

const roomA = "0b6f2a8e-3c1d-4e5f-9a7b-1c2d3e4f5a6b";
const roomB = "1c7a3b9f-4d2e-4f60-8b8c-2d3e4f5a6b7c";
const roomC = "2d8b4c0a-5e3f-4a71-9c9d-3e4f5a6b7c8d";
const REPUSH = 10_000;

type Waiting = { roomId: string; customerId: string; eta?: number | null };

const snapshot = (agentsOnline: number, waiting: Waiting[]): QueueSnapshot => ({
  at: "2025-03-01T10:00:00.000Z",
  agentsOnline,
  agentsAvailable: agentsOnline,
  rooms: waiting.map((w, i) => ({
    roomId: w.roomId,
    customerId: w.customerId,
    position: i + 1,
    estimatedWaitSeconds: w.eta === undefined ? null : w.eta,
  })),
});

const a: Waiting = { roomId: roomA, customerId: "cust-a" };
const b: Waiting = { roomId: roomB, customerId: "cust-b" };
const c: Waiting = { roomId: roomC, customerId: "cust-c" };

/** The memory after pushing `first` at time 0. */
const after = (first: QueueSnapshot): QueueMemory =>
  queuePushes(emptyQueueMemory(), first, 0, REPUSH).memory;

const told = (pushes: Push[]) =>
  pushes.map((p) => {
    expect(p.event).toBe("queueUpdated");
    return serverEvents.queueUpdated.parse(p.payload);
  });

describe("queue pushes", () => {
  it("tells each waiting customer their position, the wait and who is online, in their room and tabs", () => {
    // given nothing pushed yet
    // when the first snapshot arrives
    const { pushes } = queuePushes(
      emptyQueueMemory(),
      snapshot(2, [
        { ...a, eta: 40 },
        { ...b, eta: 80 },
      ]),
      0,
      REPUSH,
    );
    // then
    expect(pushes).toEqual([
      {
        rooms: [socketRooms.room(roomA), socketRooms.user("cust-a")],
        event: "queueUpdated",
        payload: { roomId: roomA, position: 1, estimatedWaitSeconds: 40, agentsOnline: 2 },
      },
      {
        rooms: [socketRooms.room(roomB), socketRooms.user("cust-b")],
        event: "queueUpdated",
        payload: { roomId: roomB, position: 2, estimatedWaitSeconds: 80, agentsOnline: 2 },
      },
    ]);
  });

  it("pushes nothing when the same figures come again soon after", () => {
    const same = snapshot(1, [a, b]);
    const memory = after(same);
    const next = queuePushes(memory, same, REPUSH - 1, REPUSH);
    expect(next.pushes).toEqual([]);
    expect(next.memory).toEqual(memory);
  });

  it("pushes only the rooms whose position changed", () => {
    // given A, B, C waiting; when A is served, then B and C move up, and A hears it left the queue
    const memory = after(snapshot(1, [a, b, c]));
    const { pushes } = queuePushes(memory, snapshot(1, [b, c]), 1000, REPUSH);
    expect(told(pushes)).toEqual([
      { roomId: roomB, position: 1, estimatedWaitSeconds: null, agentsOnline: 1 },
      { roomId: roomC, position: 2, estimatedWaitSeconds: null, agentsOnline: 1 },
      { roomId: roomA, position: null, estimatedWaitSeconds: null, agentsOnline: 1 },
    ]);
    expect(pushes.at(-1)?.rooms).toEqual([socketRooms.room(roomA), socketRooms.user("cust-a")]);
  });

  it("tells a room that left the queue once, and never again", () => {
    const memory = after(snapshot(1, [a]));
    const left = queuePushes(memory, snapshot(1, []), 1000, REPUSH);
    expect(told(left.pushes)).toEqual([
      { roomId: roomA, position: null, estimatedWaitSeconds: null, agentsOnline: 1 },
    ]);
    expect(left.memory.size).toBe(0);
    expect(queuePushes(left.memory, snapshot(1, []), 2000, REPUSH).pushes).toEqual([]);
  });

  it("pushes every waiting room when the number of agents online changes", () => {
    const memory = after(snapshot(1, [a, b]));
    const { pushes } = queuePushes(memory, snapshot(0, [a, b]), 1000, REPUSH);
    expect(told(pushes).map((p) => [p.roomId, p.position, p.agentsOnline])).toEqual([
      [roomA, 1, 0],
      [roomB, 2, 0],
    ]);
  });

  it("pushes a room whose estimated wait changed, even at the same position", () => {
    const memory = after(snapshot(1, [{ ...a, eta: 30 }, b]));
    const { pushes } = queuePushes(memory, snapshot(1, [{ ...a, eta: 45 }, b]), 1000, REPUSH);
    expect(told(pushes)).toEqual([
      { roomId: roomA, position: 1, estimatedWaitSeconds: 45, agentsOnline: 1 },
    ]);
  });

  it("pushes unchanged figures again once the re-push interval has passed", () => {
    // given A pushed at 0 and B pushed at 4000 (it joined later)
    const first = after(snapshot(1, [a]));
    const second = queuePushes(first, snapshot(1, [a, b]), 4000, REPUSH);
    expect(told(second.pushes).map((p) => p.roomId)).toEqual([roomB]);
    // when the same queue comes at 10000, then only A is due again
    const third = queuePushes(second.memory, snapshot(1, [a, b]), REPUSH, REPUSH);
    expect(told(third.pushes).map((p) => p.roomId)).toEqual([roomA]);
    // and at 14000, B is due
    const fourth = queuePushes(third.memory, snapshot(1, [a, b]), 14_000, REPUSH);
    expect(told(fourth.pushes).map((p) => p.roomId)).toEqual([roomB]);
  });

  it("says nothing with an empty queue and nothing pushed before", () => {
    const { pushes, memory } = queuePushes(emptyQueueMemory(), snapshot(3, []), 0, REPUSH);
    expect(pushes).toEqual([]);
    expect(memory.size).toBe(0);
  });

  it("tells a waiting customer nobody is online, with no made-up wait", () => {
    const { pushes } = queuePushes(emptyQueueMemory(), snapshot(0, [a]), 0, REPUSH);
    expect(told(pushes)).toEqual([
      { roomId: roomA, position: 1, estimatedWaitSeconds: null, agentsOnline: 0 },
    ]);
  });
});

describe("agent pushes", () => {
  it("shows an agent's change on every console", () => {
    const agent: AgentView = {
      agentId: "agent-7",
      agentName: "Ana",
      role: "agent",
      status: "busy",
      online: true,
      load: 2,
      maxChats: 3,
      lastAssignedAt: null,
    };
    expect(agentPush({ agent })).toEqual({
      rooms: [socketRooms.agents],
      event: "agentUpdated",
      payload: { agent },
    });
  });
});
