import { jetstream } from "@nats-io/jetstream";
import {
  RecordedRoomEvent,
  type Actor,
  type AgentStatus,
  type RecordedRoomEvent as RoomEvent,
} from "@support-chat/contracts";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { leaderOf, people, startWorld, waitFor, type World } from "./harness.js";

/**
 * Random interleavings of customers opening and closing rooms and agents connecting,
 * disconnecting and changing status, against two replicas of this service and two of the
 * chat service on real NATS and Postgres. After each run, once the system has settled, the
 * event log must show: no room held by two agents, no agent ever over capacity, rooms served
 * in queue order, and no room left waiting while an available agent has room.
 */

const CAPACITY = 2;
const GRACE_MS = 150;
const AGENTS = [1, 2, 3, 4].map(people.agent);
const CUSTOMERS = [1, 2, 3, 4, 5, 6, 7, 8].map(people.customer);

type Step =
  | { kind: "open"; customer: number }
  | { kind: "burst"; customers: number[] }
  | { kind: "close"; customer: number }
  | { kind: "connect"; agent: number; tab: number }
  | { kind: "disconnect"; agent: number; tab: number }
  | { kind: "status"; agent: number; status: AgentStatus };

const agentIndex = fc.integer({ min: 0, max: AGENTS.length - 1 });
const customerIndex = fc.integer({ min: 0, max: CUSTOMERS.length - 1 });
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: customerIndex.map((customer) => ({ kind: "open" as const, customer })) },
  {
    weight: 1,
    arbitrary: fc
      .uniqueArray(customerIndex, { minLength: 2, maxLength: 4 })
      .map((customers) => ({ kind: "burst" as const, customers })),
  },
  { weight: 2, arbitrary: customerIndex.map((customer) => ({ kind: "close" as const, customer })) },
  {
    weight: 3,
    arbitrary: fc
      .record({ agent: agentIndex, tab: fc.integer({ min: 1, max: 2 }) })
      .map((s) => ({ kind: "connect" as const, ...s })),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({ agent: agentIndex, tab: fc.integer({ min: 1, max: 2 }) })
      .map((s) => ({ kind: "disconnect" as const, ...s })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({
        agent: agentIndex,
        status: fc.constantFrom<AgentStatus>("available", "busy", "offline"),
      })
      .map((s) => ({ kind: "status" as const, ...s })),
  },
);

let w: World;
let gateway: ReturnType<World["gateway"]>;
let beating: NodeJS.Timeout;

/** What the test itself did: who has tabs open and what status they chose. */
const model = {
  tabs: new Map<string, Set<number>>(),
  status: new Map<string, AgentStatus>(),
};
const isConnected = (a: Actor) => (model.tabs.get(a.id)?.size ?? 0) > 0;
const statusOf = (a: Actor) => model.status.get(a.id) ?? "available";

const perform = async (s: Step): Promise<void> => {
  switch (s.kind) {
    case "open":
      await w.customerWrites(CUSTOMERS[s.customer]!);
      return;
    case "burst":
      // Several customers at the same moment: the router and the chat service see them race.
      await Promise.all(s.customers.map((c) => w.customerWrites(CUSTOMERS[c]!)));
      return;
    case "close": {
      const customer = CUSTOMERS[s.customer]!;
      const [room] = await w.sql<{ id: string }[]>`
        select id from chat_rooms where user_id = ${customer.id} and status <> 'closed'`;
      if (room) await w.as(customer).chat("closeRoom", { roomId: room.id });
      return;
    }
    case "connect":
    case "disconnect": {
      const agent = AGENTS[s.agent]!;
      const tabs = model.tabs.get(agent.id) ?? new Set<number>();
      const socketId = `${agent.id}-tab-${s.tab}`;
      if (s.kind === "connect") {
        tabs.add(s.tab);
        gateway.connect(agent, socketId);
      } else {
        tabs.delete(s.tab);
        gateway.disconnect(agent, socketId);
      }
      model.tabs.set(agent.id, tabs);
      return;
    }
    case "status": {
      const agent = AGENTS[s.agent]!;
      await w.as(agent).command("setStatus", { status: s.status });
      model.status.set(agent.id, s.status);
      return;
    }
  }
};

/** Settled: every room of an absent agent requeued, and nobody able to take a waiting room. */
const settled = async (): Promise<boolean> => {
  const rooms = await w.rooms();
  const loads = new Map<string, number>();
  for (const r of rooms) {
    if (r.status === "open") loads.set(r.agent!, (loads.get(r.agent!) ?? 0) + 1);
  }
  const present = (a: Actor) => isConnected(a) && statusOf(a) !== "offline";
  const absentHoldsRooms = AGENTS.some((a) => !present(a) && (loads.get(a.id) ?? 0) > 0);
  const someoneWaits = rooms.some((r) => r.status === "waiting");
  const someoneCouldTakeIt = AGENTS.some(
    (a) => isConnected(a) && statusOf(a) === "available" && (loads.get(a.id) ?? 0) < CAPACITY,
  );
  return !absentHoldsRooms && !(someoneWaits && someoneCouldTakeIt);
};

/** Every event in the stream, in the order it was published (the order the router saw). */
const publishedEvents = async (): Promise<RoomEvent[]> => {
  const expected = (await w.sql<{ n: number }[]>`select count(*)::int as n from events`)[0]!.n;
  const consumer = await jetstream(w.nc).consumers.get(w.subjects.eventStream);
  const messages = await consumer.consume();
  const received: RoomEvent[] = [];
  const deadline = setTimeout(() => void messages.close(), 10_000);
  for await (const m of messages) {
    received.push(RecordedRoomEvent.parse(m.json()) as RoomEvent);
    if (received.length >= expected && m.info.pending === 0) break;
  }
  clearTimeout(deadline);
  await messages.close();
  return received;
};

/** Replays the log and returns every broken rule it finds (empty when all hold). */
const violations = (events: RoomEvent[]): string[] => {
  const problems: string[] = [];
  const holder = new Map<string, string | null>();
  const closed = new Set<string>();
  const load = new Map<string, number>();
  const requeued: string[] = [];
  const fresh: string[] = [];
  const leave = (roomId: string) => {
    for (const q of [requeued, fresh]) if (q.includes(roomId)) q.splice(q.indexOf(roomId), 1);
  };
  const release = (agentId: string | null | undefined) => {
    if (agentId) load.set(agentId, (load.get(agentId) ?? 0) - 1);
  };
  for (const e of events) {
    const roomId = e.data.roomId;
    if (closed.has(roomId)) problems.push(`${e.type} after room ${roomId} closed`);
    switch (e.type) {
      case "RoomOpened":
        holder.set(roomId, null);
        fresh.push(roomId);
        break;
      case "AgentAssigned": {
        const current = holder.get(roomId) ?? null;
        if (e.data.reason === "routed") {
          if (current !== null) problems.push(`room ${roomId} routed while held by ${current}`);
          const head = requeued[0] ?? fresh[0];
          if (head !== roomId) problems.push(`room ${roomId} routed ahead of ${head}`);
        } else if (e.data.previousAgentId !== current) {
          problems.push(`room ${roomId} taken from ${e.data.previousAgentId}, held by ${current}`);
        }
        release(current);
        leave(roomId);
        holder.set(roomId, e.data.agentId);
        const now = (load.get(e.data.agentId) ?? 0) + 1;
        load.set(e.data.agentId, now);
        if (now > CAPACITY) problems.push(`${e.data.agentId} holds ${now} > ${CAPACITY} rooms`);
        break;
      }
      case "RoomRequeued": {
        const current = holder.get(roomId) ?? null;
        if (current !== e.data.previousAgentId) {
          problems.push(
            `room ${roomId} requeued from ${e.data.previousAgentId}, held by ${current}`,
          );
        }
        release(current);
        holder.set(roomId, null);
        requeued.push(roomId);
        break;
      }
      case "RoomClosed":
        release(holder.get(roomId));
        leave(roomId);
        closed.add(roomId);
        break;
      default:
        break;
    }
  }
  return problems;
};

/** Back to an empty system: every room closed, every agent gone and available. */
const reset = async () => {
  const open = await w.sql<{ id: string; customer: string }[]>`
    select id, user_id as customer from chat_rooms where status <> 'closed'`;
  for (const room of open) {
    const customer = CUSTOMERS.find((c) => c.id === room.customer)!;
    await w.as(customer).chat("closeRoom", { roomId: room.id });
  }
  for (const agent of AGENTS) {
    for (const tab of model.tabs.get(agent.id) ?? []) {
      gateway.disconnect(agent, `${agent.id}-tab-${tab}`);
    }
    if (statusOf(agent) !== "available") {
      await w.as(agent).command("setStatus", { status: "available" });
    }
  }
  model.tabs.clear();
  model.status.clear();
};

beforeAll(async () => {
  w = await startWorld();
  await w.startChat();
  await w.startChat({ RELAY_ENABLED: "false" });
  const env = {
    AGENT_MAX_CHATS: String(CAPACITY),
    AGENT_OFFLINE_GRACE_MS: String(GRACE_MS),
    PRESENCE_TTL_MS: "2000",
    ROUTING_SWEEP_MS: "50",
    QUEUE_BROADCAST_MS: "500",
  };
  const replicas = await Promise.all([w.startAssignment(env), w.startAssignment(env)]);
  await leaderOf(...replicas);
  gateway = w.gateway("gw-prop");
  beating = setInterval(() => gateway.heartbeat(), 100);
});

afterAll(async () => {
  clearInterval(beating);
  await w?.close();
});

describe("routing under random interleavings", () => {
  it("never double-assigns, never exceeds capacity, serves in order and leaves nobody waiting needlessly", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 4, maxLength: 18 }), async (steps) => {
        try {
          for (const s of steps) await perform(s);
          await waitFor("the system to settle", settled, 10_000);
          expect(violations(await publishedEvents())).toEqual([]);
        } finally {
          await reset();
        }
      }),
      { numRuns: 20, endOnFailure: true },
    );
  }, 120_000);
});
